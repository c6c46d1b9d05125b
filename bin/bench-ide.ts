// `vgpu-lab bench ide`: a student's first minutes in a fresh lab tab, in headless Chromium through the page's
// machine (window.vgpu.machine, body[data-ready]): the usable shell, the first Build of the starter project, a
// warm Build. Each run opens a fresh tab (a fresh page, machine and server cache state of the browser).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";
import { STARTER_MODULE, starterFiles } from "../kmod/starter/project.ts";
import { type BenchRow, printTable } from "./bench.ts";
import { type DiskPrefetchState, type LabSession, openChromiumSession, openNodeSession } from "./session.ts";

/** What a student's Build runs, in the project's folder (/work). */
const BUILD = "make 2>&1";

export interface IdeRun {
  readyMs: number;
  machineStartMs: number;
  firstBuildMs: number;
  /** The disk prefetch when the first Build started, and when it had arrived (ms after the machine started). */
  prefetchAtBuild: DiskPrefetchState;
  prefetch: DiskPrefetchState;
  firstBuildDiskBytes: number;
  warmBuildMs: number[];
}

async function timedBuild(s: LabSession, what: string): Promise<number> {
  const t0 = Date.now();
  const r = await s.exec(BUILD, 900_000);
  const ms = Date.now() - t0;
  if (r.status !== "exited" || r.exitCode !== 0) throw new Error(`${what} of the starter project failed (${r.status} ${r.exitCode}):\n${r.stdout}${r.stderr}`);
  return ms;
}

/** One fresh tab: open, put the starter project into /work, Build, touch the driver, Build twice more. */
export async function ideRun(s: LabSession, log: (m: string) => void): Promise<IdeRun> {
  log(`[${s.where}] shell usable ${(s.readyMs / 1000).toFixed(1)} s after opening (machine start ${(s.machineStartMs / 1000).toFixed(1)} s)`);
  for (const [path, data] of starterFiles((p) => readFileSync(join(PROJECT_DIR, p)))) await s.putFile(path, data);
  const prefetchAtBuild = await s.diskPrefetch();
  const disk0 = await s.diskBytesFetched();
  const firstBuildMs = await timedBuild(s, "the first Build");
  const firstBuildDiskBytes = (await s.diskBytesFetched()) - disk0;
  const ko = await s.exec(`test -s ${STARTER_MODULE}`);
  if (ko.exitCode !== 0) throw new Error(`the first Build made no ${STARTER_MODULE}`);
  log(`[${s.where}] first Build ${(firstBuildMs / 1000).toFixed(1)} s (prefetch ${"pending" in prefetchAtBuild ? "not yet arrived" : "arrived"} when it started)`);
  const warmBuildMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    await s.exec("touch pm2drv.c");
    warmBuildMs.push(await timedBuild(s, "a warm Build"));
  }
  log(`[${s.where}] warm Builds ${warmBuildMs.map((m) => (m / 1000).toFixed(1)).join(", ")} s`);
  return { readyMs: s.readyMs, machineStartMs: s.machineStartMs, firstBuildMs, prefetchAtBuild, prefetch: await s.diskPrefetch(true), firstBuildDiskBytes, warmBuildMs };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const list = (xs: number[], unit = "s") => xs.map((x) => (x / 1000).toFixed(1)).join(", ") + ` ${unit}`;

export function ideRows(runs: IdeRun[]): BenchRow[] {
  const many = runs.length > 1;
  const fig = (xs: number[]) => ({ value: median(xs) / 1000, note: many ? `median of ${xs.length}: ${list(xs)}` : undefined });
  const arrived = runs.filter((r) => !("pending" in r.prefetchAtBuild)).length;
  const pf = runs.map((r) => r.prefetch).find((p) => "bytes" in p) as { bytes: number; packedBytes: number; ms: number } | undefined;
  const failed = runs.map((r) => r.prefetch).find((p) => "error" in p) as { error: string } | undefined;
  return [
    { name: "page open → usable shell", unit: "s", anchor: "restore goal ≤ 3 s (bench machine)", ...fig(runs.map((r) => r.readyMs)) },
    { name: "  of which the machine's restore to shell", unit: "s", anchor: "goal ≤ 3 s", ...fig(runs.map((r) => r.machineStartMs)) },
    { name: "disk prefetch (background, after the shell)", unit: "MB", value: pf ? pf.packedBytes / 1e6 : 0,
      note: pf ? `${(pf.bytes / 1e6).toFixed(1)} MB of disk, in v86's cache ${list(runs.map((r) => ("ms" in r.prefetch ? r.prefetch.ms : NaN)))} after the shell` : failed ? `failed: ${failed.error}` : "none in this state" },
    { name: "first Build of the starter project (from a usable shell)", unit: "s", anchor: "goal ≤ 10 s; 41–63 s before",
      ...fig(runs.map((r) => r.firstBuildMs)),
      note: `${many ? `median of ${runs.length}: ${list(runs.map((r) => r.firstBuildMs))}; ` : ""}prefetch had arrived when it started in ${arrived} of ${runs.length}` },
    { name: "  disk the first Build fetched itself", unit: "MB", value: median(runs.map((r) => r.firstBuildDiskBytes)) / 1e6, note: "reads the prefetch did not hold" },
    { name: "warm Build (pm2drv.c touched)", unit: "s", anchor: "4.3 s (bench machine, hello-pci)", ...fig(runs.flatMap((r) => r.warmBuildMs)) },
    { name: "keystroke latency p50/p95 under tri-bench h100 load", unit: "", value: 0, text: "not measured yet", note: "to come with the IDE" },
    { name: "Table 1 h20/h100 in the page", unit: "", value: 0, text: "not measured yet", note: "to come with the IDE (bench table1 runs it in Chromium without the IDE)" },
  ];
}

export async function benchIde(args: string[]): Promise<number> {
  const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const n = Number(flag("--runs") ?? 1);
  const where = (flag("--where") ?? "chromium") as "chromium" | "node";
  const port = Number(flag("--port") ?? 5182);
  if (!(n >= 1) || !["chromium", "node"].includes(where) || !(port > 0)) {
    process.stderr.write("usage: vgpu-lab bench ide [--runs N] [--where chromium|node] [--port N]\n");
    return 2;
  }
  const log = (m: string) => process.stderr.write(m + "\n");
  const runs: IdeRun[] = [];
  for (let i = 0; i < n; i++) {
    const s = where === "node" ? await openNodeSession() : await openChromiumSession(port);
    try {
      runs.push(await ideRun(s, log));
    } finally {
      await s.close();
    }
  }
  printTable(`vgpu-lab bench ide (${where === "chromium" ? "headless Chromium, through the page" : "Node"}, this host; ${n} fresh ${n > 1 ? "tabs" : "tab"})`, ideRows(runs));
  return 0;
}
