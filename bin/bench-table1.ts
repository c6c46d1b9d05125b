// `vgpu-lab bench table1`: the paper's Table 1 — N smooth-shaded triangles per height, sent by DMA by the
// reference driver's tri-bench — in Node and in headless Chromium, beside the paper's real and virtual card.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";
import { type CardCounters, copyTree, type LabSession, openChromiumSession, openNodeSession } from "./session.ts";
import { currentFlavour, parseFlavour, type Flavour } from "../vcd/machine/flavour.ts";
import { ensureOtherGuests } from "./site.ts";
import { pchWait } from "../guest-image/src/kbuild-tuning.ts";

/** Geist, Jones and Westall 2009, Table 1: seconds for 1M Gouraud triangles, Permedia 2v vs their virtual card. */
export const PAPER_TABLE1 = [
  { height: 20, real: 3.876, virtual: 136.0 },
  { height: 40, real: 10.71, virtual: 227.7 },
  { height: 60, real: 20.76, virtual: 340.4 },
  { height: 80, real: 24.23, virtual: 476.7 },
  { height: 100, real: 51.03, virtual: 632.5 },
] as const;
const PAPER_N = 1_000_000;

export interface Table1Run {
  where: "node" | "chromium";
  /** The guest's kernel. */
  kernel: Flavour;
  height: number;
  n: number;
  /** tri-bench's own measurement, seconds. */
  seconds: number;
  /** Scaled to 1M triangles, for the paper's columns. */
  secondsPer1M: number;
  card: CardCounters;
}

const GUEST = "/work/table1";

/**
 * Builds the reference driver and tri-bench in the guest's /work/table1, waits for the background compiles the build
 * left, loads the driver, burst mode on.
 */
export async function prepareTable1(s: Pick<LabSession, "where" | "exec" | "putFile">, kmodDir: string, log: (m: string) => void): Promise<void> {
  log(`[${s.where}] copy sources`);
  for (const d of ["reference", "tests", "include"]) await copyTree(s, join(kmodDir, d), `table1/${d}`);
  log(`[${s.where}] build the reference driver and tri-bench in the guest`);
  const build = await s.exec(`make -s -C ${GUEST}/reference 2>&1 && make -s -C ${GUEST}/tests 2>&1`, 1_200_000);
  if (build.exitCode !== 0) throw new Error(`build failed in the guest:\n${build.stdout}${build.stderr}`);
  log(`[${s.where}] wait for the build's headers precompiling in the background`);
  if ((await s.exec(pchWait(), 700_000)).exitCode !== 0) throw new Error("a header was still precompiling after 10 min");
  const load = await s.exec(`insmod $(ls ${GUEST}/reference/*.ko | head -1) && echo 1 > /sys/module/vgpu/parameters/burst`);
  if (load.exitCode !== 0) {
    throw new Error(`cannot load the reference driver (${load.status}${load.exitCode !== null ? ` ${load.exitCode}` : ""}):\n${load.stdout}${load.stderr}${load.consoleTail ? `\nconsole:\n${load.consoleTail.slice(-3000)}` : ""}`);
  }
}

/** tri-bench -q prints one line: "<height> <triangles> <seconds> <triangles per second>". */
function parseSeconds(out: string): number | null {
  const m = /^\s*\d+\s+\d+\s+([0-9.]+)\s+[0-9.]+\s*$/m.exec(out);
  return m ? Number(m[1]) : null;
}

const diff = (a: CardCounters, b: CardCounters): CardCounters => ({
  dmaWords: b.dmaWords - a.dmaWords, pixels: b.pixels - a.pixels, primitives: b.primitives - a.primitives,
  simulateMs: b.simulateMs - a.simulateMs, irqRaises: b.irqRaises - a.irqRaises, mmio: b.mmio - a.mmio,
});

