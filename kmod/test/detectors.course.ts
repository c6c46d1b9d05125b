// The course flavour (the same Linux, built with its bug detectors; guest-image/kernel/course.config) names a first
// driver's classic bugs the first time they run, with ordinary interrupt timing: the paper's IRQ-vs-ioctl race by
// lockdep in a single submit-and-wait, a DMA buffer left allocated by the DMA API debugger, an allocation that may
// sleep under a spinlock by the might-sleep check; and the reference driver runs its TAP suite with none of them.
// Run by `npx vgpu-lab test course` (it builds the course guest first), beside e2e/course.spec.ts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCourseModule, courseKernel } from "../../guest-image/src/course-kernel.ts";
import { hostPrograms, putPrograms } from "./programs.ts";
import { Machine } from "../../vcd/machine/machine.ts";
import type { Detector, KernelEvent } from "../../vcd/machine/console-watch.ts";
import { copyDirIn, PROJECT_DIR, startNodeMachine } from "../../vcd/machine/node-host.ts";
import { parseTap, tapProblems } from "../../bin/tap.ts";
import { reportBlock, reportSources } from "../../vcd/machine/report-source.ts";
import { racyVariant } from "./racy.ts";
import { dmaLeakVariant, kfreeLeakVariant, sleepLockedVariant } from "./buggy.ts";
import { FIXTURES } from "../fixtures/submissions.ts";

let m: Machine;
const events: KernelEvent[] = [];
const reports = () => events.filter((e): e is Extract<KernelEvent, { kind: "report" }> => e.kind === "report");
const VARIANTS = {
  racy: racyVariant, dmaleak: dmaLeakVariant, sleeper: sleepLockedVariant, kfreeleak: kfreeLeakVariant,
  irqleak: FIXTURES.find((f) => f.id === "irq-leak")!.transform,
};

// The fixtures are built on this host against the course kernel's own tree (seconds, where the same kbuild in the
// debug guest takes minutes each); the guest's own kbuild on this kernel is what the image build did for vpcib and
// vgpu. Their debug info names the folders they get in the guest, where kframe2line reads it.
before(async () => {
  const kernel = await courseKernel();
  const host = join(mkdtempSync(join(tmpdir(), "vgpu-course-")), "kmod");
  cpSync(join(PROJECT_DIR, "kmod"), host, { recursive: true });
  const ref = readFileSync(join(host, "reference/pm2ref.c"), "utf8");
  for (const [name, make] of Object.entries(VARIANTS)) {
    mkdirSync(join(host, name));
    writeFileSync(join(host, name, "pm2ref.c"), make(ref));
    cpSync(join(host, "reference/Makefile"), join(host, name, "Makefile"));
  }
  for (const dir of ["reference", ...Object.keys(VARIANTS)]) await buildCourseModule(kernel, join(host, dir), `/work/kmod/${dir}`);
  const programs = await hostPrograms();
  m = await startNodeMachine({ flavour: "course" });
  m.onKernelEvent((e) => events.push(e));
  await copyDirIn(m, host, "kmod");
  await putPrograms(m, programs);
});
after(async () => { await m?.destroy(); });

/**
 * A line through the kernel's log to the console, and the wait until the console has shown it: the console (the
 * first serial line) can lag behind the agent's reply (the second), so what a command made the kernel print is all
 * in only once a line printed after it has arrived.
 */
let marks = 0;
async function consoleMark(what: string): Promise<void> {
  const line = `vgpu-test: ${what} ${++marks}`;
  await m.exec(`echo '<3>${line}' > /dev/kmsg`);
  for (let t0 = Date.now(); !m.consoleTail().includes(line); await new Promise((r) => setTimeout(r, 200))) {
    assert.ok(Date.now() - t0 < 120_000, `the console never showed "${line}"`);
  }
}

/** Load a variant, submit one buffer and wait for it, unload; the command's result and the detector's reports. */
async function submitOnce(variant: keyof typeof VARIANTS, detector: Detector, beforeUnload = "") {
  await consoleMark("begin");
  events.length = 0;
  const r = await m.exec([
    `insmod /work/kmod/${variant}/pm2ref.ko`,
    "for j in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/pm2ref0 ] && break; sleep 0.2; done",
    `/work/kmod/tests/tri-bench -q -c -n 1 -h 20${beforeUnload}; rmmod pm2ref`,
  ].join(" && "), { timeout: 300_000 });
  assert.equal(r.status, "exited", `${r.status}\n${r.consoleTail ?? ""}`);
  await consoleMark("end");
  const found = reports().filter((e) => e.detector === detector);
  assert.ok(found.length >= 1, `a ${detector} report: ${JSON.stringify(events)}\n${m.consoleTail().slice(-6000)}`);
  return { r, found };
}

