/**
 * The card: MMIO dispatch over the compiled definition, the work loop driven by simulated time,
 * display description and versioned state. Component logic lives in the modules it wires.
 */
import type { BarDef, CardVariant, WriteHookId, ReadHookId } from './definition.ts';
import { DmaEngine, type DmaState } from './dma.ts';
import { Decoded, TagDecoder, type DecoderState } from './decoder.ts';
import { InputFifo, OutputFifo } from './fifo.ts';
import type { CardHost } from './host.ts';
import { Interpreter, type InterpreterState } from './interp.ts';
import { Interrupts } from './irq.ts';
import { layoutOf, type FieldSpec, type Layout } from './layout.ts';
import { Budget, Rasterizer, type RasterState } from './raster.ts';
import { RegisterFile } from './regfile.ts';
import { TraceRing } from './trace.ts';
import { Video, type DisplayInfo } from './video.ts';

export type { DisplayInfo } from './video.ts';

/** Simulated cost of each kind of work, in nanoseconds. */
export interface CardCosts {
  /** Per 32-bit word fetched by input DMA. */
  dmaWordNs: number;
  /** Per entry taken from the input FIFO (MMIO-fed commands). */
  fifoEntryNs: number;
  /** Per Render / Continue command. */
  primitiveNs: number;
  /** Per scanline of a primitive. */
  lineNs: number;
  /** Per pixel written. */
  pixelNs: number;
}

export interface CardOptions {
  /** Complete queued work back to back without simulated time (interrupts in rapid succession). */
  burst: boolean;
  costs: CardCosts;
  /** Trace ring capacity (events); 0 disables the trace. */
  traceCapacity: number;
  /** Work units per advance() call (1 per word or command, 1 per scanline, 1 per pixel). */
  maxWorkPerAdvance: number;
}

/** Defaults: roughly a real Permedia 2 on 33 MHz PCI (about 80 Mpixel/s, 130 MB/s DMA). */
export const DEFAULT_OPTIONS: CardOptions = {
  burst: false,
  costs: { dmaWordNs: 30, fifoEntryNs: 30, primitiveNs: 100, lineNs: 10, pixelNs: 12 },
  traceCapacity: 4096,
  maxWorkPerAdvance: 1 << 20,
};

export const CARD_STATE_VERSION = 1;

/** Saved card state: plain JSON-able records plus the VRAM bytes. */
export interface CardState {
  version: number;
  variant: string;
  nowNs: number;
  creditNs: number;
  regs: number[];
  ramdac: number[];
  irqLevel: boolean;
  interp: InterpreterState;
  raster: RasterState;
  dma: DmaState;
  windowDecoder: DecoderState;
  inFifo: { tags: number[]; data: number[] };
  outFifo: number[];
  vram: Uint8Array;
}

