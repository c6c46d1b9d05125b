// One registry of commands: the toolbar, the menu, the command palette and the keyboard shortcuts are all built
// from this list. Commands drive the guest through its agent (machine.exec), never by typing into the console,
// and echo what they ran into the console so the student sees it (and could have typed it).
import { useLab, type LabState } from "./store/index.ts";
import { parseBuildOutput, summarise, type Diagnostic } from "./diagnostics/parse.ts";
import { parseTap, tapProblems } from "../../bin/tap.ts";
import { exportZip, importZip } from "./project/zip.ts";
import { handout, starterOpenFiles, starterProject } from "./project/starter.ts";
import { loadBackup, saveBackup } from "./persist.ts";
import { moduleOf, testCommand } from "./project/make.ts";
import { GUEST_WORK_DIR, type ExecResult } from "../../vcd/machine/machine.ts";
import type { RemoteMachine as Machine } from "./machine/remote.ts";
import { shellQuote } from "../../vcd/machine/agent.ts";
import { GPU_SYSFS } from "../../vcd/machine/platform.ts";
import { startWarmUp } from "../../vcd/machine/warm-up.ts";
import type { Detector } from "../../vcd/machine/console-watch.ts";
import { reportBlock, reportSources, reportTitle } from "../../vcd/machine/report-source.ts";

export interface Command {
  id: string;
  label: string;
  /** e.g. "Ctrl+Shift+B"; matched against keydown events by `matchShortcut`. */
  shortcut?: string;
  /** Shown in the toolbar (the others are in the menu and the palette). */
  toolbar?: boolean;
  /** Uses the machine: the lab is busy (other such commands disabled) until it ends. */
  exclusive?: boolean;
  enabled(s: LabState): boolean;
  perform(): Promise<void> | void;
}

const get = () => useLab.getState();
const ready = (s: LabState) => !!s.machine && !s.busy && (s.machineState === "ready" || s.machineState === "restored");
const C = { cmd: "\x1b[36m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", off: "\x1b[0m" };

/** Write the project into the guest's /work: changed files only (make goes by dates), and remove the ones the
 *  project no longer has. Returns how many files were written. */
export async function syncProject(m: Machine): Promise<number> {
  const s = get();
  let n = 0;
  for (const [path, text] of Object.entries(s.files)) {
    if (s.synced[path] === text) continue;
    await m.putFile(path, text);
    get().markSynced(path, text);
    n++;
  }
  for (const path of Object.keys(s.synced)) {
    if (path in s.files) continue;
    await m.removeFile(path);
    get().markSynced(path, null);
  }
  return n;
}

/**
 * Warm the machine up for the student's first Build: the project into /work, then a throwaway build of a private
 * copy at the lowest priority (vcd/machine/warm-up.ts). Skipped while a command runs (it warms the machine itself).
 * `body[data-warm-up]` says "started" (then the guest's WARM_UP_MARK exists until it ends) or "skipped".
 */
export async function warmUp(m: Machine): Promise<void> {
  let started = false;
  try {
    if (get().busy || get().machine !== m) return;
    await syncProject(m);
    if (get().busy) return;
    started = await startWarmUp(m);
  } finally {
    document.body.dataset.warmUp = started ? "started" : "skipped";
  }
}

