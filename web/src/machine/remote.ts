// The page's handle on the machine in its worker (worker.ts): the calls of vcd's Machine that the lab uses, each a
// message and its answer, and the machine's events (console bytes, kernel events, restores, the screen, the
// inspector's snapshots) as listeners. Also what the e2e tests, the benches and the grader drive (window.vgpu).
import type { CardVariant } from "../../../vcd/card/definition.ts";
import type { InspectorSnapshot } from "../../../vcd/card/telemetry.ts";
import type { KernelEvent } from "../../../vcd/machine/console-watch.ts";
import type { DiskPrefetchResult, ExecOptions, ExecResult } from "../../../vcd/machine/machine.ts";
import type { Flavour } from "../../../vcd/machine/flavour.ts";
import type { IrqTiming } from "../../../vcd/machine/irq-timing.ts";
import type { BootProgress } from "./boot.ts";
import type { CallName, CardProblem, CardStatus, Calls, FromWorker, PrefetchInfo, ScreenFrame, StartRequest, ToWorker } from "./protocol.ts";

type Listener<T> = (v: T) => void;

/** What the screen pane hears: a mode change ("text" or "WxH format"), a frame, the VGA console's rows. */
export interface ScreenListener {
  mode(mode: string): void;
  frame(f: ScreenFrame): void;
  text(rows: string[]): void;
}

