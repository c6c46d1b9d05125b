// What grading a submission produces: one record per check (score, time, why, evidence), written as
// REPORT_DIR/results/ID.json as soon as the submission is graded, so a crash loses no other submission's result
// and a rerun skips what is graded.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type CheckStatus = "pass" | "partial" | "fail" | "not-run";

export interface CheckResult {
  id: string;
  title: string;
  weight: number;
  /** 0..1 of the weight. */
  score: number;
  status: CheckStatus;
  /** One sentence: what was seen, and for a loss what the driver probably did wrong. */
  reason: string;
  ms: number;
  /** Files under the report folder: screenshots, logs. */
  evidence: string[];
  /** Kernel oops, panic, warning or deadlock text seen during the check. */
  kernel?: string;
  /** Where the oops points in the submission's source (from its debug info), e.g. "pm2ref.c:1097". */
  faultLine?: string;
  /** The card's own sentences about what the driver did wrong during the check. */
  cardErrors?: string[];
  /** Measurements (throughput seconds per height, pixels differing…). */
  details?: Record<string, number | string>;
}

export interface SubmissionResult {
  student: string;
  variant: string;
  /** The shard that graded it ("1/1" for one run): its reference measurements are that shard's. */
  shard: string;
  startedAt: string;
  ms: number;
  checks: CheckResult[];
  /** Problems with the submission itself (files refused at intake). */
  notes: string[];
  serialLog?: string;
}

/** The instructor's own driver, graded in every shard for the throughput check's yardstick; never in a class report. */
export const REFERENCE_ID = "_reference";

export const resultFile = (out: string, student: string, shard = "1/1"): string =>
  join(out, "results", student === REFERENCE_ID ? `${student}.${shard.replace("/", "-of-")}.json` : `${student}.json`);

export function writeResult(out: string, r: SubmissionResult): void {
  const file = resultFile(out, r.student, r.shard);
  mkdirSync(join(out, "results"), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(r, null, 2) + "\n");
  renameSync(`${file}.tmp`, file); // whole or not at all
}

export function readResults(out: string): SubmissionResult[] {
  const dir = join(out, "results");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as SubmissionResult);
}

export function statusOf(score: number): CheckStatus {
  return score >= 0.999 ? "pass" : score <= 0 ? "fail" : "partial";
}
