import { test, expect } from "playwright/test";
import { fileURLToPath } from "node:url";
import { waitWarmUpScript } from "../vcd/machine/warm-up.ts";
import type { RemoteMachine } from "../web/src/machine/remote.ts";

test("the page restores the guest and its console runs commands", async ({ page }) => {
  const logs: string[] = [];
  page.on("console", (m) => logs.push(m.text()));
  await page.goto("/?warm-up=off");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 180_000 });
  await expect(page.getByTestId("status")).toContainText("guest ready");
  await page.locator(".xterm").click();
  await page.keyboard.type("uname -r; echo sum=$((40+2))\n");
  const rows = page.locator(".xterm-rows");
  await expect(rows).toContainText(/6\.1\.0-\d+-686/, { timeout: 60_000 });
  await expect(rows).toContainText("sum=42");
});

test("what a first build reads from the disk arrives in one background fetch, not range by range", async ({ page }) => {
  // The page's warm-up build runs first, and on a loaded host (CI: 3.3 min of the default 4) it takes minutes.
  test.setTimeout(600_000);
  type Page = { vgpu: { machine: RemoteMachine } };
  const ranges: string[] = [];
  page.on("request", (r) => { if (r.url().endsWith("/rootfs.img")) ranges.push(r.headers().range ?? "whole"); });
  await page.goto("/"); // the one spec with the page's warm-up build on, as students have it
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 180_000 });
  await expect(page.locator("body")).toHaveAttribute("data-disk-prefetch", "done", { timeout: 120_000 });
  await expect(page.getByTestId("status")).not.toContainText("fetching");
  // The page's warm-up build reads the disk too (past the prefetch's ranges, by readahead): let it end first.
  await expect(page.locator("body")).toHaveAttribute("data-warm-up", "started", { timeout: 120_000 });
  expect(await page.evaluate((c) => (window as unknown as Page).vgpu.machine.exec(c, { timeout: 900_000 }).then((r) => r.exitCode), waitWarmUpScript(800))).toBe(0);
  const fetched = () => page.evaluate(() => (window as unknown as Page).vgpu.machine.diskBytesFetched());
  // The prefetch's largest range, in whole 4 KiB blocks, read straight from the disk device (whose readahead goes
  // on past the range's end: the reads there are not the prefetch's to hold).
  const [first, count] = await page.evaluate(() => {
    const [off, len] = [...(window as unknown as Page).vgpu.machine.diskPrefetch!.ranges].sort((a, b) => b[1] - a[1])[0]!;
    const first = Math.ceil(off / 4096);
    return [first, Math.floor((off + len) / 4096) - first];
  });
  expect(count).toBeGreaterThan(256);
  const before = await fetched();
  const requests = ranges.length;
  await page.locator(".xterm").click();
  await page.keyboard.type(`echo 1 > /proc/sys/vm/drop_caches; dd if=/dev/sda of=/dev/null bs=4096 skip=${first} count=${count} 2>/dev/null; echo read-status=$?\n`);
  await expect(page.locator(".xterm-rows")).toContainText("read-status=0", { timeout: 120_000 });
  expect(await fetched() - before, "disk bytes fetched to read a prefetched range").toBeLessThan(1 << 20);
  expect(ranges.length - requests, "range requests to read a prefetched range").toBeLessThan(8);
});

test("a kernel panic typed at the console restores the machine and keeps the student's files", async ({ page }) => {
  await page.goto("/?warm-up=off");
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
