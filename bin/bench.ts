// `vgpu-lab bench machine`: where a student's time goes before and during the edit → build → load loop.
import { execFileSync } from "node:child_process";
import { instructionsBetween } from "../vcd/machine/deadlock.ts";
import { join } from "node:path";
import { statSync } from "node:fs";
import { Machine } from "../vcd/machine/machine.ts";
import { copyDirIn, guestDirOf, nodeAssets, PROJECT_DIR, readManifest, readState, v86WasmPath } from "../vcd/machine/node-host.ts";
import { currentFlavour, parseFlavour, type Flavour } from "../vcd/machine/flavour.ts";
import { ensureImage } from "./cli.ts";
import { ensureOtherGuests } from "./site.ts";
import { pchWait } from "../guest-image/src/kbuild-tuning.ts";

/** `text` stands in for the value (a row kept for a figure not measured yet). */
export interface BenchRow { name: string; value: number; unit: string; anchor?: string; note?: string; text?: string }

/** A Markdown table, its columns padded to their widest cell. */
function markdownTable(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((c) => c[i]!.length)));
  const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(w[i]!)).join(" | ") + " |";
  return `${line(head)}\n|${w.map((n) => "-".repeat(n + 2)).join("|")}|\n${rows.map(line).join("\n")}\n`;
}

export function printTable(title: string, rows: BenchRow[]): void {
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  const cols = rows.map((r) => [r.name, r.text ?? `${fmt(r.value)} ${r.unit}`, r.anchor ?? "", r.note ?? ""]);
  process.stdout.write(`\n${title}\n${markdownTable(["measure", "vgpu-lab", "anchor", "note"], cols)}`);
}

const secs = (ms: number) => ms / 1000;

