// TAP (Test Anything Protocol) as printed by the guest's kselftest-style programs: parsed for tests and grading.

export interface TapResult {
  /** The plan ("1..N"), or null when the program printed none. */
  planned: number | null;
  tests: Array<{ n: number; ok: boolean; name: string; directive?: "SKIP" | "TODO"; reason?: string }>;
  /** "Bail out!" reason, when the program gave up. */
  bailOut?: string;
}

/** Top-level results only: a nested subtest's lines are indented (kselftest style) and summed up by its parent's line. */
export function parseTap(text: string): TapResult {
  const out: TapResult = { planned: null, tests: [] };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const plan = /^1\.\.(\d+)/.exec(line);
    if (plan) { out.planned = Number(plan[1]); continue; }
    const bail = /^Bail out!\s*(.*)$/.exec(line);
    if (bail) { out.bailOut = bail[1] ?? ""; continue; }
    const t = /^(not )?ok\b\s*(\d+)?\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(SKIP|TODO)\b\s*(.*))?$/i.exec(line);
    if (!t) continue;
    out.tests.push({
      n: t[2] ? Number(t[2]) : out.tests.length + 1, ok: !t[1], name: (t[3] ?? "").trim(),
      ...(t[4] ? { directive: t[4].toUpperCase() as "SKIP" | "TODO", reason: (t[5] ?? "").trim() } : {}),
    });
  }
  return out;
}

/** Failures a reader should see: failed tests, a missing or short plan, a bail-out. Empty when all passed. */
export function tapProblems(r: TapResult): string[] {
  const p: string[] = [];
  if (r.bailOut !== undefined) p.push(`bailed out: ${r.bailOut}`);
  if (r.planned === null) p.push("no plan line (1..N): the program may have crashed");
  else if (r.tests.length !== r.planned) p.push(`planned ${r.planned} tests, ran ${r.tests.length}`);
  for (const t of r.tests) if (!t.ok && t.directive !== "TODO") p.push(`not ok ${t.n} - ${t.name}`);
  return p;
}
