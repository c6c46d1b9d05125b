// The lab page: the IDE (React, one zustand store) around the machine, which runs in a worker of its own
// (web/src/machine/). The project comes from IndexedDB or the starter while the guest is restored.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { flushSync } from "react-dom";
import "./style.css";
import App from "./components/App.tsx";
import { useLab } from "./store/index.ts";
import { RemoteMachine } from "./machine/remote.ts";
import { fetchJson, selectVariant } from "./variant.ts";
import { chooseKernel, KERNELS_INDEX, type KernelsIndex } from "../../vcd/machine/flavour.ts";
import { attachScreen } from "./display/screen.ts";
import { startPersistence } from "./persist.ts";
import { installShortcuts, recoverFromOops, watchOops, watchReports, showReports, importProjectBytes, syncProject, commands, runCommand, warmUp } from "./commands.ts";
import { instructionsBetween } from "../../vcd/machine/deadlock.ts";
import { PAGE_JIT_MAX_PAGES } from "../../vcd/machine/engine-flags.ts";

const root = createRoot(document.getElementById("root")!);
flushSync(() => root.render(<StrictMode><App /></StrictMode>));
installShortcuts();
const lab = useLab.getState;

/** Once a second: guest instructions/s and the card's pixels/s and triangles/s. */
function startRates(m: RemoteMachine): void {
  let prev = { t: performance.now(), ins: m.last.instructions, ...m.last.stats };
  setInterval(() => {
    const now = { t: performance.now(), ins: m.last.instructions, ...m.last.stats };
    const dt = (now.t - prev.t) / 1000;
    lab().setRates({
      instructionsPerSecond: instructionsBetween(prev.ins, now.ins) / dt,
      pixelsPerSecond: Math.max(0, (now.pixels - prev.pixels) / dt),
      trianglesPerSecond: Math.max(0, (now.primitives - prev.primitives) / dt),
    });
    prev = now;
  }, 1000);
}

function wire(m: RemoteMachine): void {
  let oopsTimer: ReturnType<typeof setTimeout> | undefined;
  let reportTimer: ReturnType<typeof setTimeout> | undefined;
  m.onKernelEvent((e) => {
    if (e.kind === "panic") {
      lab().setMachineState("panicked", "the guest kernel panicked: restoring the machine (your files are kept)…");
      const title = `Kernel panic: ${e.line}. The machine is being restored; your files are kept.`;
      lab().setCrash({ kind: "panic", title, tail: "" });
      void m.consoleTail().then((tail) => { if (lab().crash?.title === title) lab().setCrash({ kind: "panic", title, tail: tail.slice(-6000) }); }, () => undefined);
    } else if (e.kind === "report") {
      // A detector named a bug; the kernel goes on. A command's own are shown when it ends, the console's here.
      watchReports.seen.push({ detector: e.detector, line: e.line });
      if (watchOops.active) return;
      clearTimeout(reportTimer);
      reportTimer = setTimeout(() => { if (!lab().busy) void showReports(null); }, 1500);
    } else if (e.kind === "oops") {
      // The command that caused it reports it when it returns; an oops from the console is handled here.
      if (watchOops.active) { watchOops.seen ??= e.line; return; }
      watchOops.seen ??= e.line;
      clearTimeout(oopsTimer);
      oopsTimer = setTimeout(() => { if (!lab().busy && watchOops.seen) void recoverFromOops(null); }, 1500);
    }
  });
  m.onRecover(() => {
    lab().setMachineState("restored", "machine restored after a kernel panic or oops; your files in /work are kept");
    lab().echo("\n\x1b[33m[vgpu-lab] the machine was restored, your files in /work are kept\x1b[0m\n");
    const c = lab().crash;
    if (c && c.kind === "panic") lab().setCrash({ ...c, title: c.title.replace("is being restored", "was restored") });
    m.sendConsole("\n");
    // A restored machine is cold again; warm it once the recovery's own command has ended.
    if (WARM_UP) setTimeout(() => void warmUp(m).catch(() => undefined), 2000);
  });
}

/** `?warm-up=off` leaves the machine cold until the first Build (tests and the grader, whose builds come at once). */
const WARM_UP = new URLSearchParams(location.search).get("warm-up") !== "off";

/** The site's files are beside the page: a published lab works from any folder of a static host. */
const BASE = ".";

async function start(): Promise<void> {
  const t0 = performance.now();
  lab().setProgress({ label: "loading", fraction: null });
  const variant = await selectVariant(BASE, location.search);
  useLab.setState({ variant });
  document.body.dataset.variant = variant.id;
  const persisted = startPersistence();
  const kernel = chooseKernel(await fetchJson<KernelsIndex>(`${BASE}/${KERNELS_INDEX}`) ?? undefined, location.search);
  // The worker resolves URLs against its own script: it gets the guest's folder as an absolute URL.
  const base = new URL(`${BASE}/${kernel.dir}`, location.href).href.replace(/\/$/, "");
  // Smaller JIT modules for a browser with V8's defaults (engine-flags.ts); `?jit-pages=3` is v86's own setting.
  const jitMaxPages = Number(new URLSearchParams(location.search).get("jit-pages")) || PAGE_JIT_MAX_PAGES;
  const machine = await RemoteMachine.start({ base, variant, flavour: kernel.flavour, jitMaxPages }, (phase, f, bytes, total) => {
    lab().setMachineState("restoring", phase);
    lab().setProgress({ label: phase, fraction: f ?? null, bytes, total });
  }, (phase, f, bytes, total) => {
    if (!lab().busy) lab().setProgress({ label: phase, fraction: f ?? null, bytes, total });
  });
  machine.onFailure = (message) => {
    lab().setBusy(null);
    lab().setMachineState("error", `${message}; your files are kept (reload the page to start the machine again)`);
  };
  const flavour = machine.flavour;
  useLab.setState({ kernel: flavour });
  document.body.dataset.kernel = flavour;
  attachScreen(machine, document.getElementById("vga")!, document.getElementById("card") as HTMLCanvasElement, document.getElementById("screen-label")!);
  lab().setProgress(null);
  await persisted.catch(() => undefined);
  const ready = `guest ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  lab().setMachine(machine);
  lab().setMachineState("ready", machine.diskPrefetch
    ? `${ready}; fetching the compiler and headers in the background (${(machine.diskPrefetch.packedBytes / 1e6).toFixed(0)} MB)…`
    : ready);
  document.body.dataset.ready = "true";
  wire(machine);
  startRates(machine);
  void machine.diskPrefetched.then((r) => {
    if (lab().statusText.startsWith(ready)) {
      lab().setStatusText("error" in r ? `${ready}; the background fetch failed (${r.error}), so the first build reads the disk itself` : ready);
    }
    if (lab().progress?.label.startsWith("fetching")) lab().setProgress(null);
    document.body.dataset.diskPrefetch = "error" in r ? "error" : "done";
    if (WARM_UP) return warmUp(machine);
    document.body.dataset.warmUp = "off";
  }).catch(() => undefined);
  // A typed proxy for the command line (bin/session.ts) and the e2e tests.
  (window as unknown as { vgpu: unknown }).vgpu = { machine, lab: useLab, importProjectBytes, syncProject: () => syncProject(machine), commands, runCommand, watchOops, recoverFromOops };
}

start().catch((e: Error) => {
  lab().setProgress(null);
  lab().setMachineState("error", `could not start the lab: ${e.message}`);
  document.body.dataset.ready = "error";
});
