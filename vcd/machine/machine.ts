// The Machine: one guest, booted or restored, driven through the guest agent. Runs in Node and in the browser.
import { Emulator, type FileRef, type Hardware } from "./v86-adapter.ts";
import { AgentParser, encodeRequest, type AgentReply } from "./agent.ts";
import { ConsoleWatch, type KernelEvent } from "./console-watch.ts";
import { Platform, type PlatformOptions } from "./platform.ts";
import { blame, DEFAULT_STUCK_MS, MIN_INSTRUCTIONS, StuckWatch, withKernelSymbol, type CpuSample, type DeadlockEvent } from "./deadlock.ts";
import type { Flavour } from "./flavour.ts";
import type { IrqTiming } from "./irq-timing.ts";
import type { DiskPrefetchInfo } from "./manifest.ts";

/** Where the guest's files are: URLs in the browser, paths in Node. */
export interface GuestAssets {
  wasm: string;
  /** v86.wasm already compiled by the host (Node: see node-host.ts). */
  compiledWasm?: () => Promise<WebAssembly.Module>;
  bios: FileRef;
  vgaBios: FileRef;
  bzimage: FileRef;
  initrd: FileRef;
  disk: FileRef & { size: number };
  cmdline: string;
  kernelRelease: string;
  memoryMB: number;
  /** The guest's kernel (stock when the manifest predates flavours). */
  flavour?: Flavour;
  /** Disk ranges a first build reads, packed, for a restored state; `load` fetches and unpacks them. */
  diskPrefetch?: Omit<DiskPrefetchInfo, "file"> & { load: () => Promise<Uint8Array> };
}

/** How the disk prefetch went: the bytes it put in v86's disk cache, or why there are none. */
export type DiskPrefetchResult = { bytes: number; packedBytes: number; ms: number } | { error: string } | { none: true };

export interface MachineOptions {
  /** Start from this state instead of booting. */
  state?: ArrayBuffer;
  screen?: HTMLElement;
  /** The virtual card and its bus (default: the Permedia 2v); a state taken with them needs them to restore. */
  platform?: PlatformOptions;
  /** Plug further devices in before the BIOS runs or the state is restored. */
  devices?: (hw: Hardware) => void;
  /** Give up on booting after this long (ms). */
  bootTimeout?: number;
  /** When the card's interrupts reach the CPU (see Platform.setIrqTiming); default prompt. */
  irqTiming?: IrqTiming;
  irqSeed?: number;
  /** A guest in the kernel with interrupts off for this long (ms) is wedged: named, then restored. Default 1000. */
  stuckMs?: number;
}

/** How a command ended: it exited, ran past its timeout, the kernel panicked, or the guest deadlocked with interrupts off. */
export type ExecStatus = "exited" | "timeout" | "panic" | "deadlock";

export interface ExecResult {
  status: ExecStatus;
  /** The command's exit status (only when status is "exited"). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The console's last lines, for timeouts and panics. */
  consoleTail?: string;
  /** What the guest was stuck in (status "deadlock"). */
  deadlock?: DeadlockEvent;
}

export interface ExecOptions {
  timeout?: number;
  cwd?: string;
  /** Receive stdout line by line while the command runs (the result still has all of it). */
  onStdout?: (text: string) => void;
}

/** Guest path where the host's work folder (the 9p share) is mounted. */
export const GUEST_WORK_DIR = "/work";

type Listener<T> = (v: T) => void;