export class RemoteMachine {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onStdout?: (t: string) => void }>();
  private consoleListeners: Array<Listener<Uint8Array>> = [];
  private kernelListeners: Array<Listener<KernelEvent>> = [];
  private recoverListeners: Array<() => void> = [];
  private snapshotListeners: Array<Listener<InspectorSnapshot>> = [];
  private screen: ScreenListener | null = null;
  private lastScreen: { mode?: string; text?: string[]; frame?: ScreenFrame } = {};
  private samplers = 0;
  private dead: string | null = null;
  private settlePrefetch!: (r: DiskPrefetchResult) => void;
  /** The last tick's guest instruction counter (a wrapping u32) and card counters, twice a second. */
  last: { instructions: number; stats: CardStatus["stats"] } = { instructions: 0, stats: { dmaWords: 0, pixels: 0, primitives: 0 } };
  bootMs = 0;
  flavour: Flavour = "stock";
  /** The disk prefetch the guest's manifest names (null when it names none). */
  diskPrefetch: PrefetchInfo | null = null;
  /** Settles when the disk prefetch is in the guest's disk cache, or failed, or there is none. */
  readonly diskPrefetched: Promise<DiskPrefetchResult> = new Promise((r) => { this.settlePrefetch = r; });
  /** Called when the worker itself failed (the machine is gone). */
  onFailure: ((message: string) => void) | null = null;

  private constructor(private readonly worker: Worker, readonly variant: CardVariant) {}

  /**
   * Starts the worker and restores the guest in it. `progress` hears the state's download and the restore,
   * `prefetchProgress` the background disk prefetch once the shell is up.
   */
  static start(req: StartRequest, progress: BootProgress, prefetchProgress: BootProgress): Promise<RemoteMachine> {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "vgpu-machine" });
    const m = new RemoteMachine(worker, req.variant);
    return new Promise((resolve, reject) => {
      m.onStart = (e) => (e ? reject(e) : resolve(m));
      worker.onmessage = (ev: MessageEvent<FromWorker>) => m.receive(ev.data, progress, prefetchProgress);
      // Before the start, an error is the worker not loading at all; after it, an exception in one of its handlers
      // (the worker goes on, and the call it was answering reports its own error).
      worker.onerror = (ev) => {
        if (m.onStart) m.fail(`the machine's worker failed: ${ev.message || "it could not be loaded"}`);
        else console.error(`the machine's worker: ${ev.message}`);
      };
      m.send({ t: "start", req });
    });
  }

  private onStart: ((e?: Error) => void) | null = null;

  private send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  private fail(message: string): void {
    if (this.dead) return;
    this.dead = message;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    if (this.onStart) { this.onStart(new Error(message)); this.onStart = null; }
    else this.onFailure?.(message);
  }

  private receive(msg: FromWorker, progress: BootProgress, prefetchProgress: BootProgress): void {
    switch (msg.t) {
      case "progress":
        (msg.background ? prefetchProgress : progress)(msg.phase, msg.fraction, msg.bytes, msg.total);
        break;
      case "started":
        this.bootMs = msg.bootMs;
        this.flavour = msg.flavour;
        this.diskPrefetch = msg.prefetch;
        this.onStart?.();
        this.onStart = null;
        break;
      case "failed":
        this.fail(msg.message);
        break;
      case "return": {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error !== undefined) p?.reject(new Error(msg.error));
        else p?.resolve(msg.value);
        break;
      }
      case "stdout":
        this.pending.get(msg.id)?.onStdout?.(msg.text);
        break;
      case "console":
        for (const l of this.consoleListeners) l(msg.bytes);
        break;
      case "kernel":
        for (const l of this.kernelListeners) l(msg.e);
        break;
      case "recovered":
        for (const l of this.recoverListeners) l();
        break;
      case "prefetched":
        this.settlePrefetch(msg.result);
        break;
      case "tick":
        this.last = { instructions: msg.instructions, stats: msg.stats };
        break;
      case "mode":
        this.lastScreen = { mode: msg.mode };
        this.screen?.mode(msg.mode);
        break;
      case "frame":
        this.lastScreen.frame = msg.frame;
        if (this.screen) this.screen.frame(msg.frame);
        break;
      case "text":
        this.lastScreen.text = msg.rows;
        this.screen?.text(msg.rows);
        break;
      case "snapshot":
        for (const l of this.snapshotListeners) l(msg.s);
        break;
    }
  }

  private call<K extends CallName>(name: K, args: Parameters<Calls[K]>, onStdout?: (t: string) => void): Promise<ReturnType<Calls[K]>> {
    if (this.dead) return Promise.reject(new Error(this.dead));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onStdout });
      this.send({ t: "call", id, name, args });
    });
  }

  /** Run a shell command in the guest (one at a time; others wait their turn). */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return this.call("exec", [command, { timeout: options.timeout, cwd: options.cwd, stream: !!options.onStdout }], options.onStdout);
  }
  /** Write a file into the guest's work folder (path relative to /work). */
  putFile(path: string, data: Uint8Array | string): Promise<void> { return this.call("putFile", [path, data]); }
  /** Read a file from the guest's work folder (path relative to /work). */
  getFile(path: string): Promise<Uint8Array> { return this.call("getFile", [path]); }
  removeFile(path: string): Promise<void> { return this.call("removeFile", [path]); }
  /** The work folder's files, as "/path" under /work. */
  listFiles(): Promise<string[]> { return this.call("listFiles", []); }
  /** Put the machine back in its saved state; the work folder's files are kept. */
  recover(): Promise<void> { return this.call("recover", []); }
  /** The console's recent text (what the kernel and the shell printed). */
  consoleTail(): Promise<string> { return this.call("consoleTail", []); }
  /** Disk bytes the machine fetched itself (outside the prefetch) since it started. */
  diskBytesFetched(): Promise<number> { return this.call("diskBytesFetched", []); }
  setIrqTiming(mode: IrqTiming, seed = 0): Promise<void> { return this.call("setIrqTiming", [mode, seed]); }
  /** The guest-physical address of a BAR of a function on the virtual bus. */
  barAddress(fn: number, bar: number): Promise<number> { return this.call("barAddress", [fn, bar]); }
  /** A card register as stored (variant.registers' index), without side effects. */
  peekRegister(index: number): Promise<number> { return this.call("peekRegister", [index]); }
  /** The card's counters, host cost, busy flag and problem count, now. */
  card(): Promise<CardStatus> { return this.call("card", []); }
  /** The card's recorded problems numbered after `since`. */
  cardProblems(since = 0): Promise<CardProblem[]> { return this.call("cardProblems", [since]); }

  /** Type into the student's console (the guest's first serial line). */
  sendConsole(data: string): void {
    if (!this.dead) this.send({ t: "console", data });
  }
  onConsole(cb: Listener<Uint8Array>): () => void {
    this.consoleListeners.push(cb);
    return () => { this.consoleListeners = this.consoleListeners.filter((l) => l !== cb); };
  }
  onKernelEvent(cb: Listener<KernelEvent>): () => void {
    this.kernelListeners.push(cb);
    return () => { this.kernelListeners = this.kernelListeners.filter((l) => l !== cb); };
  }
  /** Called after the machine was put back in its saved state. */
  onRecover(cb: () => void): void {
    this.recoverListeners.push(cb);
  }

  /** The screen pane: hears the current mode (and what it last had) at once, then every change. */
  attachScreen(l: ScreenListener): void {
    this.screen = l;
    const s = this.lastScreen;
    if (s.mode) l.mode(s.mode);
    if (s.text) l.text(s.text);
    if (s.frame) l.frame(s.frame);
  }
  /** The page drew the last frame: the worker may send the next one. */
  frameDone(): void {
    this.send({ t: "frame-done" });
  }

  /** The inspector's snapshots at `hz` while at least one view listens (one sampler in the worker). */
  sample(cb: Listener<InspectorSnapshot>, hz: number): () => void {
    this.snapshotListeners.push(cb);
    if (this.samplers++ === 0) this.send({ t: "sampling", on: true, hz });
    return () => {
      this.snapshotListeners = this.snapshotListeners.filter((l) => l !== cb);
      if (--this.samplers === 0) this.send({ t: "sampling", on: false, hz });
    };
  }

  destroy(): void {
    this.worker.terminate();
    this.fail("the machine was shut down");
  }
}
