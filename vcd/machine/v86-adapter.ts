// The one file that touches v86. Everything else in vgpu-lab talks to `Emulator`, never to v86 itself, so a
// change of v86 version (pinned in package.json; the state format depends on the build) is confined here.
import { V86 } from "v86";
import { IrqScheduler, type IrqTiming } from "./irq-timing.ts";
import type { CpuSample } from "./deadlock.ts";

/** A file the emulator loads: a URL (browser) or a path (Node). */
export interface FileRef { url: string; size?: number }

export interface EmulatorOptions {
  wasm: string;
  /**
   * v86.wasm compiled by the host, instead of v86 compiling `wasm` itself: Node compiles it once per process, before
   * it sets V8's flags for the JIT's modules (node-host.ts, engine-flags.ts).
   */
  compiledWasm?: () => Promise<WebAssembly.Module>;
  memoryMB: number;
  bios: FileRef;
  vgaBios: FileRef;
  bzimage: FileRef;
  initrd: FileRef;
  cmdline: string;
  /** The read-only system disk, fetched lazily by ranges. */
  disk: FileRef & { size: number };
  /** A machine state to start from instead of booting. */
  initialState?: ArrayBuffer;
  /** Where v86 draws its own VGA console (browser only). */
  screen?: HTMLElement;
  /** Called before the BIOS runs and before a state is restored: the moment to plug in devices. */
  onReady?: (hw: Hardware) => void;
}

/** What a device model may use of the emulator: MMIO windows, I/O ports, interrupt lines, guest RAM. */
export interface Hardware {
  mmio(base: number, size: number, h: {
    read8(off: number): number; write8(off: number, v: number): void;
    read32(off: number): number; write32(off: number, v: number): void;
  }): void;
  ports(base: number, count: number, h: {
    read8?(port: number): number; write8?(port: number, v: number): void;
    read16?(port: number): number; write16?(port: number, v: number): void;
    read32?(port: number): number; write32?(port: number, v: number): void;
  }): void;
  /**
   * Set a legacy (PIC) interrupt line. A raise is never delivered inside the device handler that made it: it waits
   * for the slice to end (prompt), or for the first instruction boundary after the handler (adversarial), or a seeded
   * random point between the two (random); see setIrqTiming.
   */
  setIrq(line: number, level: boolean): void;
  /** When raised interrupts reach the CPU (default prompt); `seed` makes random mode's delays reproducible. */
  setIrqTiming(mode: IrqTiming, seed?: number): void;
  /** Guest physical RAM as bytes; re-fetch on every use, the buffer may be replaced when wasm memory grows. */
  guestRam(): Uint8Array;
  /** Tell the JIT that the host wrote guest RAM in [start, end). */
  guestRamWritten(start: number, end: number): void;
  /** Save device state inside the machine state under `key`. */
  stateHook(key: number, hook: { save(): unknown; load(s: unknown): void }): void;
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * v86 runs the guest in slices of about 1 ms and yields between them: in Node through setImmediate, in a browser
 * through a round trip to a Blob Worker (postMessage there and back, for every slice). A MessageChannel on the
 * emulator's own thread (the lab's machine worker, or a page) comes back in the next task, with no other thread and
 * no timer clamping, and messages to that thread are still taken between slices. Measured in the lab page (headless Chromium, this 2-core host): the
 * reference driver's first kbuild 142-150 s instead of 173-186 s. Waits (the guest halted until its next timer)
 * stay setTimeout, as in v86. Node keeps v86's own yield.
 */
function yieldThroughMessageChannel(inner: Any): void {
  if (typeof process !== "undefined" || typeof MessageChannel === "undefined") return; // Node, as v86 tells it
  installChannelYield(inner);
}

/** v86's yield on `inner` (its `v86` object) replaced by the MessageChannel one; exported for its test. */
export function installChannelYield(inner: Any): void {
  inner.unregister_yield?.();
  const channel = new MessageChannel();
  channel.port1.onmessage = (e: MessageEvent<number>) => inner.yield_callback(e.data);
  inner.yield = (ms: number, tick: number) => {
    if (ms < 1) channel.port2.postMessage(tick);
    else setTimeout(() => inner.yield_callback(tick), ms);
  };
  inner.unregister_yield = () => channel.port1.close();
}

