import { test, expect } from "playwright/test";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import { buildSite, checkSite, serveStatic, DIST } from "../bin/site.ts";

// The static build (npm run build): the page and the guest assets in dist/, served by a plain static server with
// ranges; the reference driver and grading material are not in it.
test("the static build in dist/ runs the lab from a plain static server, without the reference driver", async ({ page }) => {
  test.setTimeout(900_000);
  await buildSite({ log: () => {} });
  expect(checkSite()).toEqual([]);
  const all: string[] = [];
  const walk = (d: string) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else all.push(p.slice(DIST.length + 1)); } };
  walk(DIST);
  expect(all).toContain("index.html");
  expect(all).toContain("guest/manifest.json");
  expect(all.filter((f) => /reference|pm2ref\.c|grading/.test(f))).toEqual([]);
  expect(existsSync(join(DIST, "guest/rootfs.img"))).toBe(true);

  const port = Number(process.env.VGPU_E2E_PORT ?? 5179) + 100;
  const server: Server = await serveStatic(DIST, port);
  try {
    const ranged = await page.request.get(`http://127.0.0.1:${port}/guest/rootfs.img`, { headers: { Range: "bytes=1024-2047" } });
    expect(ranged.status()).toBe(206);
    expect((await ranged.body()).length).toBe(1024);
    expect((await page.request.get(`http://127.0.0.1:${port}/../kmod/reference/pm2ref.c`)).status()).toBe(404);
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 300_000 });
    await page.locator(".xterm").click();
    await page.keyboard.type("echo static-$((40+2))\n");
    await expect(page.locator(".xterm-rows")).toContainText("static-42", { timeout: 60_000 });
    await expect(page.getByRole("treeitem").first()).toBeVisible();
  } finally {
    server.close();
  }
});