/** Run a command in the guest for a button: echo it, stream its output, turn timeouts and panics into messages. */
async function run(id: string, label: string, command: string, timeoutS: number, machineState: LabState["machineState"] = "running", onOutput?: (text: string) => void): Promise<ExecResult | null> {
  const m = get().machine;
  if (!m) return null;
  const t0 = performance.now();
  get().setMachineState(machineState, `${label}…`);
  get().echo(`\n${C.cmd}[vgpu-lab ${label}] /work$ ${command}${C.off}\n`);
  watchOops.active = true;
  watchOops.seen = null;
  let r: ExecResult;
  try {
    r = await m.exec(command, { timeout: timeoutS * 1000, onStdout: (t) => { get().echo(t); onOutput?.(t); } });
  } finally {
    watchOops.active = false;
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.status === "timeout") {
    get().setCrash({ kind: "timeout", title: `${label} did not finish within ${timeoutS} s (a loop in a Makefile or a test that hangs?): the machine was restored, your files are kept`, tail: r.consoleTail ?? "" });
    get().echo(`${C.red}[vgpu-lab] ${label} timed out after ${timeoutS} s; the machine was restored, your files are kept${C.off}\n`);
    get().setMachineState("restored", `${label} timed out after ${timeoutS} s: machine restored, files kept`);
    return r;
  }
  if (r.status === "panic") {
    // The guest panics on an oops (panic_on_oops): name the oops, the student's bug, not the panic it became.
    const oops = watchOops.seen ?? oopsLine(r.consoleTail ?? "");
    watchOops.seen = null;
    if (oops) {
      get().setCrash({ kind: "oops", title: `Kernel oops during ${label}: ${oops.trim()}. The machine was restored; your files are kept.`, tail: r.consoleTail ?? "" });
      get().echo(`${C.red}[vgpu-lab] kernel oops during ${label}: ${oops.trim()}; the machine was restored, your files are kept${C.off}\n`);
      get().setMachineState("restored", `kernel oops during ${label}: machine restored, files kept`);
      return r;
    }
    get().setCrash({ kind: "panic", title: `The kernel panicked during ${label}: the machine was restored, your files are kept`, tail: r.consoleTail ?? "" });
    get().echo(`${C.red}[vgpu-lab] kernel panic during ${label}; the machine was restored, your files are kept${C.off}\n`);
    get().setMachineState("restored", `kernel panic during ${label}: machine restored, files kept`);
    return r;
  }
  if (r.stderr) get().echo(`${C.yellow}${r.stderr}${C.off}`);
  if (watchOops.seen) {
    await recoverFromOops(label);
    return r;
  }
  get().echo(`${r.exitCode === 0 ? C.green : C.red}[vgpu-lab ${label}] exit status ${r.exitCode} (${secs} s)${C.off}\n`);
  get().setMachineState("ready", `${label}: ${r.exitCode === 0 ? "done" : `failed (exit status ${r.exitCode})`} in ${secs} s`);
  if (watchReports.seen.length) await showReports(label);
  return r;
}

/** Detector reports seen on the console (main.tsx collects them), shown once the command that caused them ends. */
export const watchReports: { seen: Array<{ detector: Detector; line: string }> } = { seen: [] };

/**
 * The reports seen so far as problems: each on the project's source lines its module frames point to (the guest's
 * binutils read the student's .ko; report-source.ts), else listed by its first line. They stay until the next Build.
 */
export async function showReports(during: string | null): Promise<void> {
  const m = get().machine;
  const seen = watchReports.seen.splice(0);
  if (!m || !seen.length) return;
  const tail = await m.consoleTail();
  const files = get().files;
  const root = `${GUEST_WORK_DIR}/`;
  const out: Diagnostic[] = [];
  const placed = new Set<string>();
  for (const { detector, line } of seen) {
    const title = reportTitle(detector, line);
    const sources = await reportSources(m, reportBlock(tail, line), GUEST_WORK_DIR).catch(() => []);
    // The frames in the project's own files, by project path.
    const mine = sources.map((f) => ({ ...f, path: f.file.slice(root.length) })).filter((f) => f.file.startsWith(root) && f.path in files);
    for (const f of mine) {
      const key = `${title}@${f.path}:${f.line}`;
      if (placed.has(key)) continue;
      placed.add(key);
      out.push({ path: f.path, line: f.line, column: 1, severity: "error", message: `${title} (in ${f.fn})`, source: "kernel" });
    }
    if (!mine.length) out.push({ path: null, line: 0, column: 0, severity: "error", message: title, source: "kernel", where: sources[0] ? `${sources[0].fn} [${sources[0].module}]` : "kernel log" });
    const at = mine[0] ? ` at ${mine[0].path}:${mine[0].line}` : "";
    get().echo(`${C.yellow}[vgpu-lab] the kernel reported a bug${during ? ` during ${during}` : ""}: ${title}${at}${C.off}\n`);
  }
  get().setProblems([...get().problems.filter((p) => p.source !== "kernel"), ...out]);
  get().setStatusText(`The kernel reported ${seen.length === 1 ? "a bug" : `${seen.length} bugs`}: ${reportTitle(seen[0]!.detector, seen[0]!.line)} (see Problems)`);
  if (during !== "Run tests") get().setBottomTab("problems");
}

/** Oopses seen while a button's command runs (the console's own are handled in main.tsx the same way). */
/** The first line of a console tail that reports an oops. */
function oopsLine(tail: string): string | undefined {
  return /.*(Oops|BUG: |general protection fault|unable to handle).*/i.exec(tail)?.[0];
}

export const watchOops: { active: boolean; seen: string | null } = { active: false, seen: null };