/**
 * v86's set_tsc computes the new offset from the current, already offset, reading, so every restore after the first
 * adds the old offset again: the guest's TSC (and sched_clock, printk times, hrtimers) leaps by up to decades. After
 * each restore, put the TSC back to the saved value: pass set_tsc the value that cancels the stale offset.
 */
function keepTscAcrossRestores(cpu: Any): void {
  const readTsc = cpu.wm?.exports?.read_tsc as (() => bigint) | undefined;
  if (typeof readTsc !== "function" || typeof cpu.set_tsc !== "function") return;
  const set = cpu.set_state;
  cpu.set_state = function (this: Any, st: Any) {
    set.call(this, st);
    const saved = st?.[43];
    if (!saved) return;
    const want = BigInt(saved[0] >>> 0) | BigInt(saved[1] >>> 0) << 32n;
    const now = BigInt(Math.floor(performance.now() * 1_000_000)); // microtick (ms) × TSC_RATE (1e6 per ms)
    const p = BigInt.asUintN(64, want + readTsc() - now);
    cpu.set_tsc(Number(p & 0xffffffffn), Number(p >> 32n));
  };
}

/**
 * Before it unpacks a state, v86 zeroes all of guest memory, which makes the host commit every page of it: 1.5 s and
 * 512 MB of resident memory per machine, where the state holds 50 MB. (Only looking for non-zero pages costs the
 * same.) In a machine made for that state the memory is new, zero as allocated, and v86 has written only the
 * firmware to it, in the first MiB (the BIOS below 1 MiB, the VGA BIOS at 0xC0000). So on that first unpack, zero
 * the first MiB only; later restores, into memory the guest has used, zero it all as before.
 */
function zeroOnlyFirmwareMemoryOnFirstRestore(cpu: Any): void {
  const zero = cpu.zero_memory as ((addr: number, len: number) => void) | undefined;
  if (typeof zero !== "function") return;
  cpu.zero_memory = (addr: number, len: number) => {
    cpu.zero_memory = zero; // once: from now on v86's own
    const FIRMWARE_END = 1 << 20;
    if (addr === 0 && len === cpu.memory_size?.[0] && len > FIRMWARE_END) zero.call(cpu, 0, FIRMWARE_END);
    else zero.call(cpu, addr, len);
  };
}

/** v86 saves class instances through their get_state() (plain objects make it complain). */
class SavedDevice {
  constructor(private readonly parts: unknown[]) {}
  get_state(): unknown[] { return this.parts; }
}

/** Byte offsets in v86's `Pic0` (repr(C); its own get_state_pic reads the same 13 bytes). */
const PIC = { irqMask: 0, isr: 2, irr: 3, elcr: 10, irqValue: 11, specialMask: 12 } as const;

/** The 8259 pair's state in wasm memory, or null when this v86 build does not export where it lives. */
function picState(cpu: Any): { mem: Uint8Array; master: number; slave: number } | null {
  if (typeof cpu.get_pic_addr_master !== "function" || typeof cpu.get_pic_addr_slave !== "function") return null;
  return { mem: new Uint8Array(cpu.wasm_memory.buffer as ArrayBuffer), master: cpu.get_pic_addr_master(), slave: cpu.get_pic_addr_slave() };
}

/**
 * v86's 8259 pair latches the cascade: the master's IR2 is edge-triggered, so a request the slave raised and then
 * withdrew (a level line lowered, or a slave line unmasked while high and lowered after) stays in the master's IRR.
 * When the CPU takes it, the slave has nothing to give, the acknowledge returns no vector, and the master's ISR
 * keeps bit 2 with nobody left to send its EOI: every line below IRQ 2 in priority (the serial ports, the whole
 * slave) is dead from then on, the timer still ticks. Real hardware answers such a request with a spurious IRQ 15,
 * which Linux acknowledges on the master. Withdraw the stale cascade request instead, and drop an in-service IR2
 * that no slave interrupt stands behind.
 */
