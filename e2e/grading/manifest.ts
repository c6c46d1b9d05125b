// Intake: a folder of submissions (each a folder or a .zip named by the student's id) checked and packed as the zip
// the student's page imports, with the course's own header, uapi and test programs laid over the student's copies.
// Bad input is refused here with a reason (and scored zero), never handed to a machine: ../ or absolute paths,
// symlinks, too many files, a file too big. The manifest is what the grading run (grade.run.ts) reads.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CardVariant } from "../../vcd/card/definition.ts";
import { handoutProject } from "../../kmod/starter/handout.ts";
import { exportZip, importZip } from "../../web/src/project/zip.ts";
import { isBuildProduct } from "../../web/src/project/paths.ts";
import { DEFAULT_SETTINGS } from "../../web/src/store/settings.ts";
import { moduleOf } from "../../web/src/project/make.ts";
import type { Assignment } from "./assignment.ts";
import { REFERENCE_ID } from "./results.ts";

export interface StagedSubmission {
  student: string;
  /** The zip the page imports (absent when refused). */
  zip?: string;
  module?: string;
  /** Why the submission cannot be graded at all. */
  refused?: string;
  /** Files left out at intake, and why. */
  notes: string[];
}

export interface GradeManifest {
  out: string;
  shard: string;
  force: boolean;
  variantFile: string;
  assignment: Assignment;
  submissions: StagedSubmission[];
}

const LIMITS = { maxFiles: DEFAULT_SETTINGS.maxFiles, maxFileBytes: DEFAULT_SETTINGS.maxFileBytes };
/** A zip bigger than this is not even opened. */
const MAX_ZIP_BYTES = 50 << 20;

export const studentId = (name: string): string => name.replace(/\.zip$/i, "").replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80);

/** A submission folder's files (text), refusing what the page would refuse and anything that is not a plain file. */
function readFolder(dir: string, notes: string[]): Record<string, string> | string {
  const files: Record<string, string> = {};
  let count = 0;
  const walk = (d: string, prefix: string): string | null => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name), rel = prefix + name;
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) { notes.push(`${rel}: a symbolic link, left out`); continue; }
      if (st.isDirectory()) { const e = walk(abs, `${rel}/`); if (e) return e; continue; }
      if (!st.isFile()) { notes.push(`${rel}: not a plain file, left out`); continue; }
      if (++count > LIMITS.maxFiles) return `more than ${LIMITS.maxFiles} files`;
      if (st.size > LIMITS.maxFileBytes) return `${rel} is ${(st.size / 1e6).toFixed(1)} MB; files are limited to ${(LIMITS.maxFileBytes / 1e6).toFixed(1)} MB`;
      if (isBuildProduct(rel)) { notes.push(`${rel}: a build product, left out (the grader builds)`); continue; }
      const bytes = readFileSync(abs);
      if (bytes.includes(0)) { notes.push(`${rel}: binary, left out`); continue; }
      files[rel] = bytes.toString("utf8");
    }
    return null;
  };
  return walk(dir, "") ?? files;
}

function readSubmission(path: string, notes: string[]): Record<string, string> | string {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return "the submission is a symbolic link";
  if (st.isDirectory()) return readFolder(path, notes);
  if (st.size > MAX_ZIP_BYTES) return `the zip is ${(st.size / 1e6).toFixed(0)} MB (limit ${MAX_ZIP_BYTES >> 20} MB)`;
  const r = importZip(new Uint8Array(readFileSync(path)), LIMITS);
  if ("error" in r) return r.error;
  for (const s of r.skipped) notes.push(`${s}: a build product or binary, left out`);
  return r.files;
}

/**
 * Stages every submission under `dir` into `out/intake/ID.zip`, with the course's files (the variant's
 * header, the uapi header, the test programs) over the student's. `read` reads a repository file.
 */
export function stageSubmissions(dir: string, out: string, variant: CardVariant, read: (repoPath: string) => string, reference?: Record<string, string>): StagedSubmission[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder of submissions`);
  const course = Object.fromEntries(Object.entries(handoutProject(variant, read)).filter(([p]) => p.startsWith("include/") || p.startsWith("tests/")));
  const entries = readdirSync(dir).filter((n) => !n.startsWith(".")).sort().map((n) => ({ name: n, path: join(dir, n) }));
  const staged: StagedSubmission[] = [];
  const seen = new Set<string>();
  mkdirSync(join(out, "intake"), { recursive: true });
  const stage = (student: string, files: Record<string, string> | string, notes: string[]) => {
    if (typeof files === "string") { staged.push({ student, refused: files, notes }); return; }
    if (!files["Makefile"]) { staged.push({ student, refused: "no Makefile at the top of the submission", notes }); return; }
    const module = moduleOf(files, [])?.replace(/\.ko$/, "");
    if (!module) { staged.push({ student, refused: "the Makefile names no module (obj-m := NAME.o)", notes }); return; }
    const zip = join(out, "intake", `${student}.zip`);
    writeFileSync(zip, exportZip({ ...files, ...course }));
    staged.push({ student, zip, module: module.replace(/-/g, "_"), notes });
  };
  for (const e of entries) {
    if (!lstatSync(e.path).isDirectory() && !/\.zip$/i.test(e.name)) continue;
    const student = studentId(e.name);
    if (seen.has(student) || student === REFERENCE_ID) { staged.push({ student: `${student}-${staged.length}`, refused: `a second submission named ${student}`, notes: [] }); continue; }
    seen.add(student);
    const notes: string[] = [];
    stage(student, readSubmission(e.path, notes), notes);
  }
  if (reference) stage(REFERENCE_ID, reference, []);
  return staged;
}

/** Shard i of n: every n-th submission in name order, deterministic across machines; the reference in every shard. */
export function shardOf<T extends { student: string }>(all: readonly T[], shard: { index: number; count: number }): T[] {
  const students = all.filter((s) => s.student !== REFERENCE_ID).sort((a, b) => a.student.localeCompare(b.student));
  const mine = students.filter((_, i) => i % shard.count === shard.index - 1);
  return [...all.filter((s) => s.student === REFERENCE_ID), ...mine];
}

export const shardName = (s: { index: number; count: number }): string => `${s.index}/${s.count}`;
