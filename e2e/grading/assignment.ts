// An assignment: which checks a submission gets, their weights and time limits, in one file per assignment (JSON,
// `vgpu-lab grade --assignment FILE`), or the default below. A course adds its own test programs as `program`
// checks: a shell command run in the submission's folder (/work) with the driver loaded, scored by its TAP lines
// (the fraction that passed) or, without TAP, by its exit status.
import { existsSync, readFileSync } from "node:fs";

/** The checks the grader knows how to run (see checks.ts). */
export const BUILTIN_CHECKS = ["build", "load", "tests", "render", "throughput", "burst", "dma", "unload"] as const;
export type BuiltinCheck = (typeof BUILTIN_CHECKS)[number];

export interface CheckSpec {
  id: string;
  title: string;
  /** Points for full credit. */
  weight: number;
  /** The check's time limit; past it the check scores zero and the machine is restored. */
  timeoutS: number;
  /** A built-in check by id, or a course's program. */
  kind: "builtin" | "program";
  /** For `program`: the shell command, run in /work with the driver loaded. */
  run?: string;
}

export interface Assignment {
  name: string;
  checks: CheckSpec[];
  /** The Table 1 workload of the throughput check: triangles per height. */
  throughput: { heights: number[]; triangles: number[]; fullCreditRatio: number; zeroCreditRatio: number };
  /** Pixels of a frame that may differ from the card model's own rendering of the same commands. */
  renderTolerancePixels: number;
  /** Buffers of the burst check's stress (several processes, interrupts delivered at the worst moment). */
  burstBuffers: number;
}

export const DEFAULT_ASSIGNMENT: Assignment = {
  name: "PCI driver for the course's graphics card",
  checks: [
    { id: "build", title: "builds (warnings counted)", weight: 10, timeoutS: 600, kind: "builtin" },
    { id: "load", title: "loads, probes and binds the card; /dev node appears", weight: 15, timeoutS: 120, kind: "builtin" },
    { id: "tests", title: "mode set, fill and the course's TAP tests", weight: 15, timeoutS: 600, kind: "builtin" },
    { id: "render", title: "renders the reference scene like the card model", weight: 15, timeoutS: 300, kind: "builtin" },
    { id: "throughput", title: "Table 1 throughput against the reference driver", weight: 10, timeoutS: 600, kind: "builtin" },
    { id: "burst", title: "survives burst mode with interrupts at the worst moment", weight: 15, timeoutS: 600, kind: "builtin" },
    { id: "dma", title: "DMA done right (no Master errors, bus addresses only)", weight: 10, timeoutS: 300, kind: "builtin" },
    { id: "unload", title: "unloads cleanly and loads again", weight: 10, timeoutS: 120, kind: "builtin" },
  ],
  // About a second or two per run for the reference driver on the course kernel (20,000 and 2,000 took 0.1-0.3 s:
  // a ratio of noise).
  throughput: { heights: [20, 100], triangles: [100000, 20000], fullCreditRatio: 1.5, zeroCreditRatio: 4 },
  renderTolerancePixels: 0,
  burstBuffers: 500,
};

/** Reads an assignment file; a broken one throws a sentence naming the file, the field and the fix. */
export function loadAssignment(file?: string): Assignment {
  if (!file) return DEFAULT_ASSIGNMENT;
  if (!existsSync(file)) throw new Error(`no such assignment file: ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}); fix the syntax`);
  }
  const a = { ...DEFAULT_ASSIGNMENT, ...(raw as Partial<Assignment>) };
  const bad = (path: string, why: string, fix: string) => new Error(`${file}: ${path}: ${why}; ${fix}`);
  if (!Array.isArray(a.checks) || !a.checks.length) throw bad("$.checks", "no checks", "list at least one check");
  const ids = new Set<string>();
  a.checks = a.checks.map((c, i) => {
    const p = `$.checks[${i}]`;
    if (!c || typeof c.id !== "string" || !/^[a-z][a-z0-9-]*$/.test(c.id)) throw bad(`${p}.id`, "missing or not lower-case letters, digits and '-'", "name the check, e.g. \"my-test\"");
    if (ids.has(c.id)) throw bad(`${p}.id`, `'${c.id}' twice`, "give each check its own id");
    ids.add(c.id);
    const kind = c.kind ?? ((BUILTIN_CHECKS as readonly string[]).includes(c.id) ? "builtin" : "program");
    if (kind === "builtin" && !(BUILTIN_CHECKS as readonly string[]).includes(c.id)) throw bad(`${p}.id`, `no built-in check '${c.id}'`, `use one of ${BUILTIN_CHECKS.join(", ")}, or kind "program" with a run command`);
    if (kind === "program" && (typeof c.run !== "string" || !c.run.trim())) throw bad(`${p}.run`, "a program check has no command", "give the shell command to run in /work");
    if (typeof c.weight !== "number" || !(c.weight >= 0)) throw bad(`${p}.weight`, "not a number of points ≥ 0", "e.g. 10");
    const timeoutS = c.timeoutS ?? 300;
    if (typeof timeoutS !== "number" || !(timeoutS > 0 && timeoutS <= 3600)) throw bad(`${p}.timeoutS`, "not between 1 and 3600 seconds", "e.g. 300");
    return { id: c.id, title: c.title ?? c.id, weight: c.weight, timeoutS, kind, ...(c.run ? { run: c.run } : {}) };
  });
  if (!a.checks.some((c) => c.id === "build")) throw bad("$.checks", "no build check", "keep the built-in build check: every other check needs the module");
  return a;
}