export function repairPicCascade(cpu: Any): void {
  const pic = picState(cpu);
  if (!pic) return;
  const { mem, master: m, slave: s } = pic;
  const enabled = mem[s + PIC.irr]! & mem[s + PIC.irqMask]!;
  let slaveRequests = enabled !== 0;
  if (slaveRequests) {
    const lowest = enabled & -enabled;
    const isr = mem[s + PIC.isr]!;
    const special = mem[s + PIC.specialMask] ? mem[s + PIC.irqMask]! : 0xff;
    if (isr !== 0 && (isr & -isr & special) <= lowest) slaveRequests = false; // waits for a higher one's EOI
  }
  if (mem[m + PIC.irr]! & 4 && !slaveRequests) {
    mem[m + PIC.irr] = mem[m + PIC.irr]! & ~4;
    mem[m + PIC.irqValue] = mem[m + PIC.irqValue]! & ~4;
  }
  if (mem[m + PIC.isr]! & 4 && mem[s + PIC.isr] === 0) mem[m + PIC.isr] = mem[m + PIC.isr]! & ~4;
}

/**
 * Deassert a PIC line at once, as the wire would: v86's pic::clear_irq without its handle_irqs() (which could vector
 * an interrupt in the middle of a JIT block). Lowering never has an interrupt to deliver, so it need not wait for
 * the slice to end; if it did, a level-triggered handler that cleared its device would be re-entered for the rest
 * of the slice (hundreds of spurious interrupts per real one). False when the PIC's state is out of reach.
 */
export function lowerPicLine(cpu: Any, n: number): boolean {
  const pic = picState(cpu);
  if (!pic) return false;
  const { mem } = pic, base = n < 8 ? pic.master : pic.slave;
  const bit = 1 << (n & 7);
  mem[base + PIC.irqValue] = mem[base + PIC.irqValue]! & ~bit;
  if (mem[base + PIC.elcr]! & bit) mem[base + PIC.irr] = mem[base + PIC.irr]! & ~bit;
  if (n >= 8) repairPicCascade(cpu);
  return true;
}

export class V86Hardware implements Hardware {
  private ramView?: Uint8Array;
  readonly irq: IrqScheduler;
  /** We set in_hlt to end v86's inner loop early; the next run_hardware_timers call takes it back. */
  private forcedExit = false;
  private unhook: (() => void) | null = null;
  constructor(private readonly cpu: Any) {
    this.irq = new IrqScheduler({
      setLine: (n, level) => (level ? cpu.device_raise_irq(n) : cpu.device_lower_irq(n)),
      requestBoundary: () => {
        // v86's do_many_cycles_native runs code blocks until LOOP_COUNTER instructions have passed or the CPU
        // halts; a halt it did not make stops it after the current block. run_hardware_timers, which v86 calls
        // next, puts the CPU back to running before v86 looks at in_hlt, and handle_irqs follows at once.
        if (this.forcedExit || cpu.in_hlt[0]) return;
        cpu.in_hlt[0] = 1;
        this.forcedExit = true;
      },
      instructions: () => cpu.instruction_counter[0] >>> 0,
      afterSlice: (cb) => queueMicrotask(cb),
    });
  }

  mmio(base: number, size: number, h: Parameters<Hardware["mmio"]>[2]): void {
    if (base % 0x20000 || size % 0x20000) throw new Error("MMIO windows must be aligned to v86's 128 KiB blocks");
    const io = this.cpu.io;
    io.mmap_register(base, size,
      (a: number) => h.read8(((a >>> 0) - base) >>> 0) & 0xff,
      (a: number, v: number) => h.write8(((a >>> 0) - base) >>> 0, v & 0xff),
      (a: number) => h.read32(((a >>> 0) - base) >>> 0) | 0,
      (a: number, v: number) => h.write32(((a >>> 0) - base) >>> 0, v >>> 0));
  }

  ports(base: number, count: number, h: Parameters<Hardware["ports"]>[2]): void {
    const io = this.cpu.io;
    const dev = {};
    for (let p = base; p < base + count; p++) {
      const port = p;
      io.register_read(port, dev,
        () => (h.read8 ? h.read8(port) & 0xff : 0xff),
        () => (h.read16 ? h.read16(port) & 0xffff : 0xffff),
        () => (h.read32 ? h.read32(port) | 0 : -1));
      io.register_write(port, dev,
        (v: number) => h.write8?.(port, v & 0xff),
        (v: number) => h.write16?.(port, v & 0xffff),
        (v: number) => h.write32?.(port, v >>> 0));
    }
  }

