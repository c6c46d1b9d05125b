// `npx vgpu-lab grade SUBMISSIONS --variant FILE --out DIR [--workers N] [--shard i/n] [--assignment FILE] [--force]`
// and `npx vgpu-lab grade merge DIR… --out DIR`: a class graded in the students' own page (Playwright, headless
// Chromium), each submission in a fresh machine; reports in DIR (index.html, submissions/ID.html, report.json,
// junit.xml). See e2e/grading/.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";
import { currentFlavour } from "../vcd/machine/flavour.ts";
import { loadAssignment, type Assignment } from "../e2e/grading/assignment.ts";
import { shardName, shardOf, stageSubmissions, type GradeManifest } from "../e2e/grading/manifest.ts";
import { readResults, REFERENCE_ID } from "../e2e/grading/results.ts";
import { writeReports, type ClassReport } from "../e2e/grading/report.ts";
import { SUBMISSION_MAKEFILE } from "../kmod/fixtures/submissions.ts";

export const GRADE_USAGE = `  grade SUBMISSIONS --variant FILE --out DIR [--workers N] [--shard i/n] [--assignment FILE] [--force]
                      grade a folder of submissions (each a folder or .zip named by the student's id) in the lab
                      page, each in a fresh machine; reports in DIR; a rerun skips what is graded unless --force;
                      on the course kernel (its bug detectors' reports are evidence) unless --flavour stock
  grade merge DIR… --out DIR   merge shards' results into one report
`;

function args(list: string[]) {
  const o: { positional: string[]; variant?: string; out?: string; workers: number; shard: { index: number; count: number }; assignment?: string; force: boolean } =
    { positional: [], workers: 1, shard: { index: 1, count: 1 }, force: false };
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    const val = () => {
      const v = list[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--variant") o.variant = val();
    else if (a === "--out") o.out = val();
    else if (a === "--assignment") o.assignment = val();
    else if (a === "--force") o.force = true;
    else if (a === "--workers") {
      o.workers = Number(val());
      if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 32) throw new Error("--workers takes a whole number from 1 to 32");
    } else if (a === "--shard") {
      const m = /^(\d+)\/(\d+)$/.exec(val());
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error("--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/5");
      o.shard = { index: Number(m[1]), count: Number(m[2]) };
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else o.positional.push(a);
  }
  return o;
}

function printSummary(r: ClassReport, wallMs: number, graded: number): void {
  const w = Math.max(8, ...r.submissions.map((s) => s.student.length));
  process.stdout.write(`\n${"student".padEnd(w)}  total  ${r.submissions[0]?.checks.map((c) => c.id.padStart(Math.max(5, c.id.length))).join(" ") ?? ""}\n`);
  for (const s of r.submissions) {
    process.stdout.write(`${s.student.padEnd(w)}  ${s.total.toFixed(0).padStart(5)}  ${s.checks.map((c) => (c.score * c.weight).toFixed(0).padStart(Math.max(5, c.id.length))).join(" ")}\n`);
  }
  const perHour = graded ? graded / (wallMs / 3_600_000) : 0;
  process.stdout.write(`\n${graded} submission${graded === 1 ? "" : "s"} graded in ${(wallMs / 60000).toFixed(1)} min: ${perHour.toFixed(1)} submissions/hour on this machine (goal ≥ 20 on 2 cores)\n`);
}

async function grade(o: ReturnType<typeof args>): Promise<number> {
  const t0 = Date.now();
  const [dir] = o.positional;
  if (!dir || o.positional.length > 1 || !o.variant || !o.out) throw new Error(`usage:\n${GRADE_USAGE}`);
  const { loadVariant } = await import("./variant.ts");
  const variant = loadVariant(o.variant);
  const assignment = loadAssignment(o.assignment);
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "assignment.json"), JSON.stringify(assignment, null, 2) + "\n");
  const read = (p: string) => readFileSync(join(PROJECT_DIR, p), "utf8");
  const reference = { "pm2ref.c": read("kmod/reference/pm2ref.c"), Makefile: SUBMISSION_MAKEFILE };
  const staged = shardOf(stageSubmissions(resolve(dir), out, variant, read, reference), o.shard);
  const variantFile = join(out, "variant.json");
  const { variantJson } = await import("../vcd/card/variants/check.ts");
  writeFileSync(variantFile, variantJson(variant));

  const { ensureChromium } = await import("../e2e/run.ts");
  ensureChromium();
  const { publish } = await import("./publish.ts");
  const site = join(out, "site");
  process.stderr.write(`[grade] the students' lab for ${variant.id} on the ${currentFlavour()} kernel (published into ${site})\n`);
  await publish({ variants: [variantFile], out: site, force: true, log: () => {} });
  const { serveStatic } = await import("./site.ts");
  const server = await serveStatic(site, 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const manifest: GradeManifest = { out, shard: shardName(o.shard), force: o.force, variantFile, assignment, submissions: staged };
  const manifestFile = join(out, `manifest-${o.shard.index}-of-${o.shard.count}.json`);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  const students = staged.filter((s) => s.student !== REFERENCE_ID).length;
  process.stderr.write(`[grade] shard ${manifest.shard}: ${students} submission${students === 1 ? "" : "s"} and the reference driver, ${o.workers} worker${o.workers === 1 ? "" : "s"}\n`);
  try {
    // Playwright runs in its own process; the page is served from here.
    await new Promise<void>((done) => {
      const p = spawn(process.execPath, [join(PROJECT_DIR, "node_modules/playwright/cli.js"), "test", "-c", join(PROJECT_DIR, "e2e/grading/playwright.config.ts")], {
        stdio: "inherit", cwd: PROJECT_DIR,
        env: { ...process.env, VGPU_GRADE_MANIFEST: manifestFile, VGPU_GRADE_OUT: out, VGPU_GRADE_URL: url, VGPU_GRADE_WORKERS: String(o.workers), VGPU_GRADE_SHARD: manifest.shard },
      });
      p.on("exit", () => done());
    });
  } finally {
    server.close();
  }
  const results = readResults(out);
  const report = writeReports(out, results, assignment);
  const graded = results.filter((r) => r.student !== REFERENCE_ID && Date.parse(r.startedAt) >= t0).length;
  printSummary(report, Date.now() - t0, graded);
  process.stdout.write(`${join(out, "index.html")}\n`);
  const missing = staged.filter((s) => !results.some((r) => r.student === s.student && (s.student !== REFERENCE_ID || r.shard === manifest.shard)));
  if (missing.length) {
    process.stderr.write(`[grade] no result for ${missing.map((s) => s.student).join(", ")} (a worker crashed?): run the same command again to grade what is missing\n`);
    return 1;
  }
  return 0;
}

