// The checks, each scored on its own: a failure or a timeout in one leaves the others their credit. A check that
// oopses, panics, warns or deadlocks the kernel fails with the kernel's text (and, from the module's debug info, the
// source line), and the machine is restored before the next one. Run in the student's own page (lab-page.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CardVariant } from "../../vcd/card/definition.ts";
import { replayStream } from "../../vcd/card/replay.ts";
import { parseTap, tapProblems } from "../../bin/tap.ts";
import type { Assignment, CheckSpec } from "./assignment.ts";
import type { LabPage } from "./lab-page.ts";
import { statusOf, type CheckResult } from "./results.ts";
import { GPU_SYSFS } from "../../vcd/machine/platform.ts";
import { shellQuote as q } from "../../vcd/machine/agent.ts";
import { pchWait } from "../../guest-image/src/kbuild-tuning.ts";

const CARD = GPU_SYSFS;
/** The course's uapi: the device node a driver must create. */
const DEV = "/dev/pm2ref0";
/** Roles of the card's DMA errors (ErrorFlags). */
const DMA_ERRORS = new Set(["master", "dma", "inDmaOverwrite"]);
const FRAMES = ["triangle", "triangles300"];
/** tri-bench runs per height in the throughput check; the fastest counts. */
const THROUGHPUT_RUNS = 2;

export interface GradeContext {
  lab: LabPage;
  assignment: Assignment;
  variant: CardVariant;
  /** The module the submission's Makefile builds (obj-m), without .ko. */
  module: string;
  /** Evidence folder (absolute) and its path as the report names it. */
  evidenceDir: string;
  evidenceRel: string;
  built: boolean;
  loaded: boolean;
  /** /proc/interrupts' line for the card's IRQ and /proc/iomem before any driver was loaded. */
  baseline: { irqLine: string; iomem: string };
  /** Set by the tests check: the frames it dumped are in /work/.grade. */
  framesDumped: boolean;
  /**
   * Why the driver cannot be loaded, once the load check scored nothing or a later load failed: the checks after
   * it are not run instead of each trying again (an oops at insmod costs a restore, a hang the whole limit).
   */
  loadFailure?: string;
}

type Outcome = Pick<CheckResult, "score" | "reason"> & Partial<Pick<CheckResult, "evidence" | "details" | "cardErrors">>;
class NotRun extends Error {}

const irqLineOf = (text: string) => text.trim().replace(/^\s*\d+:\s*(\d+\s+)*/, "");

export async function baseline(lab: LabPage): Promise<GradeContext["baseline"]> {
  const r = await lab.exec(`irq=$(cat ${CARD}/irq); grep "^ *$irq:" /proc/interrupts; echo ----; cat /proc/iomem`, 60);
  const [irq, iomem] = r.stdout.split("----\n");
  return { irqLine: irqLineOf(irq ?? ""), iomem: iomem ?? "" };
}

async function shot(ctx: GradeContext, name: string): Promise<string> {
  mkdirSync(ctx.evidenceDir, { recursive: true });
  await ctx.lab.page.screenshot({ path: join(ctx.evidenceDir, `${name}.png`) });
  return `${ctx.evidenceRel}/${name}.png`;
}

/** The exec failed the check by itself (timeout, panic, deadlock: the machine was restored). */
function execFailure(ctx: GradeContext, r: { status: string; deadlock?: { line: string } }, what: string): Outcome | null {
  if (r.status === "exited") return null;
  ctx.loaded = false;
  ctx.framesDumped = false;
  const why = r.status === "timeout" ? "did not finish in time (a hang: the machine was restored)"
    : r.status === "oops" ? "oopsed the kernel (the machine was restored)"
    : r.status === "deadlock" ? `deadlocked the machine: ${r.deadlock?.line ?? "stuck in the kernel with interrupts off"}`
    : "panicked the kernel";
  return { score: 0, reason: `${what} ${why}` };
}

