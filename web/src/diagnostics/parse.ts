// Build output to diagnostics: gcc's "file:line:col: error|warning|note: …", make's "*** … Error", kbuild's
// modpost ("ERROR: modpost: "foo" [/work/x.ko] undefined!") and the linker's "undefined reference". Paths under
// the guest's work folder map back to project paths; a message with a symbol but no line is put where the
// project's sources use that symbol. Pure: no DOM, no Monaco (the editor turns these into markers).

export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  /** Project path, or null when the message names no project file (it is still listed). */
  path: string | null;
  /** 1-based; 0 when the message has no position. */
  line: number;
  column: number;
  severity: Severity;
  message: string;
  /** "kernel": a detector's report at run time, placed on the module's line (commands.ts, showReports). */
  source: "gcc" | "make" | "modpost" | "ld" | "kernel";
  /** Where the message points outside the project (a kernel header), "file:line", for the problems list. */
  where?: string;
}

export interface ParseOptions {
  /** The guest folder the project lives in (default /work). */
  root?: string;
  /** The project's files, to resolve names and find symbols. */
  files?: Record<string, string>;
}

const GCC = /^(.+?):(\d+):(?:(\d+):)?\s+(fatal error|error|warning|note):\s+(.*)$/;
const MAKE_ERR = /^(?:g?make)(?:\[\d+\])?: \*\*\* (.*)$/;
const MAKEFILE_ERR = /^(.+?):(\d+): \*\*\* (.*?)\.?\s+Stop\.$/;
const ENTER = /^(?:g?make)(?:\[\d+\])?: (Entering|Leaving) directory ['`](.+)'$/;
const MODPOST = /^(ERROR|WARNING): modpost: (.*)$/;
const LD = /^(?:.*\/)?(?:ld|collect2)(?:\.\w+)?: (?:(.+?):\(.+?\): )?(undefined reference to [`'](.+?)'|.*)$/;
const LD_IN_FILE = /^(.+?):\(\.\w.*?\): (undefined reference to [`'](.+?)')$/;

export function parseBuildOutput(text: string, options: ParseOptions = {}): Diagnostic[] {
  const root = (options.root ?? "/work").replace(/\/+$/, "");
  const files = options.files ?? {};
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const dirs: string[] = [root];
  const add = (d: Diagnostic) => {
    const key = `${d.path}:${d.line}:${d.column}:${d.severity}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  const resolve = (file: string): string | null => {
    const abs = file.startsWith("/") ? file : normalise(`${dirs[dirs.length - 1]}/${file}`);
    if (abs === root || !abs.startsWith(root + "/")) return null;
    const rel = abs.slice(root.length + 1);
    // The linker names a source by its base name: the one project file of that name.
    if (Object.keys(files).length && !(rel in files)) {
      const same = Object.keys(files).filter((p) => p.endsWith("/" + rel));
      if (same.length === 1) return same[0]!;
    }
    return rel;
  };

  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "").replace(/\x1b\[[0-9;]*[mK]/g, "");
    let m = ENTER.exec(line);
    if (m) {
      if (m[1] === "Entering") dirs.push(m[2]!); else if (dirs.length > 1) dirs.pop();
      continue;
    }
    m = MAKEFILE_ERR.exec(line);
    if (m && !/^g?make/.test(m[1]!)) {
      add({ path: resolve(m[1]!), line: Number(m[2]), column: 1, severity: "error", message: m[3]!, source: "make" });
      continue;
    }
    m = GCC.exec(line);
    if (m && !/^\s/.test(line)) {
      const sev = m[4] === "note" ? "note" : m[4] === "warning" ? "warning" : "error";
      const path = resolve(m[1]!);
      // Notes inside the kernel's headers ("in definition of macro") only explain a message already listed.
      if (!path && sev === "note") continue;
      if (path) add({ path, line: Number(m[2]), column: m[3] ? Number(m[3]) : 1, severity: sev, message: m[5]!, source: "gcc" });
      else add({ path: null, line: 0, column: 0, severity: sev, message: m[5]!, source: "gcc", where: `${m[1]!.replace(/^.*\/include\//, "include/")}:${m[2]}` });
      continue;
    }
    m = MODPOST.exec(line);
    if (m) {
      const msg = m[2]!;
      const sym = /^"([^"]+)" \[(.+?)\] undefined!/.exec(msg);
      const mod = /\[(.+?\.ko)\]/.exec(msg)?.[1];
      const where = sym ? findSymbol(sym[1]!, files, mod ? resolve(mod) : null) : mod ? moduleSource(resolve(mod), files) : null;
      add({ path: where?.path ?? null, line: where?.line ?? 0, column: where?.column ?? 0, severity: m[1] === "ERROR" ? "error" : "warning", message: `modpost: ${msg}`, source: "modpost" });
      continue;
    }
    m = LD_IN_FILE.exec(line);
    if (m) {
      const file = resolve(m[1]!);
      const where = findSymbol(m[3]!, files, null, file);
      add({ path: where?.path ?? file, line: where?.line ?? 0, column: where?.column ?? 0, severity: "error", message: m[2]!, source: "ld" });
      continue;
    }
    m = LD.exec(line);
    if (m && /undefined reference|cannot find|multiple definition/.test(m[2]!)) {
      const where = m[3] ? findSymbol(m[3], files) : null;
      add({ path: where?.path ?? null, line: where?.line ?? 0, column: where?.column ?? 0, severity: "error", message: m[2]!, source: "ld" });
      continue;
    }
    m = MAKE_ERR.exec(line);
    if (m) add({ path: null, line: 0, column: 0, severity: "error", message: `${/^g?make\[/.test(line) ? "make (sub-make)" : "make"}: ${m[1]}`, source: "make" });
  }
  // make's own "*** Error" lines only repeat that something failed: keep the outermost one when a compiler,
  // linker or modpost message says what.
  if (out.some((d) => d.source !== "make")) return out.filter((d) => d.source !== "make" || !d.message.startsWith("make (sub-make)"));
  return out;
}

function normalise(p: string): string {
  const parts: string[] = [];
  for (const s of p.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") parts.pop(); else parts.push(s);
  }
  return "/" + parts.join("/");
}

/** The C file a module is built from when it has one file (x.ko from x.c). */
function moduleSource(ko: string | null, files: Record<string, string>): { path: string; line: number; column: number } | null {
  if (!ko) return null;
  const c = ko.replace(/\.ko$/, ".c");
  return c in files ? { path: c, line: 1, column: 1 } : null;
}

/**
 * Where the project's sources first use `symbol` (as a word, outside a comment line): the module's own file
 * first, then the given file, then the others in order. Null when no source mentions it.
 */
export function findSymbol(symbol: string, files: Record<string, string>, ko?: string | null, prefer?: string | null): { path: string; line: number; column: number } | null {
  const re = new RegExp(`\\b${symbol.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`);
  const order = [ko?.replace(/\.ko$/, ".c"), prefer, ...Object.keys(files).sort()].filter((p): p is string => !!p && p in files && /\.[ch]$/.test(p));
  for (const path of new Set(order)) {
    const lines = files[path]!.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (/^\s*(\/\/|\*|\/\*)/.test(l)) continue;
      const m = re.exec(l);
      if (m) return { path, line: i + 1, column: m.index + 1 };
    }
  }
  return null;
}

/** "2 errors, 1 warning" */
export function summarise(ds: Diagnostic[]): string {
  const e = ds.filter((d) => d.severity === "error").length;
  const w = ds.filter((d) => d.severity === "warning").length;
  return `${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"}`;
}