export class Machine {
  private nextId = 1;
  private waiting = new Map<number, (r: AgentReply) => void>();
  private readyWaiters: Array<() => void> = [];
  private agent: AgentParser;
  private watch: ConsoleWatch;
  private consoleListeners: Array<Listener<number>> = [];
  private kernelListeners: Array<Listener<KernelEvent>> = [];
  private panicWaiters: Array<(e: KernelEvent) => void> = [];
  private deadlockWaiters: Array<(e: DeadlockEvent) => void> = [];
  private readonly stuck: StuckWatch;
  private lastSample: CpuSample | undefined;
  /** Kernel symbols of addresses, learnt from the (restored) guest's /proc/kallsyms. */
  private readonly kernelSymbolCache = new Map<number, string>();
  /** The state to go back to after a timeout or panic. */
  private baseline?: ArrayBuffer;
  private queue: Promise<unknown> = Promise.resolve();
  private lastPanicAt = 0;
  private outputSinks = new Map<number, (text: string) => void>();
  private prefetchData?: Uint8Array;
  readonly bootMs: number;
  /**
   * Settles when the disk prefetch of a restored machine is in v86's disk cache. It starts once the shell is usable,
   * so it is not in the way of the first command; a failed fetch only means the first build reads the disk itself.
   */
  readonly diskPrefetched: Promise<DiskPrefetchResult> = Promise.resolve({ none: true });

  private constructor(readonly emulator: Emulator, readonly assets: GuestAssets, readonly platform: Platform, started: number, stuckMs?: number) {
    this.bootMs = 0;
    // The course kernel's own checks run long stretches with interrupts off (lockdep validating a lock chain it
    // has not seen, kmemleak and the DMA API debugger looking up their records): 1.8 s of host time was seen in
    // ___slab_alloc on a loaded host. Its bound is ten times the stock kernel's.
    this.stuck = assets.flavour === "course"
      ? new StuckWatch((stuckMs ?? DEFAULT_STUCK_MS) * 10, MIN_INSTRUCTIONS * 10)
      : new StuckWatch(stuckMs);
    const cost = platform.gpu.cost;
    emulator.sampleCpu((s) => {
      this.lastSample = s;
      if (this.stuck.sample({ ...s, progress: cost.mmio, instructions: emulator.instructionCounter() })) this.onStuck(s);
    });
    this.agent = new AgentParser((r) => {
      const w = this.waiting.get(r.id);
      if (w) { this.waiting.delete(r.id); w(r); }
    }, () => { for (const w of this.readyWaiters.splice(0)) w(); }, (id, text) => this.outputSinks.get(id)?.(text));
    this.watch = new ConsoleWatch((e) => {
      for (const l of this.kernelListeners) l(e);
      if (e.kind !== "panic") return;
      // One panic prints its banner twice ("Kernel panic - not syncing" and "end Kernel panic"): act once.
      if (Date.now() - this.lastPanicAt < 10_000) return;
      this.lastPanicAt = Date.now();
      const waiters = this.panicWaiters.splice(0);
      for (const w of waiters) w(e);
      // A panic at the console (no command waiting on it): put the machine back by itself.
      if (!waiters.length && this.baseline) setTimeout(() => void this.recover(), 500);
    });
    emulator.onSerial(1, (b) => this.agent.push(b));
    emulator.onSerial(0, (b) => {
      this.watch.push(b);
      for (const l of this.consoleListeners) l(b);
    });
    (this as { bootMs: number }).bootMs = Date.now() - started;
  }

  /** Boot from scratch (no state) or restore `options.state`; resolves when the agent answers. */
  static async start(assets: GuestAssets, options: MachineOptions = {}): Promise<Machine> {
    const t0 = Date.now();
    let platform: Platform | undefined;
    const emulator = await Emulator.create({
      wasm: assets.wasm, compiledWasm: assets.compiledWasm, memoryMB: assets.memoryMB, bios: assets.bios, vgaBios: assets.vgaBios,
      bzimage: assets.bzimage, initrd: assets.initrd, cmdline: assets.cmdline, disk: assets.disk,
      initialState: options.state, screen: options.screen,
      onReady: (hw) => {
        platform = new Platform(hw, { irqTiming: options.irqTiming, irqSeed: options.irqSeed, ...options.platform });
        options.devices?.(hw);
      },
    });
    const m = new Machine(emulator, assets, platform!, t0, options.stuckMs);
    const timeout = options.bootTimeout ?? 600_000; // a boot takes 15 s here, but over 3 min on a host shared by five emulators
    try {
      if (options.state) {
        m.baseline = options.state;
        await m.afterRestore(timeout);
        if (assets.diskPrefetch) (m as { diskPrefetched: Promise<DiskPrefetchResult> }).diskPrefetched = m.prefetchDisk(assets.diskPrefetch);
      } else {
        await m.waitReady(timeout);
      }
    } catch (e) {
      // A guest that never came up must not keep running (and keep the process alive) behind the error.
      await m.destroy().catch(() => undefined);
      throw e;
    }
    (m as { bootMs: number }).bootMs = Date.now() - t0;
    return m;
  }

