// Reports from the results: the throughput check scored against the reference driver of the same shard, then
// report.json (one record per submission and check), an HTML page per submission, the class summary (index.html)
// and JUnit XML. Pure functions of the results: two shards merged give the report one run gives.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Assignment } from "./assignment.ts";
import { REFERENCE_ID, statusOf, type CheckResult, type SubmissionResult } from "./results.ts";

export interface ClassReport {
  assignment: string;
  variant: string;
  /** Points possible per submission. */
  max: number;
  submissions: Array<{ student: string; total: number; checks: CheckResult[]; notes: string[]; serialLog?: string; ms: number; shard: string }>;
  /** The reference driver's Table 1 times per shard (the throughput check's yardstick). */
  reference: Record<string, Record<string, number | string>>;
}

/** Throughput: the submission's time over the reference's, per height (worst height counts). */
function scoreThroughput(c: CheckResult, ref: CheckResult | undefined, a: Assignment): CheckResult {
  if (c.id !== "throughput" || c.status === "not-run" || !c.details || c.score === 0) return c;
  if (!ref?.details || ref.score === 0) return { ...c, score: 0, status: "fail", reason: `${c.reason}; no reference time in this run to compare with` };
  const { fullCreditRatio: full, zeroCreditRatio: zero } = a.throughput;
  const ratios = a.throughput.heights.map((h) => Number(c.details![`h${h}`]) / Number(ref.details![`h${h}`]));
  const worst = Math.max(...ratios);
  const score = worst <= full ? 1 : worst >= zero ? 0 : Math.round(((zero - worst) / (zero - full)) * 100) / 100;
  const each = a.throughput.heights.map((h, i) => `height ${h}: ${Number(c.details![`h${h}`]).toFixed(2)} s, ${ratios[i]!.toFixed(2)}× the reference`).join("; ");
  return { ...c, score, status: statusOf(score), reason: `${each} (full credit up to ${full}×, none from ${zero}×)`, details: { ...c.details, ratio: Math.round(worst * 100) / 100 } };
}

