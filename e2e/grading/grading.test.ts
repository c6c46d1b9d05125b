import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { strToU8, unzipSync, zipSync, strFromU8 } from "fflate";
import { permedia2v } from "../../vcd/card/variants/permedia2v.ts";
import { deriveVariant } from "../../vcd/card/variants/derive.ts";
import { PROJECT_DIR } from "../../vcd/machine/node-host.ts";
import { DEFAULT_ASSIGNMENT, loadAssignment } from "./assignment.ts";
import { shardOf, stageSubmissions } from "./manifest.ts";
import { classReport, writeReports } from "./report.ts";
import { REFERENCE_ID, type CheckResult, type SubmissionResult } from "./results.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "vgpu-grade-"));
const read = (p: string) => readFileSync(join(PROJECT_DIR, p), "utf8");
const MAKEFILE = "obj-m := drv.o\nall:\n\t$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(CURDIR) modules\n";

function result(student: string, shard: string, scores: Record<string, number>, throughput?: { h20: number; h100: number }): SubmissionResult {
  const checks: CheckResult[] = DEFAULT_ASSIGNMENT.checks.map((c) => ({
    id: c.id, title: c.title, weight: c.weight, score: scores[c.id] ?? 1, status: (scores[c.id] ?? 1) === 1 ? "pass" : "fail", reason: "r", ms: 1000, evidence: [],
    ...(c.id === "throughput" && throughput ? { details: throughput } : {}),
  }));
  return { student, variant: "permedia2v", shard, startedAt: "2026-12-03T00:00:00Z", ms: 60_000, checks, notes: [] };
}

test("intake: folders and zips become the page's zip with the course's files over the student's; bad input is refused with a reason", () => {
  const dir = tmp(), out = tmp();
  const v = deriveVariant(permedia2v, { name: "intake", seed: "s", commands: "ring" });
  mkdirSync(join(dir, "alice"));
  writeFileSync(join(dir, "alice", "Makefile"), MAKEFILE);
  writeFileSync(join(dir, "alice", "drv.c"), "int x;\n");
  writeFileSync(join(dir, "alice", "drv.ko"), "\x7fELF\0");
  mkdirSync(join(dir, "alice", "tests"));
  writeFileSync(join(dir, "alice", "tests", "pm2ref-tests.c"), "int main(void) { return 0; } /* the student's own copy */\n");
  symlinkSync("/etc/passwd", join(dir, "alice", "passwd"));
  writeFileSync(join(dir, "bob.zip"), zipSync({ Makefile: strToU8(MAKEFILE), "drv.c": strToU8("int y;\n") }));
  writeFileSync(join(dir, "mallory.zip"), zipSync({ Makefile: strToU8(MAKEFILE), "../escape.c": strToU8("x") }));
  mkdirSync(join(dir, "nomake"));
  writeFileSync(join(dir, "nomake", "drv.c"), "x");
  mkdirSync(join(dir, "huge"));
  writeFileSync(join(dir, "huge", "Makefile"), MAKEFILE);
  writeFileSync(join(dir, "huge", "big.c"), Buffer.alloc(2 << 20, 32));
  mkdirSync(join(dir, "many"));
  for (let i = 0; i < 600; i++) writeFileSync(join(dir, "many", `f${i}.c`), "x");

  const staged = stageSubmissions(dir, out, v, read, { Makefile: MAKEFILE, "drv.c": "ref" });
  const by = Object.fromEntries(staged.map((s) => [s.student, s]));
  assert.deepEqual(Object.keys(by).sort(), [REFERENCE_ID, "alice", "bob", "huge", "mallory", "many", "nomake"].sort());
  assert.equal(by.alice!.module, "drv");
  assert.ok(by.alice!.notes.some((n) => n.startsWith("passwd: a symbolic link")), by.alice!.notes.join("; "));
  assert.ok(by.alice!.notes.some((n) => n.startsWith("drv.ko: a build product")));
  const files = unzipSync(readFileSync(by.alice!.zip!));
  assert.ok(!("passwd" in files) && !("drv.ko" in files));
  assert.match(strFromU8(files["include/generated/pm2v_regs.h"]!), /PM2_CMD_RING/, "the variant's header");
  assert.equal(strFromU8(files["tests/pm2ref-tests.c"]!), read("kmod/tests/pm2ref-tests.c"), "the course's tests, not the student's copy");
  assert.ok(by.bob!.zip);
  assert.match(by.mallory!.refused!, /\.\./);
  assert.match(by.nomake!.refused!, /no Makefile/);
  assert.match(by.huge!.refused!, /big\.c is 2\.1 MB/);
  assert.match(by.many!.refused!, /more than 500 files/);
});