/** A kernel oops leaves the kernel tainted and the module half loaded: show it, then restore the machine. */
export async function recoverFromOops(during: string | null): Promise<void> {
  const m = get().machine;
  if (!m) return;
  const mine = !get().busy;
  if (mine) get().setBusy("recover");
  try {
    const tail = (await m.consoleTail()).slice(-6000);
    const first = watchOops.seen ?? oopsLine(tail) ?? "kernel oops";
    watchOops.seen = null;
    get().setCrash({ kind: "oops", title: `Kernel oops${during ? ` during ${during}` : ""}: ${first.trim()}. The machine was restored; your files are kept.`, tail });
    get().setMachineState("panicked", "kernel oops: restoring the machine (your files are kept)…");
    get().echo(`${C.red}[vgpu-lab] kernel oops${during ? ` during ${during}` : ""}: ${first.trim()}; restoring the machine, your files are kept${C.off}\n`);
    await m.recover();
  } finally {
    if (mine) get().setBusy(null);
  }
}

async function build(): Promise<void> {
  const m = get().machine;
  if (!m) return;
  get().clearLog();
  get().setCrash(null);
  get().setProgress({ label: "Build: copying files into /work", fraction: null });
  const n = await syncProject(m);
  get().echo(`${C.dim}[vgpu-lab] ${n} changed file${n === 1 ? "" : "s"} copied into /work${C.off}\n`);
  get().setProgress({ label: "Build: make", fraction: null });
  let r: ExecResult | null;
  try {
    // kbuild's steps ("CC [M]  /work/x.o", "MODPOST", "LD [M]") as the progress label.
    let steps = 0;
    r = await run("build", "Build", "make 2>&1", get().settings.buildTimeoutS, "building", (t) => {
      for (const m of t.matchAll(/^\s+(CC \[M\]|CC|LD \[M\]|LD|MODPOST|BTF \[M\])\s+(\S+)/gm)) {
        steps++;
        get().setProgress({ label: `Build step ${steps}: ${m[1]} ${m[2]!.replace(/^\/work\//, "")}`, fraction: null });
      }
    });
  } finally {
    get().setProgress(null);
  }
  if (!r) return;
  const problems = r.status === "exited" ? parseBuildOutput(r.stdout, { files: get().files }) : [];
  get().setProblems(problems);
  if (r.status !== "exited") return;
  const summary = summarise(problems);
  if (r.exitCode === 0) {
    get().setMachineState("ready", `Build succeeded (${summary}) in ${(r.ms / 1000).toFixed(1)} s`);
    if (problems.length) get().setBottomTab("problems");
  } else {
    const markable = problems.some((p) => p.path);
    get().setMachineState("ready", `Build failed: ${markable ? summary : "see the build log"}`);
    get().setBottomTab(markable ? "problems" : "log");
  }
}

/** Shell: `h` = the module bound to the card, empty when none is. */
const HOLDER = `h=$(readlink ${GPU_SYSFS}/driver/module 2>/dev/null); h=\${h##*/}`;

/** The kernel's name for a module file ("pm2-drv.ko" → "pm2_drv"). */
const moduleName = (ko: string) => ko.replace(/\.ko$/, "").replace(/-/g, "_");

async function builtModule(m: Machine): Promise<string | null> {
  const built = await m.listFiles();
  const ko = moduleOf(get().files, built);
  return ko && built.includes("/" + ko) ? ko : null;
}

async function load(): Promise<void> {
  const m = get().machine;
  if (!m) return;
  const ko = await builtModule(m);
  if (!ko) {
    get().echo(`${C.red}[vgpu-lab] no .ko in /work: Build first${C.off}\n`);
    get().setStatusText("Load: nothing to load, Build first");
    return;
  }
  const mod = moduleName(ko);
  get().setCrash(null);
  // Whatever module holds the card (the starter's skeleton before an Import, one the student insmod-ed by hand)
  // goes first, or the new driver would load without a card to bind.
  await run("load", "Load", `n=$(dmesg | wc -l); ${HOLDER}; for m in $h ${mod}; do if [ -d /sys/module/$m ]; then rmmod $m || exit 1; fi; done; insmod ./${shellQuote(ko)}; st=$?; sleep 0.3; dmesg | tail -n +$((n + 1)); exit $st`, get().settings.commandTimeoutS);
}

async function unload(): Promise<void> {
  const m = get().machine;
  if (!m) return;
  // The module bound to the card, else the project's own if it is loaded (a driver that failed its probe).
  const ko = await builtModule(m);
  const mod = ko ? moduleName(ko) : "";
  await run("unload", "Unload", `n=$(dmesg | wc -l); ${HOLDER}; [ -n "$h" ] || h=${mod || "-"}; if [ ! -d /sys/module/$h ]; then echo "no driver holds the card and ${mod || "the project's module"} is not loaded"; exit 1; fi; rmmod $h; st=$?; dmesg | tail -n +$((n + 1)); exit $st`, get().settings.commandTimeoutS);
}

