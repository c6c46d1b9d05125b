import { test, expect } from "playwright/test";
import { openChromiumSession } from "../bin/session.ts";
import { plotSvg, runTable1 } from "../bin/bench-table1.ts";

// The paper's Table 1 at a CI-sized N, the way `npx vgpu-lab bench table1` runs it in headless Chromium: the
// reference driver and tri-bench built in the page's guest, Gouraud triangles drawn by DMA in burst mode.
test("bench table1 runs in a browser tab: every triangle drawn, one interrupt per buffer", async () => {
  test.setTimeout(1_500_000);
  const n = 3000, log: string[] = [];
  const s = await openChromiumSession(5183);
  try {
    const runs = await runTable1(s, n, [20, 100], (m) => log.push(m));
    expect(runs.map((r) => [r.where, r.height, r.n])).toEqual([["chromium", 20, n], ["chromium", 100, n]]);
    for (const r of runs) {
      expect(r.seconds, log.join("\n")).toBeGreaterThan(0);
      // tri-bench packs 682 triangles of 24 words into a 64 KiB buffer: one completion interrupt each.
      expect(r.card.irqRaises).toBe(Math.ceil(n / 682));
      expect(r.card.dmaWords).toBe(n * 24 + Math.ceil(n / 682) * 2);
      expect(r.card.pixels).toBeGreaterThan(n * r.height * r.height * 0.3);
    }
    expect(plotSvg(runs)).toContain("vgpu-lab (chromium)");
  } finally {
    await s.close();
  }
});
