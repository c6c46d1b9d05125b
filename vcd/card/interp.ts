/**
 * The command interpreter: executes (tag, data) pairs in order. Stores the GP register, checks
 * unsupported bits, and runs the tag's action (Render, Continue*, Sync). While a primitive is
 * being drawn or a Sync waits for output-FIFO space, `pending` is true and nothing else executes.
 */
import { TagAction, type FieldSpec, type Layout } from './layout.ts';
import type { Interrupts } from './irq.ts';
import type { OutputFifo } from './fifo.ts';
import type { Budget, Rasterizer } from './raster.ts';
import type { TraceRing } from './trace.ts';

export interface InterpreterState {
  gp: number[];
  stalled: boolean;
  stallData: number;
}

export class Interpreter {
  readonly gp: Uint32Array;
  private readonly tagIndex: Int16Array;
  private readonly tagAction: Uint8Array;
  private readonly tagUnsupported: Uint32Array;
  private readonly syncTag: number;
  private readonly fFilterTag: FieldSpec;
  private readonly fFilterData: FieldSpec;
  private readonly fSyncIrq: FieldSpec;
  private readonly filterMode: number;
  private readonly irqSync: number;
  /** A Sync is waiting for space in the output FIFO. */
  stalled = false;
  private stallData = 0;

  constructor(
    private readonly layout: Layout,
    private readonly raster: Rasterizer,
    private readonly irq: Interrupts,
    private readonly out: OutputFifo,
    private readonly trace: TraceRing,
    gp: Uint32Array,
  ) {
    this.gp = gp;
    this.tagIndex = layout.tagIndex;
    this.tagAction = layout.tagAction;
    this.tagUnsupported = layout.tagUnsupported;
    this.syncTag = layout.tag('sync');
    this.filterMode = layout.tag('filterMode');
    this.fFilterTag = layout.tagField('filterMode', 'syncTag');
    this.fFilterData = layout.tagField('filterMode', 'syncData');
    this.fSyncIrq = layout.tagField('sync', 'interruptEnable');
    this.irqSync = layout.irq('sync');
  }

  /** True while the previous command has not finished (primitive drawing or stalled Sync). */
  get pending(): boolean {
    return this.raster.lines > 0 || this.stalled;
  }

  exec(tag: number, data: number, b: Budget): void {
    if (this.tagIndex[tag]! < 0) {
      this.unknownTag(tag, data);
      return;
    }
    const action = this.tagAction[tag]!;
    if (action === TagAction.PixelPath) {
      // Only a changed value invalidates the rasterizer's pixel-path snapshot.
      if (this.gp[tag] !== data) this.raster.dirty = true;
    }
    this.gp[tag] = data;
    if ((data & this.tagUnsupported[tag]!) !== 0) this.unsupported(tag, data);
    if (action > TagAction.Store && action < TagAction.PixelPath) this.act(action, tag, data, b);
  }

  /** Rasterizer counters (for DMA summaries). */
  stats(): { primitives: number; pixels: number } {
    return { primitives: this.raster.primitives, pixels: this.raster.pixelsDrawn };
  }

  /** Continue the pending command. */
  resume(b: Budget): void {
    if (this.raster.lines > 0) this.raster.run(b);
    if (this.stalled) this.sync(this.stallData);
  }

  private act(action: number, tag: number, data: number, b: Budget): void {
    switch (action) {
      case TagAction.Render:
        this.raster.render(data, b);
        break;
      case TagAction.ContinueNewDom:
        this.raster.continueWith(true, false, 'continueNewDom', data, b);
        break;
      case TagAction.ContinueNewSub:
        this.raster.continueWith(false, true, 'continueNewSub', data, b);
        break;
      case TagAction.Continue:
        this.raster.continueWith(false, false, 'continue', data, b);
        break;
      case TagAction.Sync:
        this.sync(data);
        break;
      default:
        this.irq.notice('internal', this.layout.tagName(tag), data, `interpreter: no action ${action}`);
    }
  }

  /** Sync reached the end of the pipeline (everything before it is drawn). */
  private sync(data: number): void {
    const fm = this.gp[this.filterMode]!;
    const passTag = ((fm >>> this.fFilterTag.shift) & this.fFilterTag.mask) !== 0;
    const passData = ((fm >>> this.fFilterData.shift) & this.fFilterData.mask) !== 0;
    const words = (passTag ? 1 : 0) + (passData ? 1 : 0);
    if (this.out.depth - this.out.length < words) {
      if (!this.stalled) {
        this.irq.notice('guest-error', this.layout.tagName(this.syncTag), data, 'Output FIFO full: the pipeline stalls at this Sync until the driver reads the FIFO window. Read OutFIFOWords words after every Sync.');
      }
      this.stalled = true;
      this.stallData = data;
      return;
    }
    this.stalled = false;
    if (passTag) this.out.push(this.syncTag);
    if (passData) this.out.push(data);
    const interrupt = ((data >>> this.fSyncIrq.shift) & this.fSyncIrq.mask) !== 0;
    if (this.trace.wants('sync')) this.trace.push({ kind: 'sync', data: data >>> 0, pushed: words, interrupt });
    if (interrupt) this.irq.raise(this.irqSync);
  }

  private unknownTag(tag: number, data: number): void {
    this.irq.error('message', 'guest-error', `tag 0x${tag.toString(16)}`, data,
      `Unknown tag 0x${tag.toString(16)} (data 0x${(data >>> 0).toString(16)}): the entry is dropped. Was a register offset written instead of its tag ((offset - GP base) / 8), or did a data word get read as a header because a count was wrong?`);
  }

  private unsupported(tag: number, data: number): void {
    const name = this.layout.tagName(tag);
    const def = this.layout.variant.tags[this.tagIndex[tag]!]!;
    const bits = (data & this.tagUnsupported[tag]!) >>> 0;
    const what = def.noop === 'zero'
      ? `${name} is not modelled; only 0 is accepted.`
      : `${name} bits 0x${bits.toString(16)} (${(def.fields ?? []).filter((f) => f.unsupported && ((bits >>> f.bits[1]) & ((1 << (f.bits[0] - f.bits[1] + 1)) - 1))).map((f) => f.name).join(', ')}) are not modelled and are ignored.`;
    this.irq.error('message', 'unimplemented', name, data, what);
  }

  reset(): void {
    this.gp.set(this.layout.tagReset);
    this.stalled = false;
    this.stallData = 0;
    this.raster.abort();
  }

  save(): InterpreterState {
    return { gp: Array.from(this.gp), stalled: this.stalled, stallData: this.stallData };
  }

  load(s: InterpreterState): void {
    this.gp.set(s.gp.slice(0, this.gp.length));
    this.stalled = s.stalled;
    this.stallData = s.stallData;
  }
}