export function classReport(results: readonly SubmissionResult[], a: Assignment): ClassReport {
  const refs = new Map(results.filter((r) => r.student === REFERENCE_ID).map((r) => [r.shard, r]));
  const max = a.checks.reduce((n, c) => n + c.weight, 0);
  const submissions = results.filter((r) => r.student !== REFERENCE_ID).sort((x, y) => x.student.localeCompare(y.student)).map((r) => {
    const ref = refs.get(r.shard)?.checks.find((c) => c.id === "throughput");
    const checks = r.checks.map((c) => scoreThroughput(c, ref, a));
    const total = Math.round(checks.reduce((n, c) => n + c.score * c.weight, 0) * 10) / 10;
    return { student: r.student, total, checks, notes: r.notes, serialLog: r.serialLog, ms: r.ms, shard: r.shard };
  });
  const reference = Object.fromEntries([...refs].map(([shard, r]) => [shard, r.checks.find((c) => c.id === "throughput")?.details ?? {}]));
  return { assignment: a.name, variant: results[0]?.variant ?? "", max, submissions, reference };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const CSS = `body{font:14px/1.5 system-ui,sans-serif;color:#1d2330;max-width:70em;margin:1em auto;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#eef}td.num{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#17692b}.partial{color:#8a5a00}.fail,.not-run{color:#a4161a}
pre{background:#f4f4f8;padding:.6em;overflow:auto;max-height:30em;white-space:pre-wrap}img{max-width:100%;border:1px solid #ccd}
.bar{display:inline-block;background:#4a6fd8;height:1em;vertical-align:middle}`;
const page = (title: string, body: string) => `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head><body>\n${body}\n</body></html>\n`;

function submissionHtml(r: ClassReport, s: ClassReport["submissions"][number]): string {
  const rows = s.checks.map((c) => `<tr><td>${esc(c.title)}</td><td class="num">${(c.score * c.weight).toFixed(1)} / ${c.weight}</td><td class="${c.status}">${c.status}</td><td>${esc(c.reason)}${c.faultLine ? `<br>at <code>${esc(c.faultLine)}</code>` : ""}</td><td class="num">${(c.ms / 1000).toFixed(1)} s</td></tr>`).join("\n");
  const kernel = s.checks.filter((c) => c.kernel).map((c) => `<h3>Kernel, during “${esc(c.title)}”${c.faultLine ? ` — ${esc(c.faultLine)}` : ""}</h3><pre>${esc(c.kernel!)}</pre>`).join("\n");
  const card = s.checks.filter((c) => c.cardErrors?.length).map((c) => `<h3>The card, during “${esc(c.title)}”</h3><ul>${c.cardErrors!.map((e) => `<li>${esc(e)}</li>`).join("")}</ul>`).join("\n");
  const shots = s.checks.flatMap((c) => c.evidence.filter((e) => e.endsWith(".png")).map((e) => `<figure><img src="../${esc(e)}" alt="${esc(c.title)}"><figcaption>${esc(c.title)}</figcaption></figure>`)).join("\n");
  return page(`${s.student}: ${s.total} / ${r.max}`, `<p><a href="../index.html">Class summary</a></p>
<h1>${esc(s.student)}: ${s.total} / ${r.max}</h1>
<p>${esc(r.assignment)}; card ${esc(r.variant)}; graded in ${(s.ms / 1000).toFixed(0)} s.</p>
${s.notes.length ? `<h2>Intake</h2><ul>${s.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
<h2>Checks</h2><table><tr><th>check</th><th>points</th><th>result</th><th>why</th><th>time</th></tr>
${rows}</table>
${kernel ? `<h2>Kernel messages</h2>${kernel}` : ""}
${card ? `<h2>The card's errors</h2>${card}` : ""}
${shots ? `<h2>Screenshots</h2>${shots}` : ""}
${s.serialLog ? `<h2>Serial log</h2><p><a href="../${esc(s.serialLog)}">${esc(s.serialLog)}</a></p>` : ""}`);
}

function summaryHtml(r: ClassReport): string {
  const n = r.submissions.length;
  const bins = Array.from({ length: 10 }, (_, i) => r.submissions.filter((s) => Math.min(9, Math.floor((s.total / (r.max || 1)) * 10)) === i).length);
  const most = Math.max(1, ...bins);
  const dist = bins.map((b, i) => `<tr><td>${i * 10}–${i === 9 ? 100 : i * 10 + 9}%</td><td><span class="bar" style="width:${(b / most) * 20}em"></span> ${b}</td></tr>`).join("\n");
  const ids = r.submissions[0]?.checks.map((c) => c.id) ?? [];
  const failed = ids.map((id) => {
    const cs = r.submissions.map((s) => s.checks.find((c) => c.id === id)!).filter(Boolean);
    return { id, title: cs[0]?.title ?? id, lost: cs.filter((c) => c.score < 1).length };
  }).sort((a, b) => b.lost - a.lost);
  const rows = r.submissions.map((s) => `<tr><td><a href="submissions/${esc(s.student)}.html">${esc(s.student)}</a></td><td class="num">${s.total}</td>${s.checks.map((c) => `<td class="${c.status}" title="${esc(c.reason)}">${(c.score * c.weight).toFixed(0)}</td>`).join("")}</tr>`).join("\n");
  const mean = n ? r.submissions.reduce((t, s) => t + s.total, 0) / n : 0;
  return page(`${r.assignment}: class summary`, `<h1>${esc(r.assignment)}</h1>
<p>Card ${esc(r.variant)}; ${n} submission${n === 1 ? "" : "s"}; mean ${mean.toFixed(1)} of ${r.max}.</p>
<h2>Scores</h2><table><tr><th>student</th><th>total</th>${ids.map((id) => `<th>${esc(id)}</th>`).join("")}</tr>
${rows}</table>
<h2>Score distribution</h2><table>${dist}</table>
<h2>Checks most failed</h2><table><tr><th>check</th><th>submissions without full credit</th></tr>
${failed.map((f) => `<tr><td>${esc(f.title)}</td><td class="num">${f.lost} of ${n}</td></tr>`).join("\n")}</table>`);
}

function junitXml(r: ClassReport): string {
  const x = (s: string) => esc(s).replace(/'/g, "&apos;");
  const suites = r.submissions.map((s) => {
    const cases = s.checks.map((c) => `    <testcase classname="${x(s.student)}" name="${x(c.id)}: ${x(c.title)}" time="${(c.ms / 1000).toFixed(1)}">${
      c.status === "pass" ? "" : c.status === "not-run" ? `<skipped message="${x(c.reason)}"/>` : `<failure message="${x(`${(c.score * c.weight).toFixed(1)} of ${c.weight}: ${c.reason}`)}">${x(c.kernel ?? c.reason)}</failure>`}</testcase>`).join("\n");
    const failures = s.checks.filter((c) => c.status === "fail" || c.status === "partial").length;
    const skipped = s.checks.filter((c) => c.status === "not-run").length;
    return `  <testsuite name="${x(s.student)}" tests="${s.checks.length}" failures="${failures}" skipped="${skipped}" time="${(s.ms / 1000).toFixed(1)}">\n${cases}\n  </testsuite>`;
  }).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${x(r.assignment)}">\n${suites}\n</testsuites>\n`;
}

/** Writes report.json, index.html, submissions/ID.html and junit.xml into `out`; returns the report. */
export function writeReports(out: string, results: readonly SubmissionResult[], a: Assignment): ClassReport {
  const r = classReport(results, a);
  mkdirSync(join(out, "submissions"), { recursive: true });
  writeFileSync(join(out, "report.json"), JSON.stringify(r, null, 2) + "\n");
  writeFileSync(join(out, "index.html"), summaryHtml(r));
  for (const s of r.submissions) writeFileSync(join(out, "submissions", `${s.student}.html`), submissionHtml(r, s));
  writeFileSync(join(out, "junit.xml"), junitXml(r));
  return r;
}
