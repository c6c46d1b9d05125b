import { test, expect } from "playwright/test";
import { fileURLToPath } from "node:url";

test("the page restores the guest and its console runs commands", async ({ page }) => {
  const logs: string[] = [];
  page.on("console", (m) => logs.push(m.text()));
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 180_000 });
  await expect(page.getByTestId("status")).toContainText("guest ready");
  await page.locator(".xterm").click();
  await page.keyboard.type("uname -r; echo sum=$((40+2))\n");
  const rows = page.locator(".xterm-rows");
  await expect(rows).toContainText(/6\.1\.0-\d+-686/, { timeout: 60_000 });
  await expect(rows).toContainText("sum=42");
});

test("a kernel panic typed at the console restores the machine and keeps the student's files", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 180_000 });
  await page.locator(".xterm").click();
  await page.keyboard.type("echo kept-$((6*7)) > /work/mine.c; cat /work/mine.c\n");
  const rows = page.locator(".xterm-rows");
  await expect(rows).toContainText("kept-42", { timeout: 60_000 });
  await page.keyboard.type("echo c > /proc/sysrq-trigger\n");
  await expect(page.getByTestId("status")).toContainText("machine restored", { timeout: 120_000 });
  await expect(rows).toContainText("the machine was restored");
  await page.keyboard.type("cat /work/mine.c; echo after-$((1+1))\n");
  await expect(rows).toContainText("after-2", { timeout: 60_000 });
  await expect(rows).toContainText(/kept-42\s*after-2/); // the file written before the panic, read after the restore
});

test("the instructor's reference driver is not served, the page's own sources are", async ({ request }) => {
  const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
  expect((await request.get(`/@fs${root}/vcd/card/card.ts`)).status()).toBe(200);
  for (const f of ["kmod/reference/pm2ref.c", "kmod/reference/Makefile"]) {
    expect((await request.get(`/@fs${root}/${f}`)).status(), f).toBe(403);
  }
});