async function benchMachine(kernel: Flavour): Promise<BenchRow[]> {
  const dir = guestDirOf(kernel);
  const manifest = readManifest(dir);
  const rows: BenchRow[] = [];
  const sample = join(PROJECT_DIR, "kmod/samples/hello-pci");

  // Cold boot.
  let t = Date.now();
  const cold = await Machine.start(nodeAssets(manifest, dir), {});
  rows.push({ name: "cold boot to agent-ready shell", value: secs(Date.now() - t), unit: "s", anchor: "14 s (measured before this project)" });
  // v86's instruction counter is 32 bits and this loop runs over 2^31 instructions: summed from samples every 100 ms,
  // each step read as the status bar's rates read it.
  let ic = cold.instructionCounter(), instructions = 0;
  const sampler = setInterval(() => { const now = cold.instructionCounter(); instructions += instructionsBetween(ic, now); ic = now; }, 100);
  const t1 = Date.now();
  await cold.exec("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
  clearInterval(sampler);
  instructions += instructionsBetween(ic, cold.instructionCounter());
  const ips = (instructions / secs(Date.now() - t1)) / 1e6;
  rows.push({ name: "guest instructions per second (shell loop)", value: ips, unit: "M/s", anchor: "160–330 M/s (v86 notes)" });
  await cold.destroy();

  // Restore.
  const state = readState(manifest, dir);
  if (!state) throw new Error(`no saved state: run \`npx vgpu-lab --flavour ${kernel} image build\``);
  t = Date.now();
  const m = await Machine.start(nodeAssets(manifest, dir), { state });
  rows.push({ name: "restore to usable shell", value: secs(Date.now() - t), unit: "s", anchor: "goal ≤ 3 s" });
  const stateFile = statSync(join(dir, manifest.state!.file)).size;
  rows.push({ name: "state size (gzip)", value: stateFile / 1e6, unit: "MB", note: `${(manifest.state!.rawBytes / 1e6).toFixed(0)} MB raw` });
  // Everything a page fetches before its first shell: the state, the disk blocks the restore read, the BIOSes and
  // v86 itself (the kernel and initrd are not fetched for a restore).
  const fixed = statSync(v86WasmPath()).size + manifest.sizes.bios + manifest.sizes.vgabios;
  const shellDisk = m.emulator.diskBytesFetched();
  rows.push({ name: "bytes fetched before first shell", value: (stateFile + shellDisk + fixed) / 1e6, unit: "MB", anchor: "goal ≤ 25 MB",
    note: `state ${(stateFile / 1e6).toFixed(1)} + disk ${(shellDisk / 1e6).toFixed(1)} + v86.wasm and BIOS ${(fixed / 1e6).toFixed(1)}` });
  const pf = await m.diskPrefetched;
  const trips: number[] = [];
  for (let i = 0; i < 5; i++) { const t0 = Date.now(); await m.exec("true"); trips.push(Date.now() - t0); }
  rows.push({ name: "guest command round trip (agent, `true`)", value: Math.min(...trips), unit: "ms", note: `best of 5; median ${[...trips].sort((a, b) => a - b)[2]} ms` });
  if ("bytes" in pf) {
    rows.push({ name: "disk prefetch, fetched after the first shell", value: pf.packedBytes / 1e6, unit: "MB",
      note: `${(pf.bytes / 1e6).toFixed(1)} MB of disk in ${m.assets.diskPrefetch!.ranges.length} ranges, in v86's cache ${(pf.ms / 1000).toFixed(1)} s after the shell` });
  } else {
    rows.push({ name: "disk prefetch, fetched after the first shell", value: 0, unit: "MB", note: "error" in pf ? `failed: ${pf.error}` : "none in this state" });
  }
  await copyDirIn(m, sample, "bench");
  const diskBefore = m.emulator.diskBytesFetched();
  t = Date.now();
  let r = await m.exec("make -s -C /work/bench 2>&1", { timeout: 600_000 });
  if (r.exitCode !== 0) throw new Error(`build failed: ${r.stdout}`);
  rows.push({ name: "kbuild of a small PCI module, first build after restore", value: secs(Date.now() - t), unit: "s", anchor: "61 s cold (earlier measurement)" });
  const buildDisk = m.emulator.diskBytesFetched() - diskBefore;
  rows.push({ name: "disk bytes the first build fetched itself", value: buildDisk / 1e6, unit: "MB", note: "reads the prefetch did not hold" });
  const packed = "packedBytes" in pf ? pf.packedBytes : 0;
  rows.push({ name: "bytes fetched before first build done", value: (stateFile + fixed + m.emulator.diskBytesFetched() + packed) / 1e6, unit: "MB",
    note: "all of the above: state, v86 and BIOS, disk prefetch, disk reads" });
  // The first build leaves the driver's leading #includes precompiling in the background (kbuild-pch-cc).
  t = Date.now();
  r = await m.exec(pchWait(), { timeout: 700_000 });
  if (r.exitCode !== 0) throw new Error("the precompiled headers did not settle");
  rows.push({ name: "precompiled headers ready after the first build", value: secs(Date.now() - t), unit: "s", note: "background, lowest priority" });
  /** Touch the .c, then time `make` (with `makeArgs`) and whatever follows it. */
  const warmBuild = async (makeArgs = "", then = "") => {
    await m.exec("touch /work/bench/hello_pci.c");
    const t0 = Date.now();
    const b = await m.exec(`make -s -C /work/bench ${makeArgs} 2>&1${then}`, { timeout: 600_000 });
    if (b.exitCode !== 0) throw new Error(`build failed: ${b.stdout}`);
    return Date.now() - t0;
  };
  rows.push({ name: "kbuild, first warm build (one .c touched)", value: secs(await warmBuild()), unit: "s", anchor: "25–29 s before" });
  const warm = await warmBuild();
  rows.push({ name: "kbuild, warm (one .c touched)", value: secs(warm), unit: "s", anchor: "25–29 s before; goal ≤ 5 s" });
  const loop = await warmBuild("", " && insmod /work/bench/hello_pci.ko");
  rows.push({ name: "warm edit → make → insmod", value: secs(loop), unit: "s", anchor: "goal ≤ 5 s" });
  await m.exec("rmmod hello_pci");
  t = Date.now();
  await m.exec("make -s -C /work/bench 2>&1", { timeout: 600_000 });
  rows.push({ name: "no-op make", value: secs(Date.now() - t), unit: "s", anchor: "9.5 s before" });
  const plain = await warmBuild("KBUILD_PCH_CC=");
  rows.push({ name: "kbuild, warm, without precompiled headers", value: secs(plain), unit: "s", note: "make KBUILD_PCH_CC=" });
  t = Date.now();
  await m.exec("insmod /work/bench/hello_pci.ko && rmmod hello_pci");
  rows.push({ name: "insmod + rmmod", value: secs(Date.now() - t), unit: "s" });
  await m.destroy();

  // The same compile on this host, for the ratio (needs host kernel headers; skipped when there are none).
  try {
    const kdir = execFileSync("sh", ["-c", "ls -d /lib/modules/$(uname -r)/build 2>/dev/null"]).toString().trim();
    if (kdir) {
      t = Date.now();
      execFileSync("make", ["-s", "-C", kdir, `M=${sample}`, "modules"], { stdio: "ignore" });
      const native = Date.now() - t;
      execFileSync("make", ["-s", "-C", kdir, `M=${sample}`, "clean"], { stdio: "ignore" });
      rows.push({ name: "same kbuild natively on this host", value: secs(native), unit: "s", note: `guest/native = ${(warm / native).toFixed(0)}×` });
    }
  } catch {
    rows.push({ name: "same kbuild natively on this host", value: 0.6, unit: "s", note: "earlier measurement (no host kernel headers now)" });
  }
  return rows;
}

/** The rows two or more kernels share, side by side, with each kernel's ratio to the first. */
export function kernelRatioTable(runs: Array<[Flavour, BenchRow[]]>): string {
  const [base, baseRows] = runs[0]!;
  const others = runs.slice(1);
  const fmt = (r: BenchRow | undefined) => (r ? r.text ?? `${r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2)} ${r.unit}` : "–");
  const head = ["measure", base, ...others.flatMap(([k]) => [k, `${k}/${base}`])];
  const lines = baseRows.map((b) => [b.name, fmt(b), ...others.flatMap(([, rows]) => {
    const o = rows.find((r) => r.name === b.name);
    return [fmt(o), o && b.value > 0 && !o.text && !b.text ? `${(o.value / b.value).toFixed(2)}×` : "–"];
  })]);
  return `\nThe kernels side by side (ratio to the ${base} kernel)\n${markdownTable(head, lines)}`;
}

export async function runBench(args: string[]): Promise<number> {
  const what = args[0];
  if (what === "machine") {
    const i = args.indexOf("--kernels");
    const kernels = i >= 0 ? args[i + 1]!.split(",").map(parseFlavour) : [currentFlavour()];
    await ensureImage();
    ensureOtherGuests(kernels);
    const runs: Array<[Flavour, BenchRow[]]> = [];
    for (const k of kernels) {
      const rows = await benchMachine(k);
      runs.push([k, rows]);
      printTable(`vgpu-lab bench machine, ${k} kernel (Node, this host)`, rows);
    }
    if (runs.length > 1) process.stdout.write(kernelRatioTable(runs));
    return 0;
  }
  if (what === "card") {
    const { benchCard } = await import("../vcd/card/bench.ts");
    const anchors: Array<[RegExp, string]> = [
      [/tag words/, "goal > 50 M words/s (table 1)"],
      [/Gouraud pixels/, "goal > 100 M pixels/s (table 1)"],
    ];
    const rows = (await benchCard()).map((r) => ({ ...r, anchor: anchors.find(([re]) => re.test(r.name))?.[1] }));
    printTable("vgpu-lab bench card (the card model alone, Node, this host)", rows);
    return 0;
  }
  if (what === "ide") {
    const { benchIde } = await import("./bench-ide.ts");
    return await benchIde(args.slice(1));
  }
  if (what === "table1") {
    const { benchTable1 } = await import("./bench-table1.ts");
    return await benchTable1(args.slice(1));
  }
  process.stderr.write("usage: vgpu-lab bench machine [--kernels stock,course] | card | ide [--runs N] [--n N] | table1 [--n N] [--heights 20,40,…] [--where chromium,node] [--kernels stock,course] [--out DIR]\n");
  return 2;
}
