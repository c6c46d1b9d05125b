import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { permedia2v } from "../../vcd/card/variants/permedia2v.ts";
import { DEFAULT_ASSIGNMENT } from "./assignment.ts";
import { runCheck, type GradeContext } from "./checks.ts";
import type { KernelEventRecord, LabPage } from "./lab-page.ts";

// runCheck against a scripted lab: what the guest answers to each command, and the kernel events it raises.
type Answer = { status: string; exitCode?: number; stdout?: string; events?: KernelEventRecord[] };

function fakeLab(answer: (command: string) => Answer) {
  const events: KernelEventRecord[] = [];
  const commands: string[] = [];
  let recovered = 0;
  const lab = {
    page: { screenshot: async () => Buffer.alloc(0) },
    async exec(command: string) {
      commands.push(command);
      const a = answer(command);
      events.push(...(a.events ?? []));
      return { status: a.status, exitCode: a.exitCode ?? 0, stdout: a.stdout ?? "" };
    },
    async command() { return { statusText: "", problems: [], crash: null }; },
    async kernelEvents(since = 0) { return events.slice(since); },
    async cardProblemCount() { return 0; },
    async cardProblems() { return []; },
    async serialLog() { return events.map((e) => e.line).join("\n"); },
    async recover() { recovered++; },
    async setIrqTiming() {},
    async getFile() { return null; },
  };
  return { lab: lab as unknown as LabPage, commands, recovered: () => recovered };
}

function context(lab: LabPage, loaded: boolean): GradeContext {
  return {
    lab, assignment: DEFAULT_ASSIGNMENT, variant: permedia2v, module: "pm2ref",
    evidenceDir: mkdtempSync(join(tmpdir(), "vgpu-checks-")), evidenceRel: "evidence/x",
    built: true, loaded, baseline: { irqLine: "", iomem: "" }, framesDumped: false,
  };
}

const spec = (id: string) => DEFAULT_ASSIGNMENT.checks.find((c) => c.id === id)!;

test("a detector's report during a check fails it, naming the detector and keeping the kernel's text; the machine is not restored", async () => {
  const report: KernelEventRecord = { kind: "report", detector: "lockdep", line: "[  264.06] WARNING: inconsistent lock state", at: 0 };
  const f = fakeLab((c) => (c.includes("pm2ref-tests") ? { status: "exited", stdout: "1..2\nok 1 - a\nok 2 - b\n", events: [report] } : { status: "exited" }));
  const ctx = context(f.lab, true);
  const r = await runCheck(ctx, spec("tests"));
  assert.equal(r.score, 0);
  assert.equal(r.status, "fail");
  assert.match(r.reason, /^a lockdep report during the check: .*inconsistent lock state/);
  assert.match(r.kernel ?? "", /inconsistent lock state/);
  assert.equal(f.recovered(), 0);
  assert.equal(ctx.loaded, true, "the kernel goes on after a report: the driver stays loaded for the next check");
});

test("a driver that oopsed in the load check is not loaded again: the later checks are not run, without an insmod each", async () => {
  const oops: KernelEventRecord = { kind: "oops", line: "BUG: kernel NULL pointer dereference, address: 00000010", at: 0 };
  const f = fakeLab((c) => (c.includes("/proc/modules") ? { status: "oops", events: [oops] } : { status: "exited" }));
  const ctx = context(f.lab, false);
  const load = await runCheck(ctx, spec("load"));
  assert.equal(load.score, 0);
  assert.match(load.reason, /kernel oops/);
  const before = f.commands.length;
  for (const id of ["tests", "render", "throughput", "burst", "dma", "unload"]) {
    const r = await runCheck(ctx, spec(id));
    assert.equal(r.status, "not-run", id);
    assert.match(r.reason, /^not run: the driver did not load in the load check/, id);
  }
  assert.equal(f.commands.filter((c) => c.includes("insmod")).length, 0, "no insmod after the load check");
  assert.ok(f.commands.length === before, `no command after the load check: ${f.commands.slice(before).join(" | ")}`);
});

test("a driver that loaded in the load check but not later (a restore in between) is tried once, then not again", async () => {
  let inserts = 0;
  const f = fakeLab((c) => {
    if (c.includes("insmod")) { inserts++; return { status: "timeout" }; }
    return { status: "exited" };
  });
  const ctx = context(f.lab, false);
  for (const id of ["tests", "render", "burst"]) assert.equal((await runCheck(ctx, spec(id))).status, "not-run");
  assert.equal(inserts, 1);
});