test("the course kernel is the one running, with lockdep on", async () => {
  const r = await m.exec("uname -r; cat /proc/sys/kernel/prove_locking 2>/dev/null || grep -c lockdep /proc/lockdep_stats 2>/dev/null; test -e /proc/lockdep && echo lockdep");
  assert.match(r.stdout, /-course\n/, r.stdout);
  assert.match(r.stdout, /lockdep/, r.stdout);
});

// This test found that the reference driver kept an open file's DMA buffers past remove() at a hot-unplug (the DMA
// API debugger's "pending DMA allocations"); remove() now zaps the file's mappings and frees them, which
// run-tests.sh's hot-unplug step checks from user space (ENODEV, SIGBUS on the mappings).
test("the reference driver runs its TAP suite with no detector report", async () => {
  await consoleMark("begin");
  events.length = 0;
  const r = await m.exec("cd /work/kmod/tests && PM2REF_PREBUILT='built on the host' sh run-tests.sh -n 200 -o /work/kmod/out-course 2>&1", { timeout: 1_800_000 });
  assert.equal(r.status, "exited", `${r.status}\n${r.consoleTail ?? ""}`);
  await consoleMark("end");
  assert.deepEqual(tapProblems(parseTap(r.stdout)), [], r.stdout.slice(-6000));
  assert.deepEqual(reports(), [], m.consoleTail().slice(-6000));
});

test("the paper's race: lockdep names it in one ordinary submit-and-wait (prompt interrupts, no burst)", async () => {
  const { r, found } = await submitOnce("racy", "lockdep");
  assert.match(r.stdout, /^20 1 /m, "the submission itself completes: nothing collided, the detector saw both paths");
  assert.match(found[0].line, /inconsistent lock state/);
  const tail = m.consoleTail();
  assert.match(tail, /\{IN-HARDIRQ-W\} -> \{HARDIRQ-ON-W\}|\{HARDIRQ-ON-W\} -> \{IN-HARDIRQ-W\}/, tail.slice(-6000));
  assert.match(tail, /pm2ref_irq/, "the interrupt handler's stack is in the report");
  // Both paths on the source lines that take the lock (what the lab shows as problems): kframe2line in the guest.
  const lines = await reportSources(m, reportBlock(tail, found[0].line), "/work/kmod/racy");
  const racy = readFileSync(join(PROJECT_DIR, "kmod/reference/pm2ref.c"), "utf8").split("\n");
  const at = (fn: string) => lines.find((l) => l.fn === fn);
  for (const fn of ["pm2ref_queue", "pm2ref_irq"]) {
    const l = at(fn);
    assert.ok(l, `${fn} placed on a line: ${JSON.stringify(lines)}`);
    assert.equal(l.file, "/work/kmod/racy/pm2ref.c");
    assert.match(racy[l.line - 1]!, /spin_lock/, `${fn}'s frame is the line that takes the lock: ${l.line}: ${racy[l.line - 1]}`);
  }
});

test("a DMA buffer left allocated is reported by the DMA API debugger when the driver lets go of the card", async () => {
  const { found } = await submitOnce("dmaleak", "dma-api");
  assert.match(found[0].line, /pending DMA allocations/);
});

test("an allocation that may sleep under a spinlock is reported by the might-sleep check", async () => {
  await submitOnce("sleeper", "might-sleep");
  assert.match(m.consoleTail(), /pm2ref_queue/, "the report's stack names the driver's function");
});

// (Scanned before rmmod: an unloaded module's frames have no names left.)
test("a file's state never freed is found by kmemleak-scan (the lab's scan), naming the driver's open()", async () => {
  const { r } = await submitOnce("kfreeleak", "kmemleak", "; kmemleak-scan || true; kmemleak-scan");
  // kmemleak's known false negative (a stale copy of the pointer, e.g. on the interrupt stack) can hide the object
  // from one call's scans; the second call (what the tool tells a student to do) must find it.
  assert.match(r.stdout, /unreferenced object/, r.stdout);
  assert.match(r.stdout, /pm2ref_open/, "the allocation's backtrace names the driver's function");
  const again = await m.exec("kmemleak-scan");
  assert.match(again.stdout, /no suspected leaks from modules/, "each suspect is reported once");
});

test("an interrupt handler left behind at rmmod (free_irq missing) is named by the card's module", async () => {
  const { found } = await submitOnce("irqleak", "irq-left");
  assert.match(found[0].line, /pm2ref left a handler on IRQ \d+/);
});