  setIrq(line: number, level: boolean): void {
    // Lowering is immediate (see lowerPicLine; acpi stays off, so there is no IOAPIC to mirror); it also cancels a
    // raise still waiting to be delivered.
    if (!level && lowerPicLine(this.cpu, line)) {
      this.irq.cancel(line);
      return;
    }
    // Never raise a line inside an MMIO or port handler: v86 would deliver the interrupt in the middle of a JIT block.
    if (level) this.irq.raise(line);
    else this.irq.later(line, false);
  }

  setIrqTiming(mode: IrqTiming, seed = 0): void {
    this.irq.setMode(mode, seed);
    if (mode === "prompt") {
      this.unhook?.();
      this.unhook = null;
    } else if (!this.unhook) {
      this.unhook = this.hookSlices();
    }
  }

  /**
   * The two v86 hooks the non-prompt modes need (prompt runs v86 untouched): the main loop tells us when the CPU
   * runs a slice (a raise inside one comes from a device handler), and run_hardware_timers, which v86 calls after
   * every batch of code blocks and right before it looks for interrupts, is the instruction boundary we deliver at.
   */
  private hookSlices(): () => void {
    const cpu = this.cpu, irq = this.irq;
    const mainLoop = cpu.main_loop, timers = cpu.run_hardware_timers;
    cpu.main_loop = function (this: Any) {
      irq.inSlice = true;
      try {
        return mainLoop.call(this);
      } finally {
        irq.inSlice = false;
      }
    };
    cpu.run_hardware_timers = (acpi: Any, now: number) => {
      if (this.forcedExit) {
        this.forcedExit = false;
        cpu.in_hlt[0] = 0;
      }
      const t = timers.call(cpu, acpi, now);
      irq.boundary();
      return t;
    };
    return () => {
      cpu.main_loop = mainLoop;
      cpu.run_hardware_timers = timers;
      if (this.forcedExit) {
        this.forcedExit = false;
        cpu.in_hlt[0] = 0;
      }
    };
  }

  guestRam(): Uint8Array {
    const buf = this.cpu.wasm_memory.buffer as ArrayBuffer;
    if (!this.ramView || this.ramView.buffer !== buf) {
      const mem8 = this.cpu.mem8 as Uint8Array;
      this.ramView = new Uint8Array(buf, mem8.byteOffset, this.cpu.memory_size[0] >>> 0);
    }
    return this.ramView;
  }

  guestRamWritten(start: number, end: number): void {
    this.cpu.jit_dirty_cache(start, end);
  }

  private hooks = new Map<number, { save(): unknown; load(s: unknown): void }>();
  private hooked = false;
  stateHook(key: number, hook: { save(): unknown; load(s: unknown): void }): void {
    this.hooks.set(key, hook);
    if (this.hooked) return;
    this.hooked = true;
    const cpu = this.cpu;
    const get = cpu.get_state, set = cpu.set_state;
    const hooks = this.hooks;
    // v86 serialises objects that have get_state(): each device's state rides inside the machine state as JSON
    // plus its byte arrays, which v86 stores as binary buffers.
    cpu.get_state = function (this: Any) {
      const st = get.call(this);
      for (const [k, h] of hooks) {
        const buffers: Uint8Array[] = [];
        const json = JSON.stringify(h.save(), (_k, v) => (v instanceof Uint8Array ? { $buf: buffers.push(v) - 1 } : v));
        st[k] = new SavedDevice([json, ...buffers]);
      }
      return st;
    };
    cpu.set_state = function (this: Any, st: Any) {
      set.call(this, st);
      for (const [k, h] of hooks) {
        if (!st[k]) continue;
        const [json, ...buffers] = st[k] as [string, ...Uint8Array[]];
        h.load(JSON.parse(json, (_k, v) => (v && typeof v === "object" && "$buf" in v ? new Uint8Array(buffers[v.$buf]!) : v)));
      }
    };
  }
}

export function bytesToBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}
export function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The granularity of v86's disk block cache. */
export const V86_DISK_CACHE_BLOCK = 256;