  private async prefetchDisk(p: NonNullable<GuestAssets["diskPrefetch"]>): Promise<DiskPrefetchResult> {
    const t0 = Date.now();
    try {
      const data = await p.load();
      if (data.length !== p.bytes) throw new Error(`the disk prefetch holds ${data.length} bytes, its manifest says ${p.bytes}`);
      this.prefetchData = data;
      this.seedDisk();
      return { bytes: data.length, packedBytes: p.packedBytes, ms: Date.now() - t0 };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Sets the guest clock after a state was restored. The saved clock is from when the state was taken: files the
   * host writes now would look like the future to make (9p stamps host files in whole seconds, so the guest runs a
   * second ahead rather than behind). Until the clock is set, the console's shell also stays stalled.
   */
  private async afterRestore(timeout = 60_000): Promise<void> {
    const r = await this.execNow(`date -s @${Math.ceil(Date.now() / 1000) + 1} >/dev/null`, { timeout });
    if (r.status !== "exited") throw new Error(`the guest did not answer after restoring its state (${r.status})`);
    if (this.platform.restoredOtherCard) {
      // The state was taken with another card variant: re-plug the slot so the guest enumerates this card.
      const p = await this.execNow("rmmod vgpu && modprobe vgpu", { timeout });
      if (p.status !== "exited" || p.exitCode !== 0) throw new Error(`re-plugging the ${this.platform.gpu.card.variant.id} card failed (${p.status}): ${p.stdout}${p.stderr}`);
      this.platform.restoredOtherCard = false;
    }
  }

  /** Where the CPU was at the last sample, in words (what a command that timed out leaves for its report). */
  private whereIsTheCpu(): string {
    const s = this.lastSample;
    if (!s) return "no CPU sample";
    const e = blame(s, this.platform.modules, (va) => this.emulator.readVirt32(va), this.stuck.offFor(s.ms));
    const mode = s.kernel ? "in the kernel" : "in user space";
    return `interrupts ${s.interruptsOn ? "on" : `off for ${(this.stuck.offFor(s.ms) / 1000).toFixed(1)} s`}, ${mode}${s.halted ? ", halted" : ""}, eip 0x${(s.eip >>> 0).toString(16)}; first module code on the stack: ${e.module ? `${e.symbol ?? "?"}+0x${e.offset.toString(16)} [${e.module}]` : "none"}`;
  }

  /** The CPU has sat in the kernel with interrupts off for too long: name the culprit, then put the machine back. */
  private onStuck(s: CpuSample): void {
    const e = blame(s, this.platform.modules, (va) => this.emulator.readVirt32(va), this.stuck.offFor(s.ms));
    // Only a module's code is blamed: the kernel alone with interrupts off for long (seen once, while the host was
    // starved) is left to the command's timeout. Look again at the next sample.
    if (!e.module) {
      this.stuck.rearm();
      return;
    }
    const waiters = this.deadlockWaiters.splice(0);
    for (const w of waiters) w(e);
    if (waiters.length) return; // the command waiting on it reports it once the kernel symbol is known
    for (const l of this.kernelListeners) l(e);
    // At the console (no command waiting on it): put the machine back by itself.
    if (this.baseline) void this.queue.then(() => this.recover());
  }

  /**
   * The kernel's name for a code address ("native_queued_spin_lock_slowpath+0x2a"), from /proc/kallsyms of this
   * machine's guest. Kernel text is where it was when the baseline state was taken, so a restored guest can answer
   * for the one that wedged. Undefined when the guest cannot say.
   */
  private async kernelSymbol(address: number): Promise<string | undefined> {
    const cached = this.kernelSymbolCache.get(address);
    if (cached) return cached;
    const hex = address.toString(16).padStart(8, "0");
    // Kernel lines come first and in address order, all addresses eight hex digits: compare them as strings.
    const r = await this.execNow(`awk -v a=${hex} '($1 "") <= (a "") && ($2 == "t" || $2 == "T") { v = $1; s = $3 } END { if (v != "") print v, s }' /proc/kallsyms`, { timeout: 60_000 });
    const m = r.status === "exited" ? /^([0-9a-f]{8}) (\S+)$/m.exec(r.stdout) : null;
    if (!m || /^0+$/.test(m[1]!)) return undefined;
    const off = address - parseInt(m[1]!, 16);
    if (off < 0 || off > 0x10000) return undefined;
    const name = `${m[2]}+0x${off.toString(16)}`;
    this.kernelSymbolCache.set(address, name);
    return name;
  }

  private waitReady(timeout: number): Promise<void> {
    if (this.agent.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the guest did not come up within ${timeout / 1000} s; console:\n${this.watch.text().slice(-3000)}`)), timeout);
      const onPanic = (e: KernelEvent) => { clearTimeout(t); reject(new Error(`kernel panic while booting: ${e.line}\n${this.watch.text().slice(-3000)}`)); };
      this.readyWaiters.push(() => {
        clearTimeout(t);
        this.panicWaiters = this.panicWaiters.filter((w) => w !== onPanic);
        resolve();
      });
      this.panicWaiters.push(onPanic);
    });
  }

  /** Run a shell command in the guest. One command runs at a time; others wait their turn. */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const run = this.queue.then(() => this.execNow(command, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async execNow(command: string, { timeout = 600_000, cwd = GUEST_WORK_DIR, onStdout }: ExecOptions): Promise<ExecResult> {
    const id = this.nextId++;
    if (onStdout) this.outputSinks.set(id, onStdout);
    const t0 = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onPanic: ((e: KernelEvent) => void) | undefined;
    let onDeadlock: ((e: DeadlockEvent) => void) | undefined;
    const outcome = await new Promise<{ kind: "reply"; r: AgentReply } | { kind: "timeout" } | { kind: "panic"; e: KernelEvent } | { kind: "deadlock"; e: DeadlockEvent }>((resolve) => {
      this.waiting.set(id, (r) => resolve({ kind: "reply", r }));
      onPanic = (e) => resolve({ kind: "panic", e });
      this.panicWaiters.push(onPanic);
      onDeadlock = (e) => resolve({ kind: "deadlock", e });
      this.deadlockWaiters.push(onDeadlock);
      timer = setTimeout(() => resolve({ kind: "timeout" }), timeout);
      // The guest clock drifts behind the host's when the emulator is starved of CPU, while 9p stamps files with
      // host time: set it before every command, a second ahead, so make never sees files from the future.
      const script = `date -s @${Math.ceil(Date.now() / 1000) + 1} >/dev/null 2>&1\n${command}`;
      this.emulator.sendSerial(1, encodeRequest(id, cwd, script, !!onStdout));
    });
    clearTimeout(timer);
    this.waiting.delete(id);
    this.outputSinks.delete(id);
    this.panicWaiters = this.panicWaiters.filter((w) => w !== onPanic);
    this.deadlockWaiters = this.deadlockWaiters.filter((w) => w !== onDeadlock);
    const ms = Date.now() - t0;
    if (outcome.kind === "reply") {
      return { status: "exited", exitCode: outcome.r.status, stdout: outcome.r.stdout, stderr: outcome.r.stderr, ms };
    }
    let consoleTail = this.watch.text().slice(-4000);
    if (outcome.kind === "timeout") consoleTail += `\n[host] at the timeout: ${this.whereIsTheCpu()}\n`;
    await this.recover();
    if (outcome.kind === "deadlock") {
      let e = outcome.e;
      if (!e.halted && !this.platform.modules.lookup(e.eip) && this.baseline) e = withKernelSymbol(e, await this.kernelSymbol(e.eip).catch(() => undefined));
      for (const l of this.kernelListeners) l(e);
      return { status: "deadlock", exitCode: null, stdout: "", stderr: "", ms, consoleTail: `${consoleTail}\n[host] ${e.line}\n`, deadlock: e };
    }
    return { status: outcome.kind, exitCode: null, stdout: "", stderr: "", ms, consoleTail };
  }

  /**
   * Put the machine back in its baseline state (after a timeout or panic), so it is never left wedged. The work
   * folder is not rolled back: its files as they are now are carried over into the restored machine.
   */
  async recover(): Promise<void> {
    this.panicWaiters = [];
    this.deadlockWaiters = [];
    for (const w of this.waiting.values()) w({ id: -1, status: -1, stdout: "", stderr: "" });
    this.waiting.clear();
    if (!this.baseline) return;
    const keep = new Map<string, { data: Uint8Array; mode?: number }>();
    for (const path of this.emulator.listFiles("/")) keep.set(path, { data: await this.emulator.readFile(path), mode: this.emulator.fileMode(path) });
    await this.emulator.restoreState(this.baseline);
    this.seedDisk();
    const now = new Set(this.emulator.listFiles("/"));
    for (const [path, f] of keep) await this.emulator.writeFile(path, f.data, f.mode);
    for (const path of now) if (!keep.has(path)) await this.emulator.removeFile(path);
    this.stuck.reset();
    await this.afterRestore();
    for (const l of this.recoverListeners) l();
  }

  private recoverListeners: Array<() => void> = [];
  /** Called after the machine was put back in its baseline state. */
  onRecover(cb: () => void): void {
    this.recoverListeners.push(cb);
  }

  /** Put the prefetched ranges in v86's disk cache (again after every restore, which empties it). */
  private seedDisk(): void {
    if (this.prefetchData && this.assets.diskPrefetch) this.emulator.seedDisk(this.assets.diskPrefetch.ranges, this.prefetchData);
  }

  /** Remember the current state as the one to return to after a fault. */
  async checkpoint(): Promise<ArrayBuffer> {
    this.baseline = await this.saveState();
    return this.baseline;
  }

  saveState(): Promise<ArrayBuffer> { return this.emulator.saveState(); }

  async restoreState(state: ArrayBuffer): Promise<void> {
    await this.emulator.restoreState(state);
    this.seedDisk();
    this.baseline = state;
    this.stuck.reset();
    await this.afterRestore();
  }

  /** Write a file into the guest's work folder (path relative to /work). */
  putFile(path: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    return this.emulator.writeFile("/" + path.replace(/^\/+/, ""), bytes);
  }

  /** Read a file from the guest's work folder (path relative to /work). */
  getFile(path: string): Promise<Uint8Array> {
    return this.emulator.readFile("/" + path.replace(/^\/+/, ""));
  }

  listFiles(): string[] { return this.emulator.listFiles("/"); }

  /** Type into the student's console (the first serial line). */
  sendConsole(data: string | Uint8Array): void { this.emulator.sendSerial(0, data); }
  onConsole(cb: Listener<number>): () => void {
    this.consoleListeners.push(cb);
    return () => { this.consoleListeners = this.consoleListeners.filter((l) => l !== cb); };
  }
  onKernelEvent(cb: Listener<KernelEvent>): () => void {
    this.kernelListeners.push(cb);
    return () => { this.kernelListeners = this.kernelListeners.filter((l) => l !== cb); };
  }
  consoleTail(): string { return this.watch.text(); }
  instructionCounter(): number { return this.emulator.instructionCounter(); }

  async destroy(): Promise<void> {
    this.platform.stop();
    await this.emulator.destroy();
  }
}