function merge(o: ReturnType<typeof args>): number {
  if (!o.positional.length || !o.out) throw new Error(`usage:\n${GRADE_USAGE}`);
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  let assignment: Assignment | undefined;
  for (const d of o.positional.map((p) => resolve(p))) {
    if (!existsSync(join(d, "results"))) throw new Error(`${d}: no results/ (not a grading report folder)`);
    assignment ??= JSON.parse(readFileSync(join(d, "assignment.json"), "utf8")) as Assignment;
    if (d === out) continue;
    for (const sub of ["results", "evidence", "blob"]) if (existsSync(join(d, sub))) cpSync(join(d, sub), join(out, sub), { recursive: true });
  }
  writeFileSync(join(out, "assignment.json"), JSON.stringify(assignment, null, 2) + "\n");
  const report = writeReports(out, readResults(out), assignment!);
  if (existsSync(join(out, "blob")) && readdirSync(join(out, "blob")).length) {
    // Playwright's own report of the runs, from the shards' blobs.
    spawnSync(process.execPath, [join(PROJECT_DIR, "node_modules/playwright/cli.js"), "merge-reports", "--reporter", "html", join(out, "blob")], {
      cwd: out, stdio: "ignore", env: { ...process.env, PLAYWRIGHT_HTML_OPEN: "never", PLAYWRIGHT_HTML_OUTPUT_DIR: join(out, "playwright-report") },
    });
  }
  process.stdout.write(`${report.submissions.length} submissions merged from ${o.positional.length} folders\n${join(out, "index.html")}\n`);
  return 0;
}

export async function runGrade(list: string[]): Promise<number> {
  try {
    if (list[0] === "merge") return merge(args(list.slice(1)));
    return await grade(args(list));
  } catch (e) {
    process.stderr.write(`vgpu-lab grade: ${(e as Error).message}\n`);
    return 1;
  }
}
