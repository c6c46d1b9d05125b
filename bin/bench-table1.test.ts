import { test } from "node:test";
import assert from "node:assert/strict";
import { kernelRatios, plotSvg, PAPER_TABLE1, type Table1Run } from "./bench-table1.ts";

const card = { dmaWords: 0, pixels: 0, primitives: 0, simulateMs: 0, irqRaises: 0, mmio: 0 };

test("the Table 1 chart draws the paper's two cards and each place we measured, on one log scale", () => {
  const runs: Table1Run[] = [
    { where: "chromium", kernel: "stock", height: 20, n: 1000, seconds: 0.003, secondsPer1M: 3, card },
    { where: "chromium", kernel: "stock", height: 100, n: 1000, seconds: 0.017, secondsPer1M: 17, card },
  ];
  const svg = plotSvg(runs);
  assert.match(svg, /^<svg /);
  assert.match(svg, /paper: real Permedia 2v/);
  assert.match(svg, /paper: virtual card/);
  assert.match(svg, /vgpu-lab \(chromium\)/);
  assert.doesNotMatch(svg, /vgpu-lab \(node\)/, "no line for a place not measured");
  assert.equal((svg.match(/<polyline/g) ?? []).length, 3);
  // One decade per grid line from 1 s (below our 3 s) to 1000 s (above the paper's 632.5 s).
  for (const v of ["1", "10", "100", "1000"]) assert.match(svg, new RegExp(`text-anchor="end">${v}</text>`));
  assert.equal(PAPER_TABLE1.length, 5);
});

test("with both kernels, each has its line and the course/stock ratio is printed per place and height", () => {
  const runs: Table1Run[] = [
    { where: "node", kernel: "stock", height: 20, n: 1000, seconds: 0.004, secondsPer1M: 4, card },
    { where: "node", kernel: "course", height: 20, n: 1000, seconds: 0.006, secondsPer1M: 6, card },
    { where: "node", kernel: "course", height: 100, n: 1000, seconds: 0.02, secondsPer1M: 20, card },
  ];
  const svg = plotSvg(runs);
  assert.match(svg, /vgpu-lab \(node stock\)/);
  assert.match(svg, /vgpu-lab \(node course\)/);
  const ratios = kernelRatios(runs);
  assert.match(ratios, /^\| node \| 20 \| 4\.00 \| 6\.00 \| 1\.50 \|$/m);
  assert.doesNotMatch(ratios, /\| 100 \|/, "no ratio without a stock run at that height");
  assert.equal(kernelRatios(runs.filter((r) => r.kernel === "stock")), "");
});
