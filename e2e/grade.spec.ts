import { test, expect } from "playwright/test";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { FIXTURES, writeFixtures } from "../kmod/fixtures/submissions.ts";
import type { ClassReport } from "./grading/report.ts";
import { buildSite } from "../bin/site.ts";
import { ROOT } from "./lab.ts";

// `vgpu-lab grade` on the fixture class (a working driver, one that does not build, an oops in probe, the paper's
// IRQ-vs-ioctl race, a CPU pointer handed to the card, a leaked IRQ), as two shards graded side by side and merged:
// each fixture gets the credit it deserves on every check; the reports render.

function vgpuLab(args: string[], log: string[]): Promise<number> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(ROOT, "bin/vgpu-lab.js"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (b: Buffer) => { log.push(b.toString()); process.stdout.write(b); };
    p.stdout.on("data", keep);
    p.stderr.on("data", keep);
    p.on("exit", (code) => done(code ?? 1));
  });
}

test("grading the fixture class in two shards, merged: each submission gets the credit it deserves", async ({ page }, info) => {
  test.setTimeout(7_200_000);
  const work = mkdtempSync(join(tmpdir(), "vgpu-grade-e2e-"));
  writeFixtures(ROOT, join(work, "class"));
  // The default checks, with CI-sized workloads (the assignment file is the instructor's knob): shorter bursts, and
  // half the default's triangles (each throughput run lasts about a second; 5,000 and 500 triangles took 0.01-0.3 s,
  // and their ratio to the reference was noise).
  const assignment = join(work, "assignment.json");
  writeFileSync(assignment, JSON.stringify({ name: "fixture class", burstBuffers: 100, throughput: { heights: [20, 100], triangles: [50000, 10000], fullCreditRatio: 1.5, zeroCreditRatio: 4 } }));
  await buildSite({ log: () => {} }); // once, before the shards publish from it side by side
  const log: string[] = [];
  const t0 = Date.now();
  const codes = await Promise.all([1, 2].map((i) => vgpuLab(["grade", join(work, "class"), "--variant", "permedia2v", "--assignment", assignment, "--out", join(work, `shard${i}`), "--shard", `${i}/2`], log)));
  const minutes = (Date.now() - t0) / 60000;
  expect(codes, log.join("").slice(-4000)).toEqual([0, 0]);
  expect(await vgpuLab(["grade", "merge", join(work, "shard1"), join(work, "shard2"), "--out", join(work, "merged")], log)).toBe(0);

  const report = JSON.parse(readFileSync(join(work, "merged", "report.json"), "utf8")) as ClassReport;
  expect(report.submissions.map((s) => s.student).sort()).toEqual(FIXTURES.map((f) => f.id).sort());
  const wrong: string[] = [];
  for (const f of FIXTURES) {
    const s = report.submissions.find((x) => x.student === f.id)!;
    for (const [check, credit] of Object.entries(f.expected)) {
      const c = s.checks.find((x) => x.id === check)!;
      const ok = credit === "full" ? c.score === 1 : credit === "none" ? c.score === 0 : credit === "either" ? c.score === 1 || c.score === 0 : c.score > 0 && c.score < 1;
      if (!ok) wrong.push(`${f.id}/${check}: expected ${credit}, got ${c.score} (${c.reason})`);
    }
  }
  expect(wrong).toEqual([]);
  const racy = report.submissions.find((s) => s.student === "racy")!.checks.find((c) => c.id === "burst")!;
  expect(racy.reason).toMatch(/deadlock/);
  // The grader's course kernel names the paper's race at its first test, before any deadlock: lockdep.
  const racyTests = report.submissions.find((s) => s.student === "racy")!.checks.find((c) => c.id === "tests")!;
  expect(racyTests.reason).toMatch(/^a lockdep report during the check: WARNING: inconsistent lock state/);
  const oops = report.submissions.find((s) => s.student === "oops-probe")!.checks.find((c) => c.id === "load")!;
  expect(oops.kernel ?? "").toMatch(/BUG: kernel NULL pointer dereference|unable to handle/);
  const cpu = report.submissions.find((s) => s.student === "cpu-pointer")!.checks.find((c) => c.id === "dma")!;
  expect(cpu.reason).toMatch(/Master/);
  info.annotations.push({ type: "throughput", description: `${FIXTURES.length} submissions (+2 reference runs) in ${minutes.toFixed(1)} min: ${(FIXTURES.length / (minutes / 60)).toFixed(1)} submissions/hour` });

  // The reports render: the class summary and a submission's page, as screenshots in the test report and docs/.
  mkdirSync(join(ROOT, "docs"), { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(join(work, "merged", "index.html")).href);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(report.assignment);
  await expect(page.locator("table").first()).toContainText("racy");
  const summary = await page.screenshot({ fullPage: true });
  await info.attach("class summary", { body: summary, contentType: "image/png" });
  writeFileSync(join(ROOT, "docs/grade-summary.png"), summary);
  await page.goto(pathToFileURL(join(work, "merged", "submissions", "racy.html")).href);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("racy");
  await expect(page.locator("body")).toContainText("deadlock");
  const one = await page.screenshot({ fullPage: true });
  await info.attach("a submission's report", { body: one, contentType: "image/png" });
  writeFileSync(join(ROOT, "docs/grade-report.png"), one);
});