async function ensureLoaded(ctx: GradeContext): Promise<void> {
  if (!ctx.built) throw new NotRun("not run: the build failed");
  if (ctx.loaded) return;
  if (ctx.loadFailure) throw new NotRun(ctx.loadFailure);
  const r = await ctx.lab.exec(`grep -q "^${ctx.module} " /proc/modules || insmod ./${q(ctx.module + ".ko")}; for i in $(seq 1 30); do [ -c ${DEV} ] && break; sleep 0.1; done; [ -c ${DEV} ]`, 120);
  if (r.status !== "exited" || r.exitCode !== 0) {
    ctx.loadFailure = `not run: the driver does not load (${r.status === "exited" ? `no ${DEV}` : r.status})`;
    throw new NotRun(ctx.loadFailure);
  }
  ctx.loaded = true;
}

const CHECKS: Record<string, (ctx: GradeContext, spec: CheckSpec) => Promise<Outcome>> = {
  async build(ctx): Promise<Outcome> {
    const r = await ctx.lab.command("build");
    const errors = r.problems.filter((p) => p.severity === "error");
    const warnings = r.problems.filter((p) => p.severity === "warning");
    const where = (p: { path: string | null; line: number; message: string }) => `${p.path ?? "?"}:${p.line}: ${p.message}`;
    const ko = await ctx.lab.exec(`test -f ${q(ctx.module + ".ko")}`, 60);
    if (!r.statusText.startsWith("Build succeeded") || ko.exitCode !== 0) {
      return { score: 0, reason: `the build failed: ${errors[0] ? where(errors[0]) : r.statusText}`, details: { errors: errors.length, warnings: warnings.length } };
    }
    ctx.built = true;
    const score = Math.max(0.5, 1 - 0.1 * warnings.length);
    return { score, reason: warnings.length ? `builds with ${warnings.length} warning${warnings.length > 1 ? "s" : ""} (−10% each): ${where(warnings[0]!)}` : "builds without a warning", details: { warnings: warnings.length } };
  },

  async load(ctx) {
    if (!ctx.built) throw new NotRun("not run: the build failed");
    await ctx.lab.command("load");
    const r = await ctx.lab.exec([
      `for i in $(seq 1 30); do [ -c ${DEV} ] && break; sleep 0.1; done`,
      `grep -q "^${ctx.module} " /proc/modules && echo module=yes`,
      `echo bound=$(basename "$(readlink ${CARD}/driver/module 2>/dev/null)")`,
      `[ -c ${DEV} ] && echo dev=yes`,
    ].join("\n"), 120);
    const fail = execFailure(ctx, r, "loading");
    if (fail) return fail;
    const module = /^module=yes$/m.test(r.stdout), bound = new RegExp(`^bound=${ctx.module}$`, "m").test(r.stdout), dev = /^dev=yes$/m.test(r.stdout);
    ctx.loaded = module && dev;
    const evidence = [await shot(ctx, "load")];
    const score = (module ? 0.4 : 0) + (bound ? 0.3 : 0) + (dev ? 0.3 : 0);
    const missing = [!module && "the module is not loaded (insmod failed)", module && !bound && "probe did not bind the card (lspci -k shows no driver in use)", module && !dev && `no ${DEV}`].filter(Boolean);
    return { score, reason: missing.length ? missing.join("; ") : `loaded, bound to the card, ${DEV} appeared`, evidence };
  },

  async tests(ctx) {
    await ensureLoaded(ctx);
    const r = await ctx.lab.exec(`make -s -C tests >/dev/null 2>&1 || echo 'Bail out! the course test programs did not build'; rm -rf /work/.grade; ./tests/pm2ref-tests -n 200 -o /work/.grade 2>&1`, 1800);
    const fail = execFailure(ctx, r, "the course's tests");
    if (fail) return fail;
    const tap = parseTap(r.stdout);
    const planned = tap.planned ?? tap.tests.length;
    const passed = tap.tests.filter((t) => t.ok).length;
    ctx.framesDumped = true;
    const problems = tapProblems(tap);
    return { score: planned ? passed / planned : 0, reason: problems.length ? `${passed} of ${planned} passed; ${problems.slice(0, 3).join("; ")}` : `all ${planned} passed`, details: { passed, planned } };
  },

  async render(ctx) {
    await ensureLoaded(ctx);
    if (!ctx.framesDumped) {
      const r = await ctx.lab.exec(`make -s -C tests pm2ref-tests >/dev/null 2>&1; rm -rf /work/.grade; ./tests/pm2ref-tests -n 20 -o /work/.grade >/dev/null 2>&1; ls /work/.grade`, 900);
      const fail = execFailure(ctx, r, "drawing the reference scene");
      if (fail) return fail;
    }
    const tolerance = ctx.assignment.renderTolerancePixels;
    const lines: string[] = [];
    let worst = 0, drawn = 0;
    for (const name of FRAMES) {
      const words = await ctx.lab.getFile(`.grade/${name}.stream`);
      const fb = await ctx.lab.getFile(`.grade/${name}.fb`);
      if (!words || !fb || !words.length || fb.length !== 640 * 480 * 4) { lines.push(`${name}: not drawn`); worst = Infinity; continue; }
      drawn++;
      const stream = new Uint32Array(words.buffer.slice(words.byteOffset, words.byteOffset + (words.length & ~3)));
      const ref = replayStream(ctx.variant, stream).vram.subarray(0, fb.length);
      let differing = 0, first = -1;
      for (let p = 0; p < fb.length; p += 4) {
        if (fb[p] !== ref[p] || fb[p + 1] !== ref[p + 1] || fb[p + 2] !== ref[p + 2]) { if (first < 0) first = p / 4; differing++; }
      }
      worst = Math.max(worst, differing);
      lines.push(differing ? `${name}: ${differing} pixels differ from the card model's rendering (first at ${first % 640},${Math.floor(first / 640)})` : `${name}: identical to the card model's rendering`);
    }
    const evidence = [await shot(ctx, "render")];
    const score = worst <= tolerance ? 1 : drawn ? 0.5 * (drawn / FRAMES.length) * (worst === Infinity ? 1 : 0) : 0;
    return { score, reason: `${lines.join("; ")} (tolerance ${tolerance} pixels)`, evidence, details: { worstPixels: worst === Infinity ? -1 : worst } };
  },

  async throughput(ctx) {
    await ensureLoaded(ctx);
    const { heights, triangles } = ctx.assignment.throughput;
    const details: Record<string, number> = {};
    for (const [i, h] of heights.entries()) {
      const n = triangles[i] ?? triangles[0]!;
      // The best of a few runs: a run of a second or two on a shared host can lose half its speed to a neighbour.
      // Before the first, the guest settles: the submission's first build left its headers precompiling in the
      // background, which would slow its runs and not the reference driver's.
      for (let run = 0; run < THROUGHPUT_RUNS; run++) {
        const make = run === 0 ? `make -s -C tests tri-bench >/dev/null 2>&1; ${pchWait(300)} >/dev/null 2>&1; ` : "";
        const r = await ctx.lab.exec(`${make}./tests/tri-bench -q -n ${n} -h ${h} 2>&1`, 900);
        const fail = execFailure(ctx, r, `tri-bench at height ${h}`);
        if (fail) return fail;
        const m = new RegExp(`^${h} ${n} ([\\d.]+) `, "m").exec(r.stdout);
        if (r.exitCode !== 0 || !m) return { score: 0, reason: `tri-bench -n ${n} -h ${h} failed: ${r.stdout.trim().split("\n").pop() ?? `exit status ${r.exitCode}`}` };
        details[`h${h}`] = Math.min(details[`h${h}`] ?? Infinity, Number(m[1]));
      }
    }
    // Scored against the reference driver's time in the same run when the report is made (report.ts).
    return { score: 1, reason: heights.map((h) => `height ${h}: ${details[`h${h}`]!.toFixed(2)} s`).join(", ") + ` (best of ${THROUGHPUT_RUNS})`, details };
  },

  async burst(ctx) {
    await ensureLoaded(ctx);
    await ctx.lab.setIrqTiming("adversarial");
    try {
      const n = ctx.assignment.burstBuffers;
      const r = await ctx.lab.exec(`make -s -C tests pm2ref-tests >/dev/null 2>&1; ./tests/pm2ref-tests -n ${n} 2>&1; st=$?; dmesg | grep -E 'INFO: task .* blocked|soft lockup|hard LOCKUP|rcu_sched detected stall' | head -3 | sed 's/^/# kernel: /'; exit $st`, 1800);
      const fail = execFailure(ctx, r, "under bursts of interrupts delivered at the worst moment, the driver");
      if (fail) return fail;
      const tap = parseTap(r.stdout);
      const problems = tapProblems(tap);
      const kernel = r.stdout.split("\n").filter((l) => l.startsWith("# kernel: ")).map((l) => l.slice(10));
      if (problems.length || kernel.length || r.exitCode !== 0) {
        const lost = tap.tests.find((t) => !t.ok && /burst|buffers/.test(t.name));
        return { score: 0, reason: `interrupts at the worst moment: ${[...kernel, lost && `lost buffers (${lost.name})`, ...problems].filter(Boolean).slice(0, 3).join("; ")}` };
      }
      return { score: 1, reason: `all ${tap.planned ?? tap.tests.length} tests passed with interrupts delivered right after the register write that raised them (${n}-buffer bursts from several processes)` };
    } finally {
      await ctx.lab.setIrqTiming("prompt");
    }
  },

  async dma(ctx) {
    await ensureLoaded(ctx);
    const r = await ctx.lab.exec(`make -s -C tests tri-bench >/dev/null 2>&1; ./tests/tri-bench -q -n 2000 -h 20 2>&1`, 900);
    const fail = execFailure(ctx, r, "drawing by DMA");
    const all = (await ctx.lab.cardProblems(0)).filter((p) => DMA_ERRORS.has(p.role));
    if (all.length) {
      const first = all[0]!;
      return { score: 0, reason: `the card flagged ${first.error}: ${first.message}`, cardErrors: [...new Set(all.map((p) => `${p.error}: ${p.message}`))].slice(0, 5) };
    }
    if (fail) return fail;
    if (r.exitCode !== 0) return { score: 0, reason: `tri-bench failed: ${r.stdout.trim().split("\n").pop()}` };
    return { score: 1, reason: "every buffer reached the card by its bus address; the card flagged no DMA error in any check" };
  },

  async unload(ctx) {
    await ensureLoaded(ctx);
    const mod = ctx.module;
    const snapshot = `irq=$(cat ${CARD}/irq); grep "^ *$irq:" /proc/interrupts; echo ----; cat /proc/iomem`;
    const loaded = await ctx.lab.exec(snapshot, 60);
    const r = await ctx.lab.exec(`rmmod ${mod} && echo rmmod=ok; sleep 0.3; ${snapshot}`, 120);
    const fail = execFailure(ctx, r, "rmmod");
    if (fail) return fail;
    ctx.loaded = false;
    const problems: string[] = [];
    if (!/^rmmod=ok$/m.test(r.stdout)) problems.push("rmmod failed");
    // What the driver added while loaded (against the lab before it) must be gone after rmmod.
    const [irqLoaded = "", iomemLoaded = ""] = loaded.stdout.split("----\n");
    const [irqAfter = "", iomemAfter = ""] = r.stdout.replace(/^rmmod=ok\n/m, "").split("----\n");
    // The handlers' names end the line, after two spaces (the chip and trigger columns come before them).
    const names = (line: string) => {
      const segs = irqLineOf(line).split(/\s{2,}/);
      return new Set(segs.length > 1 ? segs[segs.length - 1]!.split(/,\s*/).filter(Boolean) : []);
    };
    const before = names(ctx.baseline.irqLine), after = names(irqAfter);
    const leftIrq = [...names(irqLoaded)].filter((n) => !before.has(n) && after.has(n));
    if (leftIrq.length) problems.push(`an interrupt handler is left after rmmod (${leftIrq.join(", ")} in /proc/interrupts: free_irq missing in remove?)`);
    const lines = (t: string) => new Set(t.split("\n").map((l) => l.trim()).filter(Boolean));
    const base = lines(ctx.baseline.iomem), now = lines(iomemAfter);
    const leftMem = [...lines(iomemLoaded)].filter((l) => !base.has(l) && now.has(l));
    if (leftMem.length) problems.push(`a memory region is still claimed after rmmod (/proc/iomem: "${leftMem[0]}"; pci_release_regions missing?)`);
    const card = await ctx.lab.cardQuiet();
    if (card.intEnable !== 0 || card.busy) problems.push(`the card is not quiet after remove (IntEnable 0x${card.intEnable.toString(16)}${card.busy ? ", DMA running" : ""})`);
    const again = await ctx.lab.exec(`insmod ./${q(mod + ".ko")} && echo insmod2=ok; for i in $(seq 1 30); do [ -c ${DEV} ] && break; sleep 0.1; done; [ -c ${DEV} ] && echo dev2=yes; rmmod ${mod} && echo rmmod2=ok`, 120);
    const fail2 = execFailure(ctx, again, "a second insmod/rmmod");
    if (fail2) problems.push(fail2.reason);
    else if (!/^insmod2=ok$/m.test(again.stdout) || !/^dev2=yes$/m.test(again.stdout) || !/^rmmod2=ok$/m.test(again.stdout)) problems.push("a second insmod/rmmod cycle failed");
    return { score: problems.length ? 0 : 1, reason: problems.length ? problems.join("; ") : "rmmod left no handler, no region, a quiet card; a second insmod/rmmod worked" };
  },
};