function bswap(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

export class Card {
  readonly variant: CardVariant;
  readonly vram: Uint8Array;
  readonly trace: TraceRing;
  readonly options: CardOptions;
  /** Work units used by the last advance() call. */
  lastWork = 0;

  private readonly layout: Layout;
  private readonly regs: RegisterFile;
  private readonly irq: Interrupts;
  private readonly inFifo: InputFifo;
  private readonly outFifo: OutputFifo;
  private readonly raster: Rasterizer;
  private readonly interp: Interpreter;
  private readonly dma: DmaEngine;
  private readonly video: Video;
  private readonly windowDecoder: TagDecoder;
  private readonly budget = new Budget();
  private readonly bars: (BarDef | undefined)[] = [];
  private readonly ix: { dmaAddress: number; intEnable: number; intFlags: number; fifoDiscon: number; ringBase: number; ringSize: number };
  private readonly fInputDiscon: FieldSpec;
  private readonly engineActiveBit: number;
  private readonly fifoName: string;
  private nowNs = 0;
  private creditNs = 0;

  constructor(variant: CardVariant, private readonly host: CardHost, options?: Partial<CardOptions>) {
    this.variant = variant;
    this.options = { ...DEFAULT_OPTIONS, ...options, costs: { ...DEFAULT_OPTIONS.costs, ...options?.costs } };
    const layout = (this.layout = layoutOf(variant));
    this.trace = new TraceRing(this.options.traceCapacity);
    this.trace.clock = () => this.nowNs;
    this.vram = new Uint8Array(variant.vramBytes);
    this.regs = new RegisterFile(layout);
    this.irq = new Interrupts(layout, this.regs.values, host, this.trace);
    this.inFifo = new InputFifo(variant.fifo.inputDepth);
    this.outFifo = new OutputFifo(variant.fifo.outputDepth);
    const c = this.options.costs;
    const gp = new Uint32Array(layout.tagCount);
    this.raster = new Rasterizer(layout, this.vram, gp, this.irq, this.trace, c);
    this.interp = new Interpreter(layout, this.raster, this.irq, this.outFifo, this.trace, gp);
    this.dma = new DmaEngine(layout, host, this.interp, this.irq, this.trace, c.dmaWordNs);
    this.video = new Video(layout, this.regs.values, this.irq);
    this.windowDecoder = new TagDecoder(layout);
    for (const b of variant.bars) this.bars[b.index] = b;
    const ixOf = (role: Parameters<Layout['reg']>[0]) => (layout.hasReg(role) ? layout.reg(role).index : -1);
    this.ix = { dmaAddress: ixOf('dmaAddress'), intEnable: layout.reg('intEnable').index, intFlags: layout.reg('intFlags').index, fifoDiscon: layout.reg('fifoDiscon').index, ringBase: ixOf('ringBase'), ringSize: ixOf('ringSize') };
    this.fInputDiscon = layout.regField('fifoDiscon', 'inputDisconnect');
    const ea = layout.regField('fifoDiscon', 'engineActive');
    this.engineActiveBit = (ea.mask << ea.shift) >>> 0;
    this.fifoName = 'FIFO';
    this.interp.reset();
  }

  /** True when work is pending and the host should call advance() soon. */
  get busy(): boolean {
    // A Sync stalled on a full output FIFO blocks everything behind it until the driver reads.
    if (this.interp.stalled) return this.outFifo.length < this.outFifo.depth;
    return this.inFifo.length > 0 || this.dma.active || this.raster.lines > 0;
  }

  // ---------------------------------------------------------------- MMIO

  mmioRead32(bar: number, offset: number): number {
    const b = this.bars[bar];
    offset >>>= 0;
    if (!b || offset >= b.size) return this.unmapped(bar, offset, 0, false);
    if (b.kind !== 'registers') return this.vramRead32(offset);
    const m = this.variant.windows.bigEndianMirror;
    if (m && offset >= m.offset && offset < m.offset + m.size) return bswap(this.regRead(bar, offset - m.offset));
    return this.regRead(bar, offset);
  }

  mmioWrite32(bar: number, offset: number, value: number): void {
    const b = this.bars[bar];
    offset >>>= 0;
    value >>>= 0;
    if (!b || offset >= b.size) {
      this.unmapped(bar, offset, value, true);
      return;
    }
    if (b.kind !== 'registers') {
      this.vramWrite32(offset, value);
      return;
    }
    const m = this.variant.windows.bigEndianMirror;
    if (m && offset >= m.offset && offset < m.offset + m.size) this.regWrite(bar, offset - m.offset, bswap(value));
    else this.regWrite(bar, offset, value);
  }

  mmioRead8(bar: number, offset: number): number {
    const b = this.bars[bar];
    offset >>>= 0;
    if (b && b.kind !== 'registers' && offset < b.size) return offset < this.vram.length ? this.vram[offset]! : 0xff;
    // The big-endian mirror already returns swapped words, so byte lanes fall out right.
    return (this.mmioRead32(bar, offset & ~3) >>> ((offset & 3) * 8)) & 0xff;
  }

  mmioWrite8(bar: number, offset: number, value: number): void {
    const b = this.bars[bar];
    offset >>>= 0;
    if (b && b.kind !== 'registers' && offset < b.size) {
      if (offset < this.vram.length) this.vram[offset] = value;
      return;
    }
    const l = this.layout;
    const m = this.variant.windows.bigEndianMirror;
    const swapped = !!m && offset >= m.offset && offset < m.offset + m.size;
    const local = swapped ? offset - m!.offset : offset;
    const ri = local < l.regSpan ? l.regAt[local >> 2]! : -1;
    if (!b || ri < 0) {
      this.irq.notice('unimplemented', this.nameAt(local), value, `8-bit write at BAR${bar}+0x${offset.toString(16)} is only modelled for plain registers and VRAM; ignored.`);
      return;
    }
    const lane = swapped ? 3 - (offset & 3) : offset & 3;
    const merged = ((this.regs.values[ri]! & ~(0xff << (lane * 8))) | ((value & 0xff) << (lane * 8))) >>> 0;
    this.regWrite(bar, local & ~3, merged);
  }

  private vramRead32(offset: number): number {
    const v = this.vram;
    if (offset + 4 > v.length) return 0xffffffff;
    return (v[offset]! | (v[offset + 1]! << 8) | (v[offset + 2]! << 16) | (v[offset + 3]! << 24)) >>> 0;
  }

  private vramWrite32(offset: number, value: number): void {
    const v = this.vram;
    if (offset + 4 > v.length) return;
    v[offset] = value;
    v[offset + 1] = value >>> 8;
    v[offset + 2] = value >>> 16;
    v[offset + 3] = value >>> 24;
  }

  private unmapped(bar: number, offset: number, value: number, write: boolean): number {
    this.irq.notice('guest-error', `BAR${bar}`, value, `${write ? 'Write to' : 'Read from'} BAR${bar}+0x${offset.toString(16)}, outside every BAR of the card: check the BAR index and the size passed to pci_iomap.`);
    return 0xffffffff;
  }

  private nameAt(offset: number): string {
    const l = this.layout, w = this.variant.windows;
    if (offset >= w.fifo.offset && offset < w.fifo.offset + w.fifo.size) return this.fifoName;
    if (offset >= w.gp.offset && offset < w.gp.offset + w.gp.size) return l.tagName(Math.floor((offset - w.gp.offset) / w.gp.stride));
    const ri = offset < l.regSpan ? l.regAt[offset >> 2]! : -1;
    return ri >= 0 ? l.registers[ri]!.def.name : `0x${offset.toString(16)}`;
  }

  private regRead(bar: number, offset: number): number {
    const l = this.layout, w = this.variant.windows;
    if (offset & 3) {
      this.irq.notice('guest-error', this.nameAt(offset & ~3), 0, `Unaligned 32-bit read at 0x${offset.toString(16)}: registers are read as aligned 32-bit words (ioread32 on offset & ~3).`);
      offset &= ~3;
    }
    let value = 0;
    let name: string;
    if (offset >= w.fifo.offset && offset < w.fifo.offset + w.fifo.size) {
      name = this.fifoName;
      value = this.popOutput();
    } else if (offset >= w.gp.offset && offset < w.gp.offset + w.gp.size) {
      const rel = offset - w.gp.offset;
      const tag = Math.floor(rel / w.gp.stride);
      name = l.tagName(tag);
      value = rel % w.gp.stride === 0 && tag < l.tagCount && l.tagIndex[tag]! >= 0 ? this.interp.gp[tag]! : 0;
    } else {
      const ri = offset < l.regSpan ? l.regAt[offset >> 2]! : -1;
      if (ri < 0) {
        name = `0x${offset.toString(16)}`;
      } else {
        const r = l.registers[ri]!;
        name = r.def.name;
        value = r.def.onRead ? this.readHook(r.def.onRead, ri) : this.regs.read(ri);
      }
    }
    if (this.trace.wants('mmio-read')) this.trace.push({ kind: 'mmio-read', bar, offset, register: name, value });
    return value >>> 0;
  }

  private regWrite(bar: number, offset: number, value: number): void {
    const l = this.layout, w = this.variant.windows;
    if (offset & 3) {
      this.irq.notice('guest-error', this.nameAt(offset & ~3), value, `Unaligned 32-bit write at 0x${offset.toString(16)}: treated as a write to 0x${(offset & ~3).toString(16)}.`);
      offset &= ~3;
    }
    if (offset >= w.fifo.offset && offset < w.fifo.offset + w.fifo.size) {
      if (this.trace.wants('mmio-write')) this.trace.push({ kind: 'mmio-write', bar, offset, register: this.fifoName, value, fields: {} });
      this.windowWrite(value);
      return;
    }
    if (offset >= w.gp.offset && offset < w.gp.offset + w.gp.size) {
      const rel = offset - w.gp.offset;
      const tag = Math.floor(rel / w.gp.stride);
      if (this.trace.wants('mmio-write')) this.trace.push({ kind: 'mmio-write', bar, offset, register: l.tagName(tag), value, fields: {} });
      if (rel % w.gp.stride !== 0 || tag >= l.tagCount) {
        this.irq.notice('guest-error', `0x${offset.toString(16)}`, value, `Write between GP registers at 0x${offset.toString(16)}: GP registers are ${w.gp.stride} bytes apart; ignored.`);
        return;
      }
      this.pushInput(l.tagName(tag), tag, value);
      return;
    }
    const ri = offset < l.regSpan ? l.regAt[offset >> 2]! : -1;
    if (ri < 0) {
      if (this.trace.wants('mmio-write')) this.trace.push({ kind: 'mmio-write', bar, offset, register: '', value, fields: {} });
      this.irq.notice('unimplemented', `0x${offset.toString(16)}`, value, `Write to 0x${offset.toString(16)}, where the virtual card has no register: ignored.`);
      return;
    }
    const r = l.registers[ri]!;
    if (this.trace.wants('mmio-write')) this.trace.push({ kind: 'mmio-write', bar, offset, register: r.def.name, value, fields: l.decodeRegister(ri, value) });
    const hook = r.def.onWrite;
    if (hook === 'dmaSetAddress' && !this.dma.setAddress(value)) return;
    if (hook === 'dmaStart') {
      this.dma.start(this.regs.values[this.ix.dmaAddress]!, value);
      return;
    }
    if (hook === 'ringSetup' && !this.dma.ringSetupAllowed(r.def.name, value)) return;
    if (hook === 'ringTail') {
      this.regs.write(ri, value);
      this.dma.ringTailWrite(this.regs.values[ri]!);
      return;
    }
    if (!this.regs.write(ri, value)) {
      this.irq.notice('guest-error', r.def.name, value, `${r.def.name} is read-only; the write is ignored.`);
    }
    if (value & r.unsupportedMask) {
      this.irq.error('message', 'unimplemented', r.def.name, value, `${r.def.name} bits 0x${((value & r.unsupportedMask) >>> 0).toString(16)} select a feature the virtual card does not model; it behaves as if they were 0.`);
    }
    if (hook) this.writeHook(hook, value);
  }

  private readHook(hook: ReadHookId, ri: number): number {
    switch (hook) {
      case 'fifoSpace':
        return this.inFifo.space;
      case 'outFifoCount':
        return this.outFifo.length;
      case 'dmaRemaining':
        return this.dma.count;
      case 'ringHead':
        return this.dma.head;
      case 'readClear': {
        // Clear-on-read acknowledge: the guest sees the pending bits once; the line follows.
        const v = this.regs.read(ri);
        this.regs.values[ri] = 0;
        if (ri === this.ix.intFlags) this.irq.update();
        return v;
      }
      case 'engineStatus':
        return (this.regs.read(ri) & ~this.engineActiveBit) | (this.busy || this.interp.pending ? this.engineActiveBit : 0);
      case 'rasterLine':
        return this.video.lineCount(this.nowNs);
      case 'ramdacRead': {
        const v = this.video.ramdacRead();
        if (v < 0) this.irq.notice('unimplemented', this.layout.reg('rdIndexedData').def.name, this.video.selectedIndex(), `RAMDAC index 0x${this.video.selectedIndex().toString(16)} is not modelled; reads 0.`);
        return v < 0 ? 0 : v;
      }
    }
  }

  private writeHook(hook: WriteHookId, value: number): void {
    switch (hook) {
      case 'softReset':
        this.softReset();
        break;
      case 'interruptsChanged':
        this.irq.update();
        break;
      case 'ramdacWrite':
        if (!this.video.ramdacWrite(value)) {
          this.irq.notice('unimplemented', this.layout.reg('rdIndexedData').def.name, value, `RAMDAC index 0x${this.video.selectedIndex().toString(16)} is not modelled; write ignored.`);
        }
        break;
      case 'ringSetup':
        this.dma.ringSetup(this.regs.values[this.ix.ringBase]!, this.regs.values[this.ix.ringSize]!);
        break;
      case 'displayChanged':
      case 'dmaSetAddress':
      case 'dmaStart':
      case 'ringTail':
        break;
    }
  }

  /** FIFO window write: decode tag-format words into the input FIFO. */
  private windowWrite(word: number): void {
    const d = this.windowDecoder.feed(word);
    if (d === Decoded.Data) this.pushInput(this.fifoName, this.windowDecoder.out, word);
    else if (d === Decoded.Malformed) {
      this.irq.error('message', 'guest-error', this.fifoName, word, `Malformed tag word 0x${word.toString(16)} written to the FIFO window (reserved bits set or mode 3): dropped. A data word was probably taken for a header because a count was wrong.`);
    }
  }

  private pushInput(name: string, tag: number, data: number): void {
    if (this.dma.active) {
      this.irq.error('dma', 'guest-error', name, data, `Command written to ${name} while input DMA is running: it is queued but may interleave with the DMA stream. Wait until the DMA stream is finished first.`);
    }
    if (this.inFifo.length === this.inFifo.depth) {
      const discon = ((this.regs.values[this.ix.fifoDiscon]! >>> this.fInputDiscon.shift) & this.fInputDiscon.mask) !== 0;
      if (discon) this.runWork(Infinity, () => this.inFifo.length === this.inFifo.depth);
      if (this.inFifo.length === this.inFifo.depth) {
        this.irq.error('inFifo', 'guest-error', name, data, `Input FIFO full (${this.inFifo.depth} entries): the write is lost. Poll InFIFOSpace before writing (or enable FIFODiscon.InputDisconnect).`);
        return;
      }
    }
    this.inFifo.push(tag, data);
  }

  private popOutput(): number {
    if (this.outFifo.length === 0) {
      this.irq.error('outFifo', 'guest-error', this.fifoName, 0, 'Output FIFO read while empty: returns 0. Poll OutFIFOWords before reading.');
      return 0;
    }
    return this.outFifo.pop();
  }

  // ---------------------------------------------------------------- time and work

  /**
   * Simulated time passes (nanoseconds). Does bounded work and returns the nanoseconds until the
   * card next wants to be called (Infinity when idle).
   */
  advance(ns: number): number {
    ns = ns > 0 ? ns : 0;
    const from = this.nowNs;
    this.nowNs += ns;
    this.video.advance(from, this.nowNs);
    if (this.busy) {
      this.creditNs = Math.min(this.creditNs + ns, 1e12);
      this.creditNs = this.runWork(this.options.burst ? Infinity : this.creditNs, null);
    } else {
      this.creditNs = 0;
      this.lastWork = 0;
    }
    const enabled = this.regs.values[this.ix.intEnable]!;
    const retrace = this.video.nextRetraceIn(this.nowNs, enabled);
    if (!this.busy) {
      this.creditNs = 0;
      return retrace;
    }
    if (this.options.burst || this.creditNs > 0) return 0;
    return Math.min(retrace, Math.max(1, Math.ceil(-this.creditNs) + 1000));
  }

  /** Runs work with `ns` of credit until idle, out of budget, or `until` says stop. Returns credit left. */
  private runWork(ns: number, until: (() => boolean) | null): number {
    const b = this.budget;
    b.ns = ns;
    b.units = this.options.maxWorkPerAdvance;
    const entryNs = this.options.costs.fifoEntryNs;
    const interp = this.interp, fifo = this.inFifo;
    while (b.ns > 0 && b.units > 0) {
      if (until !== null && !until()) break;
      if (interp.pending) {
        interp.resume(b);
        if (interp.pending) break;
      } else if (fifo.length > 0) {
        const tag = fifo.peekTag(), data = fifo.peekData();
        fifo.drop();
        b.ns -= entryNs;
        b.units--;
        interp.exec(tag, data, b);
      } else if (this.dma.active) {
        this.dma.run(b);
      } else break;
    }
    this.lastWork = this.options.maxWorkPerAdvance - b.units;
    return b.ns;
  }

  // ---------------------------------------------------------------- display, reset, state

  display(): DisplayInfo {
    return this.video.display();
  }

  /** Counters since construction: words fetched by DMA, pixels written, primitives started. */
  get stats(): { dmaWords: number; pixels: number; primitives: number } {
    return { dmaWords: this.dma.wordsFetched, pixels: this.raster.pixelsDrawn, primitives: this.raster.primitives };
  }

  /**
   * For inspectors, without side effects (no trace event, no FIFO pop): register `index` of the variant's list as
   * stored (write-only bits included) or, for a register with a read hook, what a read would return now.
   */
  peekRegister(index: number): number {
    const r = this.layout.registers[index];
    if (!r) return 0;
    const hook = r.def.onRead;
    return hook && hook !== 'ramdacRead' ? this.readHook(hook, index) >>> 0 : this.regs.values[index]!;
  }

  /** For inspectors: guest RAM as the host gives it to the DMA engine (read it, never write it). */
  peekGuestRam(): Uint8Array {
    return this.host.guestRam();
  }

  /** Simulated time (ns) the card has been advanced by. */
  get timeNs(): number {
    return this.nowNs;
  }

  /** ResetStatus write: the graphics processor, FIFOs, DMA, IntFlags and ErrorFlags. */
  private softReset(): void {
    this.dma.reset();
    this.interp.reset();
    this.inFifo.clear();
    this.outFifo.clear();
    this.windowDecoder.reset();
    const l = this.layout;
    this.regs.values[l.reg('intFlags').index] = 0;
    this.regs.values[l.reg('errorFlags').index] = 0;
    // Ring variants: the engine's pointers went back to 0 with dma.reset(); the tail register follows.
    if (l.hasReg('ringTail')) this.regs.values[l.reg('ringTail').index] = 0;
    this.irq.update();
  }

  /** PCI reset: everything except VRAM contents. */
  reset(): void {
    this.softReset();
    this.regs.reset();
    this.syncRing();
    this.video.reset();
    this.creditNs = 0;
    this.irq.update();
  }

  saveState(): CardState {
    return {
      version: CARD_STATE_VERSION,
      variant: this.variant.id,
      nowNs: this.nowNs,
      creditNs: this.creditNs,
      regs: this.regs.save(),
      ramdac: Array.from(this.video.ramdac),
      irqLevel: this.irq.level,
      interp: this.interp.save(),
      raster: this.raster.save(),
      dma: this.dma.save(),
      windowDecoder: this.windowDecoder.save(),
      inFifo: this.inFifo.save(),
      outFifo: this.outFifo.save(),
      vram: this.vram.slice(),
    };
  }

  loadState(s: CardState): void {
    if (s.version !== CARD_STATE_VERSION || s.variant !== this.variant.id) {
      this.irq.notice('internal', 'state', s.version, `Saved state ${s.variant} v${s.version} does not match ${this.variant.id} v${CARD_STATE_VERSION}; not loaded.`);
      return;
    }
    this.nowNs = s.nowNs;
    this.creditNs = s.creditNs;
    this.regs.load(s.regs);
    this.video.ramdac.set(s.ramdac.slice(0, this.video.ramdac.length));
    this.vram.set(s.vram.subarray(0, this.vram.length));
    this.interp.load(s.interp);
    this.raster.load(s.raster);
    this.dma.load(s.dma);
    this.windowDecoder.load(s.windowDecoder);
    this.inFifo.load(s.inFifo);
    this.outFifo.load(s.outFifo);
    this.syncRing();
    this.irq.resync();
  }

  /** The DMA engine's copy of RingBase/RingSize follows the register file (reset, state load). */
  private syncRing(): void {
    if (this.ix.ringBase >= 0 && this.ix.ringSize >= 0) this.dma.ringRegisters(this.regs.values[this.ix.ringBase]!, this.regs.values[this.ix.ringSize]!);
  }
}