export async function runTable1(s: LabSession, n: number, heights: number[], log: (m: string) => void, kmodDir = join(PROJECT_DIR, "kmod"), kernel: Flavour = currentFlavour()): Promise<Table1Run[]> {
  await prepareTable1(s, kmodDir, log);
  const runs: Table1Run[] = [];
  for (const height of heights) {
    const before = await s.card();
    const t0 = Date.now();
    const r = await s.exec(`${GUEST}/tests/tri-bench -q -n ${n} -h ${height}`, 3_600_000);
    const wall = (Date.now() - t0) / 1000;
    if (r.exitCode !== 0) throw new Error(`tri-bench -n ${n} -h ${height} failed (${r.status} ${r.exitCode}):\n${r.stdout}${r.stderr}`);
    const seconds = parseSeconds(r.stdout) ?? wall;
    const card = diff(before, await s.card());
    runs.push({ where: s.where, kernel, height, n, seconds, secondsPer1M: seconds * PAPER_N / n, card });
    log(`[${s.where}, ${kernel} kernel] h=${height}: ${seconds.toFixed(2)} s for ${n} triangles (${card.irqRaises} interrupts, card model ${(card.simulateMs / 1000).toFixed(2)} s)`);
  }
  return runs;
}

/** A run's column: where it ran, and its kernel when the table has both. */
function label(r: Table1Run, runs: Table1Run[]): string {
  return new Set(runs.map((x) => x.kernel)).size > 1 ? `${r.where} ${r.kernel}` : r.where;
}