async function runTests(): Promise<void> {
  const m = get().machine;
  if (!m) return;
  const cmd = testCommand(get().files);
  if (!cmd) {
    get().setStatusText("Run tests: the project has no `test` target in its Makefile");
    get().echo(`${C.red}[vgpu-lab] the project's Makefile has no test target${C.off}\n`);
    return;
  }
  await syncProject(m);
  get().setCrash(null);
  get().setProgress({ label: "Running tests", fraction: null });
  let r: ExecResult | null;
  try {
    r = await run("test", "Run tests", cmd, get().settings.testTimeoutS);
  } finally {
    get().setProgress(null);
  }
  if (!r) return;
  const result = parseTap(r.stdout);
  const problems = r.status === "exited" ? tapProblems(result) : [r.status === "timeout" ? "the tests timed out" : "the kernel panicked"];
  get().setTests({ result, problems, output: r.stdout, exitCode: r.exitCode, when: Date.now() });
  get().setBottomTab("tests");
  const passed = result.tests.filter((t) => t.ok).length;
  get().setStatusText(`Tests: ${passed} of ${result.planned ?? result.tests.length} passed${problems.length ? `, ${problems.length} problem${problems.length === 1 ? "" : "s"}` : ""}`);
}

async function reset(): Promise<void> {
  const m = get().machine;
  if (!m) return;
  get().setMachineState("restoring", "Reset: restoring the machine's saved state (your files are kept)…");
  get().echo(`${C.cmd}[vgpu-lab Reset machine]${C.off}\n`);
  await m.recover();
}