export class Emulator {
  private fetched = 0;
  private diskReads?: Array<[offset: number, length: number]>;
  private readonly picWatch: ReturnType<typeof setInterval>;
  private sampler?: (s: CpuSample) => void;
  private constructor(private readonly v86: Any, readonly hardware: Hardware) {
    // v86's own level-triggered devices (virtio-9p on IRQ 10) can wedge the cascade too: look now and then.
    const cpu = v86.v86?.cpu;
    this.picWatch = setInterval(() => {
      if (!cpu) return;
      repairPicCascade(cpu);
      if (this.sampler && this.v86.is_running()) this.sampler(this.cpuSample());
    }, 50);
    (this.picWatch as { unref?: () => void }).unref?.();
    // Count the disk bytes v86 fetches (ranges not already in its block cache).
    const disk = v86.v86?.cpu?.devices?.ide?.primary?.master?.buffer;
    if (disk?.get && disk.get_from_cache) {
      const get = disk.get;
      disk.get = (offset: number, len: number, fn: Any, opts: Any) => {
        if (!disk.get_from_cache(offset, len)) this.fetched += len;
        this.diskReads?.push([offset, len]);
        return get.call(disk, offset, len, fn, opts);
      };
    }
  }

  /** v86's options for a machine; without a state it boots the kernel (unless `kernel` is false). */
  private static v86Options(o: EmulatorOptions, { autostart = true, kernel = true } = {}): Any {
    const boot = !o.initialState && kernel;
    return {
      wasm_path: o.wasm,
      wasm_fn: o.compiledWasm ? async (env: Any) => (await WebAssembly.instantiate(await o.compiledWasm!(), env)).exports : undefined,
      memory_size: o.memoryMB * 1024 * 1024,
      vga_memory_size: 2 * 1024 * 1024,
      bios: { url: o.bios.url },
      vga_bios: { url: o.vgaBios.url },
      bzimage: boot ? { url: o.bzimage.url } : undefined,
      initrd: boot ? { url: o.initrd.url } : undefined,
      cmdline: o.cmdline,
      hda: { url: o.disk.url, async: true, size: o.disk.size },
      initial_state: o.initialState ? { buffer: o.initialState } : undefined,
      filesystem: {},
      uart1: true,
      acpi: false,
      autostart,
      disable_speaker: true,
      disable_keyboard: true, // the guest console is xterm.js on the serial line; v86 must not grab the page's keys
      disable_mouse: true,
      screen: o.screen ? { container: o.screen } : undefined,
    };
  }

  static create(o: EmulatorOptions): Promise<Emulator> {
    return new Promise((resolve, reject) => {
      let hw: Hardware | undefined;
      const v86 = new V86(Emulator.v86Options(o));
      v86.add_listener("emulator-ready", () => {
        try {
          yieldThroughMessageChannel((v86 as Any).v86);
          keepTscAcrossRestores((v86 as Any).v86.cpu);
          if (o.initialState) zeroOnlyFirmwareMemoryOnFirstRestore((v86 as Any).v86.cpu);
          hw = new V86Hardware((v86 as Any).v86.cpu);
          o.onReady?.(hw);
        } catch (e) {
          reject(e);
        }
      });
      v86.add_listener("emulator-started", () => resolve(new Emulator(v86, hw ?? new V86Hardware((v86 as Any).v86.cpu))));
      v86.add_listener("download-error", (e: Any) => reject(new Error(`cannot load ${e?.file_name ?? "a machine file"}`)));
    });
  }

