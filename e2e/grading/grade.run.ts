// The grading run (Playwright): one test per submission, each in its own browser context and so its own page and
// machine, restored from the saved state. `vgpu-lab grade` writes the manifest this reads (VGPU_GRADE_MANIFEST) and
// makes the reports from the results it leaves.
import { test } from "playwright/test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseVariant } from "../../vcd/card/variants/check.ts";
import { LabPage } from "./lab-page.ts";
import { baseline, runCheck, writeEvidence, type GradeContext } from "./checks.ts";
import { resultFile, writeResult, type SubmissionResult } from "./results.ts";
import type { GradeManifest } from "./manifest.ts";

const manifest = JSON.parse(readFileSync(process.env.VGPU_GRADE_MANIFEST ?? "", "utf8")) as GradeManifest;
const variant = parseVariant(readFileSync(manifest.variantFile, "utf8"), manifest.variantFile);

for (const sub of manifest.submissions) {
  test(sub.student, async ({ page }) => {
    test.setTimeout((manifest.assignment.checks.reduce((n, c) => n + c.timeoutS + 120, 0) + 900) * 1000);
    if (!manifest.force && existsSync(resultFile(manifest.out, sub.student, manifest.shard))) test.skip(true, "graded already (use --force to grade again)");
    const started = Date.now();
    const result: SubmissionResult = {
      student: sub.student, variant: variant.id, shard: manifest.shard, startedAt: new Date(started).toISOString(), ms: 0,
      checks: [], notes: [...sub.notes],
    };
    const lab = new LabPage(page);
    const ctx: GradeContext = {
      lab, assignment: manifest.assignment, variant, module: sub.module ?? "",
      evidenceDir: join(manifest.out, "evidence", sub.student), evidenceRel: `evidence/${sub.student}`,
      built: false, loaded: false, baseline: { irqLine: "", iomem: "" }, framesDumped: false,
    };
    try {
      if (sub.refused) {
        result.notes.push(sub.refused);
        for (const c of manifest.assignment.checks) result.checks.push({ id: c.id, title: c.title, weight: c.weight, score: 0, status: "not-run", reason: `not run: ${sub.refused}`, ms: 0, evidence: [] });
        return;
      }
      const say = (t: string) => process.stdout.write(`[grade] ${sub.student}: ${t}\n`);
      say("starting the lab");
      const limit = (id: string) => manifest.assignment.checks.find((c) => c.id === id)?.timeoutS ?? 300;
      await lab.open(variant.id, { buildTimeoutS: limit("build"), commandTimeoutS: limit("load") });
      ctx.baseline = await baseline(lab);
      const refused = await lab.importProject(new Uint8Array(readFileSync(sub.zip!)), `${sub.student}.zip`);
      if (refused) throw new Error(`the lab refused the submission: ${refused}`);
      for (const spec of manifest.assignment.checks) {
        const c = await runCheck(ctx, spec);
        result.checks.push(c);
        say(`${c.id} ${(c.score * c.weight).toFixed(1)}/${c.weight} in ${(c.ms / 1000).toFixed(0)} s: ${c.reason.slice(0, 160)}`);
      }
    } catch (e) {
      result.notes.push(`grading stopped: ${(e as Error).message}`);
      for (const c of manifest.assignment.checks) {
        if (!result.checks.some((r) => r.id === c.id)) result.checks.push({ id: c.id, title: c.title, weight: c.weight, score: 0, status: "not-run", reason: `not run: grading stopped (${(e as Error).message.split("\n")[0]})`, ms: 0, evidence: [] });
      }
    } finally {
      if (!sub.refused) result.serialLog = writeEvidence(ctx, "serial.log", await lab.serialLog().catch(() => "(no serial log: the page did not start)"));
      result.ms = Date.now() - started;
      writeResult(manifest.out, result);
    }
  });
}
