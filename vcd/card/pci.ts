/**
 * The card as a device on the Virtual PCI Bus: PCI identity and BARs from the variant, MMIO into the
 * model, and the pump that lets simulated time pass between emulator slices so work completes and
 * interrupts fire without ever running inside an MMIO handler.
 */
import type { PciFunctionPort, PciIdentity, VirtualPciFunction } from '../vpcib/function.ts';
import { GPU_SIDEBAND } from '../vpcib/protocol.ts';
import { Card, type CardOptions, type CardState } from './card.ts';
import type { CardVariant } from './definition.ts';
import { framebufferToRgba } from './png.ts';

/**
 * A macrotask with no delay: setImmediate in Node, a MessageChannel message in the browser. setTimeout(0) would wait
 * 1 ms in Node and 4 ms in a browser once timers nest, and a busy card continues its work many times per buffer.
 */
const soon: (cb: () => void) => () => void = (() => {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown; clearImmediate?: (h: unknown) => void };
  if (typeof g.setImmediate === 'function') {
    return (cb) => { const h = g.setImmediate!(cb); return () => g.clearImmediate!(h); };
  }
  if (typeof MessageChannel === 'function') {
    const ch = new MessageChannel();
    const queue: Array<{ cb: () => void; live: boolean }> = [];
    ch.port1.onmessage = () => { const t = queue.shift(); if (t?.live) t.cb(); };
    return (cb) => { const t = { cb, live: true }; queue.push(t); ch.port2.postMessage(0); return () => { t.live = false; }; };
  }
  return (cb) => { const h = setTimeout(cb, 0); return () => clearTimeout(h); };
})();

const SB = Object.fromEntries(GPU_SIDEBAND.map((r) => [r.name, r.offset])) as Record<string, number>;

export interface CardFunctionState {
  card: CardState;
  burst: boolean;
  timeScale: number;
}

/** Sideband registers the host handles itself (emulator controls that are not the card's: interrupt timing, module info). */
export interface HostControls {
  read(reg: number): number | undefined;
  write(reg: number, value: number): boolean;
}

export class CardFunction implements VirtualPciFunction {
  readonly name = 'gpu';
  readonly identity: PciIdentity;
  readonly bars: VirtualPciFunction['bars'];
  readonly card: Card;
  /** Simulated-time speed in percent of real time. */
  timeScale = 100;
  /**
   * Run the card's work inside the register write that gave it (a burst DMA completes in the write), rather than
   * after the emulator slice: the interrupt timing modes other than prompt need the interrupt raised by then. The
   * host still holds the interrupt back until the write's code block has ended.
   */
  eager = false;
  /** Sideband registers the platform answers. */
  hostControls: HostControls | null = null;
  /** Bumped whenever the screen may have changed (MMIO writes, drawing): displays redraw when it moves. */
  generation = 0;
  /** Host-side cost accounting: wall time spent simulating the card, interrupts raised, MMIO accesses. */
  readonly cost = { simulateMs: 0, steps: 0, irqRaises: 0, mmio: 0 };
  private port: PciFunctionPort | null = null;
  private lastMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cancelSoon: (() => void) | undefined;
  private kicked = false;
  /** Listeners told after each step that did work (display refresh, inspector). */
  private readonly listeners = new Set<() => void>();

  constructor(variant: CardVariant, options?: Partial<CardOptions>, private readonly clock: () => number = () => performance.now()) {
    this.identity = variant.pci;
    this.bars = variant.bars.map((b) => ({ index: b.index, size: b.size, prefetchable: b.prefetchable }));
    this.card = new Card(variant, {
      guestRam: () => this.port?.guestRam() ?? new Uint8Array(0),
      setIrqLevel: (level) => {
        if (level) this.cost.irqRaises++;
        this.port?.setIrq(level);
      },
      busMaster: () => this.port?.busMaster() ?? false,
    }, options);
    this.lastMs = clock();
  }

  connect(port: PciFunctionPort): void {
    this.port = port;
  }

  mmioRead32(bar: number, offset: number): number {
    this.cost.mmio++;
    return this.card.mmioRead32(bar, offset);
  }
  mmioWrite32(bar: number, offset: number, value: number): void {
    this.cost.mmio++;
    this.card.mmioWrite32(bar, offset, value);
    this.generation++;
    if (this.eager) this.step();
    else this.kick();
  }
  mmioRead8(bar: number, offset: number): number {
    return this.card.mmioRead8(bar, offset);
  }
  mmioWrite8(bar: number, offset: number, value: number): void {
    this.card.mmioWrite8(bar, offset, value);
    this.generation++;
    if (this.eager) this.step();
    else this.kick();
  }

  reset(): void {
    this.card.reset();
    this.step();
  }

  sidebandRead(reg: number): number {
    if (reg === SB.BURST) return this.card.options.burst ? 1 : 0;
    if (reg === SB.TIME_SCALE) return this.timeScale;
    return this.hostControls?.read(reg) ?? 0xffffffff;
  }
  sidebandWrite(reg: number, value: number): void {
    if (reg === SB.BURST) this.card.options.burst = value !== 0;
    else if (reg === SB.TIME_SCALE) this.timeScale = Math.min(Math.max(value, 1), 1_000_000);
    else if (this.hostControls?.write(reg, value)) return;
    this.kick();
  }

  onStep(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Work may have arrived: let time pass once the current emulator slice has returned. */
  private kick(): void {
    if (this.kicked) return;
    this.kicked = true;
    queueMicrotask(() => {
      this.kicked = false;
      this.step();
    });
  }

  /** Advances the card by the real time elapsed (scaled) and schedules the next step. */
  step(): void {
    const now = this.clock();
    const ns = Math.max(0, now - this.lastMs) * 1e6 * (this.timeScale / 100);
    this.lastMs = now;
    const next = this.card.advance(ns);
    this.cost.steps++;
    this.cost.simulateMs += this.clock() - now;
    if (this.card.lastWork > 0) {
      this.generation++;
      for (const cb of this.listeners) cb();
    }
    this.cancelTimers();
    if (!Number.isFinite(next)) return;
    // A macrotask, never a microtask: a busy card must not starve the emulator.
    const ms = next / 1e6 / (this.timeScale / 100);
    if (ms < 1) this.cancelSoon = soon(() => { this.cancelSoon = undefined; this.step(); });
    else this.timer = setTimeout(() => this.step(), Math.min(ms, 1000));
  }

  /** The visible screen as RGBA, or null when the card is not in a video mode. */
  screen(): { width: number; height: number; rgba: Uint8Array } | null {
    const d = this.card.display();
    if (!d.enabled || d.format === 'unknown' || !d.width || !d.height) return null;
    return { width: d.width, height: d.height, rgba: framebufferToRgba(this.card.vram, d) };
  }

  /** Stops the pump (machine destroyed). */
  stop(): void {
    this.cancelTimers();
  }

  private cancelTimers(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cancelSoon?.();
    this.cancelSoon = undefined;
  }

  saveState(): CardFunctionState {
    return { card: this.card.saveState(), burst: this.card.options.burst, timeScale: this.timeScale };
  }

  loadState(s: unknown): void {
    const st = s as CardFunctionState;
    this.card.loadState(st.card);
    this.card.options.burst = st.burst;
    this.timeScale = st.timeScale;
    this.lastMs = this.clock();
    this.step();
  }
}
