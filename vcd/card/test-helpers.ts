/** Shared fixtures for the card tests: a fake host, register access by role, DMA helpers. */
import { Card, type CardOptions } from './card.ts';
import type { CardVariant, ErrorRole, InterruptRole, RegisterRole } from './definition.ts';
import type { CardHost } from './host.ts';
import { layoutOf } from './layout.ts';
import { StreamBuilder } from './stream.ts';
import { submitWords } from './submit.ts';
import type { TraceEvent } from './trace.ts';
import { permedia2v } from './variants/permedia2v.ts';
import { testcard } from './variants/testcard.ts';
import { deriveVariant } from './variants/derive.ts';

export const VARIANTS: readonly CardVariant[] = [permedia2v, testcard];

/** Generated variants covering the behavioural choices the built-in ones do not (clear-on-read, ring). */
export const GENERATED: readonly CardVariant[] = [
  deriveVariant(permedia2v, { name: 'test-read-ring', seed: 'test 1', irqAck: 'read', commands: 'ring' }),
  deriveVariant(permedia2v, { name: 'test-read-dma', seed: 'test 2', irqAck: 'read', commands: 'dma' }),
  deriveVariant(permedia2v, { name: 'test-w1c-ring', seed: 'test 3', irqAck: 'w1c', commands: 'ring' }),
];

/** Built-in and generated variants: for tests written against roles, fields and the behavioural helpers only. */
export const ALL_VARIANTS: readonly CardVariant[] = [...VARIANTS, ...GENERATED];

export class FakeHost implements CardHost {
  ram: Uint8Array;
  levels: boolean[] = [];
  constructor(bytes = 1 << 20) {
    this.ram = new Uint8Array(bytes);
  }
  guestRam(): Uint8Array {
    return this.ram;
  }
  setIrqLevel(level: boolean): void {
    this.levels.push(level);
  }
  get level(): boolean {
    return this.levels.length > 0 && this.levels[this.levels.length - 1]!;
  }
}

export class Rig {
  readonly host: FakeHost;
  readonly card: Card;
  readonly sb: StreamBuilder;
  constructor(readonly variant: CardVariant, options?: Partial<CardOptions>, ramBytes?: number) {
    this.host = new FakeHost(ramBytes);
    this.card = new Card(variant, this.host, options);
    this.sb = new StreamBuilder(variant);
  }
  off(role: RegisterRole): number {
    return layoutOf(this.variant).reg(role).def.offset;
  }
  read(role: RegisterRole): number {
    return this.card.mmioRead32(0, this.off(role));
  }
  write(role: RegisterRole, value: number): void {
    this.card.mmioWrite32(0, this.off(role), value);
  }
  irq(role: InterruptRole): number {
    return layoutOf(this.variant).irq(role);
  }
  err(role: ErrorRole): number {
    return layoutOf(this.variant).err(role);
  }
  /** Copies words to guest RAM at `addr` and starts fetching them (DMA buffer or command ring). */
  dma(words: Uint32Array, addr = 0x1000): void {
    submitWords(this.card, this.host.ram, addr, words);
  }
  /** What an interrupt handler does first: the pending flags, acknowledged the variant's way (W1C or clear-on-read). */
  ackIrq(mask = 0xffffffff): number {
    const flags = this.read('intFlags') & mask;
    if (this.variant.behaviour.irqAck === 'w1c') this.write('intFlags', flags);
    return flags;
  }
  /** Error flags, acknowledged the variant's way. */
  ackErrors(): number {
    const e = this.read('errorFlags');
    if (this.variant.behaviour.irqAck === 'w1c') this.write('errorFlags', e);
    return e;
  }
  /** True while submitted commands are still being fetched (DMACount ≠ 0, or RingHead ≠ RingTail). */
  fetching(): boolean {
    return this.variant.behaviour.commands === 'ring' ? this.read('ringHead') !== this.read('ringTail') : this.read('dmaCount') !== 0;
  }
  /** Advances in `step` ns until idle; returns the number of calls (throws if it never idles). */
  runIdle(step = 1_000_000, maxCalls = 100_000): number {
    let n = 0;
    while (this.card.busy) {
      if (++n > maxCalls) throw new Error('card never became idle');
      this.card.advance(step);
    }
    return n;
  }
  /** Builds a stream with the builder, DMAs it and runs to idle. */
  draw(build: (sb: StreamBuilder) => void): void {
    this.sb.clear();
    build(this.sb);
    this.dma(this.sb.words());
    this.runIdle();
  }
  gpWrite(tag: number, value: number): void {
    const g = this.variant.windows.gp;
    this.card.mmioWrite32(0, g.offset + tag * g.stride, value);
  }
  gpRead(tag: number): number {
    const g = this.variant.windows.gp;
    return this.card.mmioRead32(0, g.offset + tag * g.stride);
  }
  problems(kind: TraceEvent['kind'] = 'guest-error'): TraceEvent[] {
    return this.card.trace.events().filter((e) => e.kind === kind);
  }
}

/** FNV-1a of a byte range. */
export function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
