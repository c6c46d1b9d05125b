import { test, expect, type Page } from "playwright/test";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Server } from "node:http";
import { unzipSync, zipSync } from "fflate";
import { ROOT, colouredPixels, command, importZipFile, referenceProject, typeInConsole } from "./lab.ts";
import { serveStatic } from "../bin/site.ts";
import { checkPublished, publish } from "../bin/publish.ts";
import { deriveVariant } from "../vcd/card/variants/derive.ts";
import { variantJson } from "../vcd/card/variants/check.ts";
import { permedia2v } from "../vcd/card/variants/permedia2v.ts";
import { HEADER_PATH } from "../kmod/starter/handout.ts";

// A semester published (`vgpu-lab publish`) and served by a plain static server with ranges: a generated variant
// (clear-on-read interrupts, a command ring) as the default and the Permedia 2v beside it. Nothing of the
// instructor's is in the tree; the lab boots with the variant's card on the bus, its manual beside the code, and the
// reference driver (handed in through Import with the handout's header) draws the variant's triangles.

const SEED = "e2e publish seed 2027";
const variant = deriveVariant(permedia2v, { name: "2027 Spring e2e", seed: SEED, irqAck: "read", commands: "ring" });
const hex4 = (n: number) => n.toString(16).padStart(4, "0");

type Lab = { lab: { getState(): { setSettings(s: object): void } } };

test("a semester published for a variant: served statically, the variant's card, manual and triangles", async ({ page }) => {
  test.setTimeout(3_600_000);
  const work = mkdtempSync(join(tmpdir(), "vgpu-site-"));
  const file = join(work, `${variant.id}.json`);
  writeFileSync(file, variantJson(variant));
  const out = join(work, "site");
  const index = await publish({ variants: [file, "permedia2v"], out, log: () => {} });
  expect(index.default).toBe(variant.id);
  expect(checkPublished(out, [variant])).toEqual([]);
  const all: string[] = [];
  const walk = (d: string) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else all.push(p.slice(out.length + 1)); } };
  walk(out);
  expect(all).toEqual(expect.arrayContaining(["index.html", "guest/manifest.json", "variants/index.json", index.variants[0]!.card, index.variants[0]!.handout]));
  expect(all.filter((f) => /reference|pm2ref\.c|grading/.test(f))).toEqual([]);

  const port = Number(process.env.VGPU_E2E_PORT ?? 5179) + 100;
  const server: Server = await serveStatic(out, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    const ranged = await page.request.get(`${base}/guest/rootfs.img`, { headers: { Range: "bytes=1024-2047" } });
    expect(ranged.status()).toBe(206);
    expect((await ranged.body()).length).toBe(1024);
    expect((await page.request.get(`${base}/../kmod/reference/pm2ref.c`)).status()).toBe(404);
    const card = await (await page.request.get(`${base}/${index.variants[0]!.card}`)).text();
    expect(card).not.toContain(SEED);

    // A variant that is not published: a sentence naming the ones that are, no guest.
    await page.goto(`${base}/?variant=nope`);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "error", { timeout: 60_000 });
    await expect(page.getByTestId("status")).toContainText(`no card variant 'nope' is published here; published: ${variant.id}, permedia2v`);

    // The default (no ?variant=): the first published variant, its card on the bus.
    await page.setViewportSize({ width: 1600, height: 960 });
    await page.goto(`${base}/?warm-up=off`);
    await expect(page.locator("body")).toHaveAttribute("data-variant", variant.id, { timeout: 60_000 });
    await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 300_000 });
    await page.evaluate(() => (window as unknown as { vgpu: Lab }).vgpu.lab.getState().setSettings({ buildTimeoutS: 1500, testTimeoutS: 900, commandTimeoutS: 300 }));
    await typeInConsole(page, "lspci -n -s 0001:10:00.0; echo lspci-$((1+1))", "lspci-2");
    await expect(page.locator(".xterm-rows")).toContainText(`${hex4(variant.pci.vendorId)}:${hex4(variant.pci.deviceId)}`);

    // The starter's header is the variant's; the manual pane is the variant's datasheet.
    await page.locator(`[role="treeitem"][data-path="${HEADER_PATH}"]`).click();
    await expect(page.locator(".monaco-editor .view-lines")).toContainText("Generated from", { timeout: 30_000 });
    await page.getByTestId("pane-manual").click();
    await expect(page.getByTestId("manual")).toContainText(variant.name);
    await expect(page.getByTestId("manual")).toContainText("ring");

    // The reference driver, handed in with the handout's header, draws the variant's triangles.
    const handout = unzipSync(new Uint8Array(await (await page.request.get(`${base}/${index.variants[0]!.handout}`)).body()));
    await importZipFile(page, "pm2ref.zip", zipSync(referenceProject(handout[HEADER_PATH]!)));
    await expect(page.getByTestId("notice")).toContainText("Imported");
    await command(page, "build");
    await expect(page.getByTestId("status")).toContainText("Build succeeded");
    await command(page, "load");
    await expect(page.getByTestId("status")).toContainText("Load: done");
    await page.locator(`[role="treeitem"][data-path="pm2ref.c"]`).click();
    await page.getByTestId("pane-screen").click();
    await typeInConsole(page, "make -s -C tests pm2-demo >/dev/null && ./tests/pm2-demo -f 30; echo demo-$((2+3))", "demo-5", 600_000);
    await expect.poll(() => colouredPixels(page), { timeout: 20_000 }).toBeGreaterThan(5000);
    await page.getByTestId("pane-manual").click();
    mkdirSync(join(ROOT, "docs"), { recursive: true });
    writeFileSync(join(ROOT, "docs/published-variant.png"), await page.screenshot());

    // Its printed manual: Chromium's print, no table wider than the page, a page count a datasheet has.
    const print = await page.context().newPage();
    await print.goto(`${base}/${index.variants[0]!.manual}`);
    await print.emulateMedia({ media: "print" });
    await print.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    const clipped = await print.evaluate(() => [...document.querySelectorAll("table, pre")]
      .filter((t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1 || t.scrollWidth > t.clientWidth + 1)
      .map((t) => (t.previousElementSibling?.textContent ?? t.textContent ?? "").slice(0, 60)));
    expect(clipped).toEqual([]);
    const pdf = await print.pdf({ format: "A4", printBackground: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(pages).toBeLessThan(60);
    writeFileSync(join(ROOT, "docs/manual-page1.png"), await print.screenshot());
    await print.close();
  } finally {
    server.close();
  }
});