function download(name: string, data: Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The handout of the lab's card: the starter project with its header, and the card's manual. */
function downloadHandout(): void {
  const v = get().variant;
  download(`${v.id}-handout.zip`, exportZip(handout(v)), "application/zip");
}

function exportProject(): void {
  const data = exportZip(get().files);
  download("vgpu-lab-project.zip", data, "application/zip");
  get().setStatusText(`Exported ${Object.keys(get().files).length} files (${(data.length / 1024).toFixed(0)} KiB)`);
}

/** Replace the project by a zip's files (checked first; the old project is kept as a backup). */
export async function importProjectBytes(data: Uint8Array, name = "the zip"): Promise<string | null> {
  const { maxFiles, maxFileBytes } = get().settings;
  const r = importZip(data, { maxFiles, maxFileBytes });
  if ("error" in r) {
    get().setNotice({ kind: "error", text: `Import of ${name} refused: ${r.error}` });
    return r.error;
  }
  await replaceProject(r.files, `Imported ${Object.keys(r.files).length} files from ${name}${r.skipped.length ? ` (skipped ${r.skipped.length} build products or binary files)` : ""}`);
  return null;
}

async function replaceProject(files: Record<string, string>, message: string): Promise<void> {
  await saveBackup(get().files).catch(() => undefined);
  const open = get().tabs.filter((t) => t in files);
  get().setProject(files);
  const tabs = open.length ? open : starterOpenFiles(files);
  useLab.setState({ tabs, active: tabs[0] ?? null, problems: [] });
  get().setNotice({ kind: "info", text: `${message}. The previous project is kept as a backup (Restore previous project).` });
}

function importProject(): void {
  const input = document.getElementById("import-input") as HTMLInputElement | null;
  input?.click();
}

async function newFromStarter(): Promise<void> {
  await replaceProject(starterProject(get().variant), "New project from the starter");
}

async function restoreBackup(): Promise<void> {
  const b = await loadBackup();
  if (!b) { get().setNotice({ kind: "error", text: "There is no previous project to restore." }); return; }
  await replaceProject(b, "Restored the previous project");
}

async function saveActive(): Promise<void> {
  const s = get();
  const m = s.machine;
  if (!m || !s.active) return;
  await m.putFile(s.active, s.files[s.active]!);
  s.markSynced(s.active, s.files[s.active]!);
  s.setStatusText(`Saved ${s.active} into /work`);
}

function newFile(): void {
  const name = prompt("New file (path in the project, e.g. tests/mytest.c):");
  if (!name) return;
  const err = get().createFile(name.trim());
  if (err) get().setNotice({ kind: "error", text: err });
}

export const commands: Command[] = [
  { id: "build", exclusive: true, label: "Build", shortcut: "Ctrl+Shift+B", toolbar: true, enabled: ready, perform: build },
  { id: "load", exclusive: true, label: "Load", shortcut: "F8", toolbar: true, enabled: ready, perform: load },
  { id: "unload", exclusive: true, label: "Unload", shortcut: "Shift+F8", toolbar: true, enabled: ready, perform: unload },
  { id: "test", exclusive: true, label: "Run tests", shortcut: "F9", toolbar: true, enabled: ready, perform: runTests },
  { id: "leaks", exclusive: true, label: "Scan for memory leaks (kmemleak)", enabled: ready, perform: async () => { await run("leaks", "Scan for leaks", "kmemleak-scan", get().settings.commandTimeoutS); } },
  { id: "reset", exclusive: true, label: "Reset machine", toolbar: true, enabled: (s) => !!s.machine && !s.busy, perform: reset },
  { id: "save", exclusive: true, label: "Save file into /work", shortcut: "Ctrl+S", enabled: ready, perform: saveActive },
  { id: "export", label: "Export project (.zip)", shortcut: "Ctrl+Shift+E", toolbar: true, enabled: (s) => Object.keys(s.files).length > 0, perform: exportProject },
  { id: "import", label: "Import project (.zip)", shortcut: "Ctrl+Shift+O", toolbar: true, enabled: (s) => !s.readOnly, perform: importProject },
  { id: "handout", label: "Download the handout (.zip)", enabled: () => true, perform: downloadHandout },
  { id: "new-file", label: "New file", shortcut: "Alt+N", enabled: (s) => !s.readOnly, perform: newFile },
  { id: "new-project", label: "New project from starter", enabled: (s) => !s.readOnly, perform: newFromStarter },
  { id: "restore-backup", label: "Restore previous project", enabled: (s) => !s.readOnly, perform: restoreBackup },
  { id: "show-screen", label: "Show the screen", enabled: () => true, perform: () => get().setRightPane("screen") },
  { id: "show-inspector", label: "Show the inspector", enabled: () => true, perform: () => get().setRightPane("inspector") },
  { id: "show-manual", label: "Show the manual", enabled: () => true, perform: () => get().setRightPane("manual") },
  { id: "show-console", label: "Focus the console", shortcut: "Ctrl+`", enabled: () => true, perform: () => { get().setBottomTab("console"); setTimeout(() => (document.querySelector(".xterm-helper-textarea") as HTMLElement | null)?.focus(), 0); } },
  { id: "show-problems", label: "Show problems", shortcut: "Ctrl+Shift+M", enabled: () => true, perform: () => get().setBottomTab("problems") },
  { id: "palette", label: "Command palette", shortcut: "Ctrl+Shift+P", enabled: () => true, perform: () => paletteOpener.open() },
];

/** Set by the palette component. */
export const paletteOpener = { open: () => {} };

export function commandById(id: string): Command {
  const c = commands.find((c) => c.id === id);
  if (!c) throw new Error(`no command ${id}`);
  return c;
}

export function matchShortcut(e: KeyboardEvent, shortcut: string): boolean {
  const parts = shortcut.split("+");
  const key = parts.pop()!;
  const want = { ctrl: parts.includes("Ctrl"), shift: parts.includes("Shift"), alt: parts.includes("Alt") };
  if ((e.ctrlKey || e.metaKey) !== want.ctrl || e.shiftKey !== want.shift || e.altKey !== want.alt) return false;
  if (key.length === 1) return e.key.toUpperCase() === key.toUpperCase() || e.code === `Key${key.toUpperCase()}` || (key === "`" && e.code === "Backquote");
  return e.key === key;
}

/** Run a command if it is enabled now; errors become a notice, never an uncaught rejection. */
export async function runCommand(c: Command): Promise<void> {
  if (!c.enabled(get())) return;
  if (c.exclusive) get().setBusy(c.id);
  try {
    await c.perform();
  } catch (e) {
    get().setNotice({ kind: "error", text: `${c.label} failed: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    if (c.exclusive) get().setBusy(null);
  }
}

/** Keyboard shortcuts for the whole page (capture phase, so they work inside Monaco and xterm too). */
export function installShortcuts(): void {
  addEventListener("keydown", (e) => {
    if (e.key === "F1") { e.preventDefault(); paletteOpener.open(); return; }
    for (const c of commands) {
      if (c.shortcut && matchShortcut(e, c.shortcut)) {
        e.preventDefault();
        e.stopPropagation();
        void runCommand(c);
        return;
      }
    }
  }, true);
}
