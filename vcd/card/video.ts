/**
 * Video timing and the RAMDAC: a virtual raster (LineCount, vertical retrace interrupt) and the
 * description of the visible screen derived from the timing registers and the RAMDAC format.
 */
import type { DisplayFormat } from './definition.ts';
import type { Interrupts } from './irq.ts';
import type { FieldSpec, Layout } from './layout.ts';

export interface DisplayInfo {
  enabled: boolean;
  width: number;
  height: number;
  strideBytes: number;
  baseBytes: number;
  format: DisplayFormat | 'unknown';
  bytesPerPixel: number;
}

export class Video {
  private readonly ix: {
    screenBase: number; screenStride: number; hTotal: number; hbEnd: number; vTotal: number; vbEnd: number;
    videoControl: number; rdLow: number; rdHigh: number;
  };
  private readonly fEnable: FieldSpec;
  private readonly fData64: FieldSpec;
  private readonly periodNs: number;
  private readonly irqRetrace: number;
  /** RAMDAC index-register values, by position in variant.ramdac. */
  readonly ramdac: Uint8Array;
  private readonly ramdacSlot = new Map<number, number>();
  private readonly pixelSizeSlot: number;
  private readonly colorFormatSlot: number;

  constructor(
    private readonly layout: Layout,
    private readonly regs: Uint32Array,
    private readonly irq: Interrupts,
  ) {
    const r = (role: Parameters<Layout['reg']>[0]) => layout.reg(role).index;
    this.ix = {
      screenBase: r('screenBase'), screenStride: r('screenStride'), hTotal: r('hTotal'), hbEnd: r('hbEnd'),
      vTotal: r('vTotal'), vbEnd: r('vbEnd'), videoControl: r('videoControl'), rdLow: r('rdIndexLow'), rdHigh: r('rdIndexHigh'),
    };
    this.fEnable = layout.regField('videoControl', 'videoEnable');
    this.fData64 = layout.regField('videoControl', 'data64');
    this.periodNs = 1e9 / layout.variant.refreshHz;
    this.irqRetrace = layout.irq('vretrace');
    const defs = layout.variant.ramdac;
    this.ramdac = new Uint8Array(defs.length);
    defs.forEach((d, i) => this.ramdacSlot.set(d.index, i));
    this.pixelSizeSlot = defs.findIndex((d) => d.role === 'pixelSize');
    this.colorFormatSlot = defs.findIndex((d) => d.role === 'colorFormat');
    if (this.pixelSizeSlot < 0 || this.colorFormatSlot < 0) throw new Error(`card variant ${layout.variant.id}: RAMDAC needs pixelSize and colorFormat roles`);
    this.reset();
  }

  reset(): void {
    this.layout.variant.ramdac.forEach((d, i) => (this.ramdac[i] = d.reset));
  }

  get enabled(): boolean {
    return ((this.regs[this.ix.videoControl]! >>> this.fEnable.shift) & this.fEnable.mask) !== 0;
  }

  private linesPerFrame(): number {
    return Math.max(1, (this.regs[this.ix.vTotal]!) + 1);
  }

  /** Current raster line at simulated time `now`. */
  lineCount(now: number): number {
    if (!this.enabled) return 0;
    const lines = this.linesPerFrame();
    const t = now % this.periodNs;
    return Math.min(lines - 1, Math.floor((t / this.periodNs) * lines));
  }

  /** Time moved from `from` to `to`: raise VRetrace at each frame start crossed while enabled. */
  advance(from: number, to: number): void {
    if (!this.enabled || to <= from) return;
    if (Math.floor(to / this.periodNs) > Math.floor(from / this.periodNs)) this.irq.raise(this.irqRetrace);
  }

  /** Nanoseconds from `now` to the next retrace (Infinity when nothing would be raised). */
  nextRetraceIn(now: number, enabledIrqs: number): number {
    if (!this.enabled || (enabledIrqs & this.irqRetrace) === 0) return Infinity;
    return this.periodNs - (now % this.periodNs);
  }

  private slot(): number {
    const index = (this.regs[this.ix.rdHigh]! << 8) | this.regs[this.ix.rdLow]!;
    return this.ramdacSlot.get(index) ?? -1;
  }

  /** RDIndexedData read: value of the selected index register, or -1 if there is none. */
  ramdacRead(): number {
    const s = this.slot();
    return s < 0 ? -1 : this.ramdac[s]!;
  }

  /** RDIndexedData write; false if no index register is selected there. */
  ramdacWrite(value: number): boolean {
    const s = this.slot();
    if (s < 0) return false;
    this.ramdac[s] = value & 0xff;
    return true;
  }

  /** RAMDAC index currently selected (for messages). */
  selectedIndex(): number {
    return (this.regs[this.ix.rdHigh]! << 8) | this.regs[this.ix.rdLow]!;
  }

  display(): DisplayInfo {
    const rg = this.regs, ix = this.ix;
    const ps = this.ramdac[this.pixelSizeSlot]!, cf = this.ramdac[this.colorFormatSlot]!;
    const fmt = this.layout.variant.pixelFormats.find((f) => f.ramdac.pixelSize === ps && f.ramdac.colorFormat === cf);
    const bpp = fmt?.bytesPerPixel ?? 0;
    const unit = ((rg[ix.videoControl]! >>> this.fData64.shift) & this.fData64.mask) !== 0 ? 8 : 4;
    const widthBytes = ((rg[ix.hTotal]!) + 1 - (rg[ix.hbEnd]!)) * unit;
    const width = bpp ? Math.max(0, Math.floor(widthBytes / bpp)) : 0;
    const height = Math.max(0, (rg[ix.vTotal]!) + 1 - (rg[ix.vbEnd]!));
    const info: DisplayInfo = {
      enabled: false,
      width,
      height,
      strideBytes: (rg[ix.screenStride]!) * 8,
      baseBytes: (rg[ix.screenBase]!) * 8,
      format: fmt?.name ?? 'unknown',
      bytesPerPixel: bpp,
    };
    info.enabled = this.enabled && !!fmt && width > 0 && height > 0;
    return info;
  }
}