test("shards: a deterministic partition of the class, the reference driver in every shard", () => {
  const all = [{ student: REFERENCE_ID }, ...["e", "a", "d", "b", "c"].map((student) => ({ student }))];
  const s1 = shardOf(all, { index: 1, count: 2 }), s2 = shardOf(all, { index: 2, count: 2 });
  assert.deepEqual(s1.map((s) => s.student), [REFERENCE_ID, "a", "c", "e"]);
  assert.deepEqual(s2.map((s) => s.student), [REFERENCE_ID, "b", "d"]);
  assert.deepEqual(shardOf([...all].reverse(), { index: 1, count: 2 }).map((s) => s.student), s1.map((s) => s.student));
});

test("report: throughput against the same shard's reference; two shards merged give the one-run report", () => {
  const ref1 = result(REFERENCE_ID, "1/2", {}, { h20: 2, h100: 10 });
  const ref2 = result(REFERENCE_ID, "2/2", {}, { h20: 4, h100: 20 }); // a slower runner
  const a = result("alice", "1/2", {}, { h20: 2.2, h100: 11 });
  const b = result("bob", "2/2", { burst: 0 }, { h20: 4.4, h100: 60 }); // 3x at h100
  const c = result("carol", "1/2", { build: 0, load: 0 }, undefined);
  const r = classReport([ref1, ref2, a, b, c], DEFAULT_ASSIGNMENT);
  assert.deepEqual(r.submissions.map((s) => s.student), ["alice", "bob", "carol"]);
  const tp = (s: string) => r.submissions.find((x) => x.student === s)!.checks.find((x) => x.id === "throughput")!;
  assert.equal(tp("alice").score, 1);
  assert.equal(tp("bob").score, 0.4, tp("bob").reason); // (4 - 3) / (4 - 1.5)
  assert.match(tp("bob").reason, /height 100: 60\.00 s, 3\.00× the reference/);
  assert.equal(r.submissions.find((s) => s.student === "bob")!.total, 100 - 15 - 6);
  assert.equal(r.submissions.find((s) => s.student === "carol")!.total, 75);

  // The same results as one run's (one reference) and as two shards': same scores.
  const one = classReport([{ ...ref1, shard: "1/1" }, { ...a, shard: "1/1" }, { ...c, shard: "1/1" }], DEFAULT_ASSIGNMENT);
  const two = classReport([ref1, a, c], DEFAULT_ASSIGNMENT);
  const scores = (x: typeof one) => x.submissions.map((s) => [s.student, s.total, s.checks.map((k) => k.score)]);
  assert.deepEqual(scores(two), scores(one));

  const out = tmp();
  writeReports(out, [ref1, ref2, a, b, c], DEFAULT_ASSIGNMENT);
  const junit = readFileSync(join(out, "junit.xml"), "utf8");
  assert.equal((junit.match(/<testsuite /g) ?? []).length, 3);
  assert.match(junit, /<testcase classname="bob" name="burst: [^"]*" time="1\.0"><failure message="0\.0 of 15: r">/);
  assert.match(readFileSync(join(out, "index.html"), "utf8"), /<a href="submissions\/bob\.html">bob<\/a>/);
  assert.match(readFileSync(join(out, "submissions", "carol.html"), "utf8"), /carol: 75 \/ 100/);
  assert.doesNotMatch(readFileSync(join(out, "index.html"), "utf8"), new RegExp(REFERENCE_ID));
});

test("assignment files: a course's own program check; mistakes named with the field and the fix", () => {
  const dir = tmp();
  const f = join(dir, "a.json");
  writeFileSync(f, JSON.stringify({ name: "lab 3", checks: [{ id: "build", weight: 20 }, { id: "my-demo", title: "our demo", weight: 5, run: "./tests/pm2-demo -f 10" }] }));
  const a = loadAssignment(f);
  assert.deepEqual(a.checks.map((c) => [c.id, c.kind]), [["build", "builtin"], ["my-demo", "program"]]);
  writeFileSync(f, JSON.stringify({ checks: [{ id: "build", weight: 1 }, { id: "x", weight: 1 }] }));
  assert.throws(() => loadAssignment(f), /\$\.checks\[1\]\.run: a program check has no command/);
  writeFileSync(f, JSON.stringify({ checks: [{ id: "load", weight: 1 }] }));
  assert.throws(() => loadAssignment(f), /no build check/);
  writeFileSync(f, "{ checks: }");
  assert.throws(() => loadAssignment(f), /not JSON/);
});
