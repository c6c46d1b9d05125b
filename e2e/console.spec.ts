import { test, expect } from "playwright/test";

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