function table(runs: Table1Run[]): string {
  const wheres = [...new Set(runs.map((r) => label(r, runs)))];
  const head = ["height", "paper real (s)", "paper virtual (s)", ...wheres.flatMap((w) => [`vgpu-lab ${w} (s/1M)`, `${w} vs real`, `${w} vs paper virtual`])];
  const rows = PAPER_TABLE1.filter((p) => runs.some((r) => r.height === p.height)).map((p) => [
    String(p.height), p.real.toFixed(3), p.virtual.toFixed(1),
    ...wheres.flatMap((w) => {
      const r = runs.find((x) => label(x, runs) === w && x.height === p.height);
      if (!r) return ["—", "", ""];
      return [r.secondsPer1M.toFixed(2), `${(p.real / r.secondsPer1M).toFixed(2)}× ${r.secondsPer1M < p.real ? "faster" : "slower"}`, `${(p.virtual / r.secondsPer1M).toFixed(1)}× faster`];
    }),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(w[i]!)).join(" | ") + " |";
  return [line(head), `|${w.map((x) => "-".repeat(x + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function breakdown(runs: Table1Run[]): string {
  const lines = ["| where | height | s/1M | card model (s) | guest + emulator (s) | interrupts | Mpixels | M DMA words |", "|---|---|---|---|---|---|---|---|"];
  for (const r of runs) {
    const scale = PAPER_N / r.n;
    const card = r.card.simulateMs / 1000 * scale;
    lines.push(`| ${label(r, runs)} | ${r.height} | ${r.secondsPer1M.toFixed(2)} | ${card.toFixed(2)} | ${(r.secondsPer1M - card).toFixed(2)} | ${Math.round(r.card.irqRaises * scale)} | ${(r.card.pixels * scale / 1e6).toFixed(0)} | ${(r.card.dmaWords * scale / 1e6).toFixed(1)} |`);
  }
  return lines.join("\n");
}

/** What the course kernel's detectors cost: course/stock per place and height, when both ran. */
export function kernelRatios(runs: Table1Run[]): string {
  const rows: string[] = [];
  for (const r of runs.filter((x) => x.kernel === "course")) {
    const stock = runs.find((x) => x.kernel === "stock" && x.where === r.where && x.height === r.height);
    if (stock) rows.push(`| ${r.where} | ${r.height} | ${stock.secondsPer1M.toFixed(2)} | ${r.secondsPer1M.toFixed(2)} | ${(r.secondsPer1M / stock.secondsPer1M).toFixed(2)} |`);
  }
  if (!rows.length) return "";
  return `\nThe course kernel (bug detectors on) against the stock kernel, per 1M triangles\n| where | height | stock (s) | course (s) | course/stock |\n|---|---|---|---|---|\n${rows.join("\n")}\n`;
}

/** A log-scale line chart of seconds per 1M triangles against height: the paper's two cards and ours. */
export function plotSvg(runs: Table1Run[]): string {
  const W = 640, H = 400, L = 70, R = 170, T = 30, B = 50;
  const series: Array<{ name: string; color: string; pts: Array<[number, number]> }> = [
    { name: "paper: real Permedia 2v", color: "#2a7", pts: PAPER_TABLE1.map((p) => [p.height, p.real]) },
    { name: "paper: virtual card", color: "#c33", pts: PAPER_TABLE1.map((p) => [p.height, p.virtual]) },
  ];
  const colours = ["#36c", "#f90", "#93c", "#0aa"];
  [...new Set(runs.map((r) => label(r, runs)))].forEach((l, i) => {
    const pts = runs.filter((r) => label(r, runs) === l).map((r) => [r.height, r.secondsPer1M] as [number, number]);
    series.push({ name: `vgpu-lab (${l})`, color: colours[i % colours.length]!, pts });
  });
  const all = series.flatMap((s) => s.pts.map((p) => p[1]));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...all)))), hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...all))));
  const x = (h: number) => L + (h - 20) / 80 * (W - L - R);
  const y = (v: number) => T + (1 - (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (H - T - B);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="18" font-size="14">Seconds for 1M Gouraud triangles (log scale) — the paper's Table 1</text>`];
  for (let v = lo; v <= hi; v *= 10) out.push(`<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  for (const p of PAPER_TABLE1) out.push(`<text x="${x(p.height)}" y="${H - B + 18}" text-anchor="middle">${p.height}</text>`);
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">triangle height (px)</text>`);
  series.forEach((s, i) => {
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.pts.map(([h, v]) => `${x(h)},${y(v)}`).join(" ")}"/>`);
    for (const [h, v] of s.pts) out.push(`<circle cx="${x(h)}" cy="${y(v)}" r="3" fill="${s.color}"/>`);
    out.push(`<rect x="${W - R + 10}" y="${T + i * 20}" width="12" height="12" fill="${s.color}"/><text x="${W - R + 28}" y="${T + i * 20 + 10}">${s.name}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}

export async function benchTable1(args: string[]): Promise<number> {
  const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const n = Number(flag("--n") ?? PAPER_N);
  const heights = (flag("--heights") ?? "20,40,60,80,100").split(",").map(Number);
  const wheres = (flag("--where") ?? "chromium,node").split(",") as Array<"node" | "chromium">;
  const outDir = flag("--out") ?? join(PROJECT_DIR, "build", "bench");
  const log = (m: string) => process.stderr.write(m + "\n");
  const kernels = flag("--kernels") ? flag("--kernels")!.split(",").map(parseFlavour) : [currentFlavour()];
  const engineFlags = args.includes("--engine-flags");
  ensureOtherGuests(kernels);
  const runs: Table1Run[] = [];
  for (const where of wheres) {
    for (const kernel of kernels) {
      // Without the page's warm-up build, which would otherwise share the guest's CPU with the first heights.
      const s = where === "node" ? await openNodeSession({ kernel }) : await openChromiumSession(undefined, { warmUp: false, kernel, kernels, engineFlags });
      try {
        runs.push(...await runTable1(s, n, heights, log, undefined, kernel));
      } finally {
        await s.close();
      }
    }
  }
  process.stdout.write(`\nvgpu-lab bench table1: ${n} Gouraud triangles per height, by DMA through the reference driver, card in burst mode\n${table(runs)}\n\nWhere the time goes (per 1M triangles)\n${breakdown(runs)}\n${kernelRatios(runs)}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "table1.json"), JSON.stringify({ n, paper: PAPER_TABLE1, runs, at: new Date().toISOString() }, null, 2) + "\n");
  writeFileSync(join(outDir, "table1.csv"), ["where,height,n,seconds,seconds_per_1M,paper_real,paper_virtual,card_model_ms,interrupts,pixels,dma_words",
    ...runs.map((r) => { const p = PAPER_TABLE1.find((x) => x.height === r.height); return [r.where, r.height, r.n, r.seconds, r.secondsPer1M, p?.real ?? "", p?.virtual ?? "", r.card.simulateMs.toFixed(1), r.card.irqRaises, r.card.pixels, r.card.dmaWords].join(","); })].join("\n") + "\n");
  writeFileSync(join(outDir, "table1.svg"), plotSvg(runs));
  process.stdout.write(`\nwritten: ${join(outDir, "table1.json")}, table1.csv, table1.svg\n`);
  return 0;
}