async function program(ctx: GradeContext, spec: CheckSpec): Promise<Outcome> {
  await ensureLoaded(ctx);
  const r = await ctx.lab.exec(`${spec.run!} 2>&1`, spec.timeoutS);
  const fail = execFailure(ctx, r, spec.title);
  if (fail) return fail;
  const tap = parseTap(r.stdout);
  if (tap.tests.length) {
    const planned = tap.planned ?? tap.tests.length;
    const passed = tap.tests.filter((t) => t.ok).length;
    return { score: planned ? passed / planned : 0, reason: `${passed} of ${planned} passed`, details: { passed, planned } };
  }
  return { score: r.exitCode === 0 ? 1 : 0, reason: `exit status ${r.exitCode}` };
}

/** Where an oops points: "func+0xoff/0xlen [module]" through the module's symbols and debug info (addr2line). */
async function faultLine(ctx: GradeContext, text: string): Promise<string | undefined> {
  const m = new RegExp(`(?:EIP|RIP|PC is at)[: ]+(?:\\S+:)?(\\w+)\\+(0x[0-9a-f]+)/0x[0-9a-f]+ \\[${ctx.module}\\]`).exec(text);
  if (!m) return undefined;
  const [, fn, off] = m;
  const r = await ctx.lab.exec(`objdump -t ${q(ctx.module + ".ko")} | awk '$NF=="${fn}" {print $1, $4; exit}' | { read a sec && addr2line -e ${q(ctx.module + ".ko")} -j "$sec" $(printf '0x%x' $((0x$a + ${off}))); }`, 60);
  const line = r.stdout.trim().split("\n")[0] ?? "";
  return /:\d+/.test(line) && !line.startsWith("??") ? line.replace(/^\/work\//, "") : undefined;
}

/** Runs one check with its time limit, kernel-event watch and machine restore. */
export async function runCheck(ctx: GradeContext, spec: CheckSpec): Promise<CheckResult> {
  const t0 = Date.now();
  const evMark = (await ctx.lab.kernelEvents()).length;
  const cardMark = await ctx.lab.cardProblemCount();
  const base = { id: spec.id, title: spec.title, weight: spec.weight, evidence: [] as string[] };
  let out: Outcome;
  try {
    const impl = spec.kind === "program" ? program : CHECKS[spec.id];
    if (!impl) throw new Error(`no check '${spec.id}'`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    out = await Promise.race([
      impl(ctx, spec),
      new Promise<Outcome>((_, reject) => { timer = setTimeout(() => reject(new Error(`the check ran past its ${spec.timeoutS} s limit`)), (spec.timeoutS + 120) * 1000); }),
    ]).finally(() => clearTimeout(timer));
  } catch (e) {
    if (e instanceof NotRun) return { ...base, score: 0, status: "not-run", reason: e.message, ms: Date.now() - t0 };
    out = { score: 0, reason: (e as Error).message };
  }
  const result: CheckResult = { ...base, ...out, evidence: [...base.evidence, ...(out.evidence ?? [])], score: out.score, status: statusOf(out.score), ms: 0 };
  // A detector's report (lockdep, the might-sleep check, UBSAN … on the course kernel) fails the check as a
  // WARNING does: the kernel named a bug the driver has, though the tests may not have met its consequence.
  const events = (await ctx.lab.kernelEvents(evMark)).filter((e) => ["oops", "panic", "warning", "deadlock", "report"].includes(e.kind));
  if (events.length) {
    const log = await ctx.lab.serialLog();
    const at = log.lastIndexOf(events[0]!.line);
    const text = at >= 0 ? log.slice(Math.max(0, at - 200), at + 3500) : events.map((e) => e.line).join("\n");
    result.kernel = text;
    result.faultLine = await faultLine(ctx, text).catch(() => undefined);
    result.score = 0;
    result.status = "fail";
    const first = events[0]!;
    const what = first.kind === "warning" ? "a kernel WARNING" : first.kind === "deadlock" ? "a deadlock" : first.kind === "report" ? `a ${first.detector ?? "detector"} report` : `a kernel ${first.kind}`;
    result.reason = `${what} during the check: ${first.line}${result.faultLine ? ` (at ${result.faultLine})` : ""}${out.score > 0 ? "" : `; ${out.reason}`}`;
    if (events.some((e) => e.kind === "warning") || (events.some((e) => e.kind === "oops") && ctx.loaded)) {
      await ctx.lab.recover(); // a warning or an oops leaves a tainted kernel, maybe a half-loaded module
      ctx.loaded = false;
      ctx.framesDumped = false;
    }
  }
  const cardErrors = (await ctx.lab.cardProblems(cardMark)).map((p) => `${p.error || p.kind}: ${p.message}`);
  if (cardErrors.length && !result.cardErrors) result.cardErrors = [...new Set(cardErrors)].slice(0, 5);
  if (spec.id === "load" && result.score === 0 && ctx.built) ctx.loadFailure ??= `not run: the driver did not load in the load check (${result.reason.split("\n")[0]!.slice(0, 200)})`;
  result.ms = Date.now() - t0;
  if (result.status === "fail" || result.status === "partial") {
    result.evidence.push(await shot(ctx, `${spec.id}-end`).catch(() => ""));
    result.evidence = result.evidence.filter(Boolean);
  }
  return result;
}

export function writeEvidence(ctx: GradeContext, name: string, text: string): string {
  mkdirSync(ctx.evidenceDir, { recursive: true });
  writeFileSync(join(ctx.evidenceDir, name), text);
  return `${ctx.evidenceRel}/${name}`;
}