  /**
   * The guest memory a machine made to restore a state holds at the moment the state would be unpacked (devices
   * plugged in by `onReady`): the MiB-sized chunks above the first MiB that are not zero. The first restore zeroes
   * only the first MiB, so this must be none (a test checks it on the v86 build in use).
   */
  static nonZeroMemoryBeforeRestore(o: Omit<EmulatorOptions, "initialState">): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const v86 = new V86(Emulator.v86Options(o, { autostart: false, kernel: false }));
      v86.add_listener("emulator-ready", () => {
        try {
          const cpu = (v86 as Any).v86.cpu;
          o.onReady?.(new V86Hardware(cpu));
          const size = cpu.memory_size[0] as number, chunks: number[] = [];
          for (let a = 1 << 20; a < size; a += 1 << 20) if (!cpu.is_memory_zeroed(a, Math.min(1 << 20, size - a))) chunks.push(a >> 20);
          void v86.destroy();
          resolve(chunks);
        } catch (e) {
          reject(e);
        }
      });
      v86.add_listener("download-error", (e: Any) => reject(new Error(`cannot load ${e?.file_name ?? "a machine file"}`)));
    });
  }

  onSerial(port: 0 | 1, cb: (byte: number) => void): void {
    this.v86.add_listener(`serial${port}-output-byte`, cb);
  }
  sendSerial(port: 0 | 1, data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.v86.serial_send_bytes(port, bytes);
  }
  saveState(): Promise<ArrayBuffer> { return this.v86.save_state(); }
  async restoreState(buf: ArrayBuffer): Promise<void> { await this.v86.restore_state(buf); }
  /** Permission bits of a file in the 9p filesystem (undefined when absent). */
  fileMode(path: string): number | undefined {
    const fs = this.v86.fs9p;
    const info = fs.SearchPath(path);
    return info.id === -1 ? undefined : fs.GetInode(info.id).mode & 0o7777;
  }
  async writeFile(path: string, data: Uint8Array, mode?: number): Promise<void> {
    await this.writeFileData(path, data);
    if (mode !== undefined) {
      const fs = this.v86.fs9p;
      const inode = fs.GetInode(fs.SearchPath(path).id);
      inode.mode = (inode.mode & ~0o7777) | (mode & 0o7777);
    }
  }
  private async writeFileData(path: string, data: Uint8Array): Promise<void> {
    await this.ensureDirs(path);
    const fs = this.v86.fs9p;
    const info = fs.SearchPath(path);
    // SearchPath leaves `name` undefined when the file exists: unlink by the last path element.
    if (info.id !== -1) fs.Unlink(info.parentid, path.split("/").filter(Boolean).pop());
    await this.v86.create_file(path, data);
  }
  private async ensureDirs(path: string): Promise<void> {
    const fs = this.v86.fs9p;
    const parts = path.split("/").filter(Boolean).slice(0, -1);
    let parent = 0;
    for (const name of parts) {
      const found = fs.Search(parent, name);
      parent = found === -1 ? fs.CreateDirectory(name, parent) : found;
    }
  }
  async removeFile(path: string): Promise<void> {
    const fs = this.v86.fs9p;
    const info = fs.SearchPath(path);
    // SearchPath leaves `name` undefined when the file exists: unlink by the last path element.
    if (info.id !== -1) fs.Unlink(info.parentid, path.split("/").filter(Boolean).pop());
  }
  async readFile(path: string): Promise<Uint8Array> {
    const fs = this.v86.fs9p;
    const p = fs.SearchPath(path);
    if (p.id === -1) throw new Error(`no such file in the work folder: ${path}`);
    const data = await fs.Read(p.id, 0, fs.GetInode(p.id).size);
    return data ? new Uint8Array(data) : new Uint8Array(0);
  }
  /** Paths of the 9p filesystem below `dir`, files only. */
  listFiles(dir = "/"): string[] {
    const fs = this.v86.fs9p;
    const out: string[] = [];
    const walk = (idx: number, prefix: string) => {
      for (const name of fs.GetChildren ? fs.GetChildren(idx) : []) {
        const child = fs.Search(idx, name);
        const path = `${prefix}/${name}`;
        if (fs.IsDirectory(child)) walk(child, path); else out.push(path);
      }
    };
    const start = dir === "/" ? 0 : fs.SearchPath(dir).id;
    if (start !== -1) walk(start, dir === "/" ? "" : dir);
    return out;
  }
  instructionCounter(): number { return this.v86.get_instruction_counter(); }
  /**
   * How many guest pages one of v86's compiled WebAssembly modules may span (v86's default 3). Fewer pages make more,
   * smaller modules, which V8's optimizing compiler recompiles for less (see web/src/machine/worker.ts).
   */
  setJitMaxPages(pages: number): void { this.v86.v86.cpu.set_jit_config(1, pages); }

  /** Be handed the CPU's state every 50 ms while the machine runs (between slices). */
  sampleCpu(cb: ((s: CpuSample) => void) | undefined): void {
    this.sampler = cb;
  }

  cpuSample(): CpuSample {
    const cpu = this.v86.v86.cpu;
    const FLAG_INTERRUPT = 0x200;
    return {
      ms: performance.now(),
      interruptsOn: (cpu.flags[0] & FLAG_INTERRUPT) !== 0, // IF is never a lazy flag: no need to ask wasm
      kernel: cpu.cpl[0] === 0,
      eip: cpu.instruction_pointer[0] >>> 0,
      esp: cpu.reg32[4] >>> 0,
      ebp: cpu.reg32[5] >>> 0,
      halted: cpu.in_hlt[0] !== 0,
    };
  }

  /**
   * A 32-bit word of guest virtual memory through the current page tables, read without side effects (no TLB fill,
   * no fault); null when it is not mapped. Flat segments (Linux); 32-bit paging without PAE, or paging off.
   */
  readVirt32(va: number): number | null {
    const cpu = this.v86.v86.cpu;
    const ram = new DataView((cpu.wasm_memory.buffer as ArrayBuffer), (cpu.mem8 as Uint8Array).byteOffset, cpu.memory_size[0] >>> 0);
    const phys = (a: number): number | null => {
      a >>>= 0;
      const cr0 = cpu.cr[0] >>> 0, cr4 = cpu.cr[4] >>> 0;
      if (!(cr0 & 0x80000000)) return a;
      if (cr4 & 0x20) return null; // PAE: not this guest's kernel
      const pdeAt = ((cpu.cr[3] >>> 0) & ~0xfff) + (a >>> 22) * 4;
      if (pdeAt + 4 > ram.byteLength) return null;
      const pde = ram.getUint32(pdeAt, true);
      if (!(pde & 1)) return null;
      if (pde & 0x80 && cr4 & 0x10) return ((pde & 0xffc00000) | (a & 0x3fffff)) >>> 0;
      const pteAt = ((pde & ~0xfff) >>> 0) + ((a >>> 12) & 0x3ff) * 4;
      if (pteAt + 4 > ram.byteLength) return null;
      const pte = ram.getUint32(pteAt, true);
      if (!(pte & 1)) return null;
      return (((pte & ~0xfff) >>> 0) | (a & 0xfff)) >>> 0;
    };
    const p = phys(va);
    if (p === null || (va & 0xfff) > 0xffc || p + 4 > ram.byteLength) return null;
    return ram.getUint32(p, true);
  }
  /**
   * v86's VGA text console, one string per row, when the machine has no screen element of its own (a worker, Node):
   * v86 then keeps the characters in its screen stand-in. Null in a graphics mode or when v86 draws a screen itself.
   */
  textScreen(): string[] | null {
    const screen = this.v86.screen_adapter;
    if (this.v86.v86?.cpu?.devices?.vga?.graphical_mode || typeof screen?.get_text_screen !== "function") return null;
    try {
      return screen.get_text_screen() as string[];
    } catch {
      return null; // no text size set yet
    }
  }
  /** Bytes of the system disk fetched so far (by HTTP ranges in the browser, file reads in Node). */
  diskBytesFetched(): number {
    return this.fetched;
  }
  /**
   * Put disk bytes in v86's disk cache: `data` holds the bytes of `ranges` (offsets and lengths in whole
   * V86_DISK_CACHE_BLOCKs) one after the other. Blocks already cached are left alone. The cache holds views into
   * `data`, which is safe because the system disk is read-only. v86 empties the cache when a state is restored.
   */
  seedDisk(ranges: ReadonlyArray<readonly [number, number]>, data: Uint8Array): void {
    const disk = this.v86.v86?.cpu?.devices?.ide?.primary?.master?.buffer;
    const cache: Map<number, Uint8Array> | undefined = disk?.block_cache;
    if (!cache) throw new Error("this v86 build keeps no disk block cache to seed");
    let at = 0;
    for (const [offset, length] of ranges) {
      const B = V86_DISK_CACHE_BLOCK;
      if (offset % B || length % B) throw new Error(`disk prefetch range ${offset}+${length} is not in whole ${B}-byte blocks`);
      if (at + length > data.length) throw new Error("disk prefetch data is shorter than its ranges");
      for (let b = 0; b < length; b += B) {
        const key = (offset + b) / B;
        if (!cache.has(key)) cache.set(key, data.subarray(at + b, at + b + B));
      }
      at += length;
    }
  }

  /** Start recording every read of the system disk, in order; the returned function stops and hands them over. */
  recordDiskReads(): () => Array<[offset: number, length: number]> {
    const reads: Array<[number, number]> = [];
    this.diskReads = reads;
    return () => {
      if (this.diskReads === reads) this.diskReads = undefined;
      return reads;
    };
  }
  isRunning(): boolean { return this.v86.is_running(); }
  async stop(): Promise<void> { await this.v86.stop(); }
  async run(): Promise<void> { await this.v86.run(); }
  async destroy(): Promise<void> {
    clearInterval(this.picWatch);
    await this.v86.destroy();
  }
}
