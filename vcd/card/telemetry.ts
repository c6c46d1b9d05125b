/**
 * Sampled telemetry of a card for the lab's inspector (DOM-free: runs in Node and in the page).
 *
 * The card must not slow down because someone is watching, so nothing here runs per word or per register access.
 * A few times a second `sample()` copies the register values (about 60 numbers), reads the trace events recorded
 * since the previous sample (by sequence number) and keeps the last interrupts, acknowledgements and problems. DMA
 * buffers are the one thing a later sample could not see any more (the driver refills them at once), so a tap on
 * the trace copies the first words of each buffer when its dma-start is recorded: one small copy per buffer, into
 * preallocated slots. Decoding those words into tags (by the variant's tag names) happens at sample time, once per
 * buffer. Snapshots are plain data (structured-clone safe) so they can cross a worker boundary.
 */
import type { Card } from './card.ts';
import { Decoded, TagDecoder } from './decoder.ts';
import type { CardVariant, FieldDef } from './definition.ts';
import { rangeMask } from './definition.ts';
import { layoutOf, type Layout } from './layout.ts';
import type { ProblemClass, TraceEvent } from './trace.ts';

/** One decoded word of a DMA buffer. */
export interface DmaWord {
  /** Index of the word in the buffer. */
  index: number;
  word: number;
  /** 'header': a tag-format header; 'data': a value for `tag`; 'malformed': a header the card rejects. */
  kind: 'header' | 'data' | 'malformed';
  /** Data: the GP register it goes to; header: the register it names. */
  tag: number;
  /** Tag name from the variant ('' for malformed words). */
  name: string;
  /** Data words of registers with fields: the fields by name. */
  fields?: Readonly<Record<string, number>>;
}

export interface DmaBufferSample {
  /** Trace sequence number of the buffer's dma-start. */
  seq: number;
  timeNs: number;
  /** Guest-physical (bus) address and length in words, as the driver programmed them. */
  address: number;
  count: number;
  /** The first words of the buffer, decoded (at most `wordsPerBuffer`). */
  words: DmaWord[];
  /** True when the buffer is longer than what was kept. */
  truncated: boolean;
  /** From the buffer's dma-end, when it has been seen: 'running' until then. */
  outcome: 'running' | 'complete' | 'aborted' | 'reset';
  /** Primitives started and pixels written while it was fetched (from dma-end). */
  primitives: number;
  pixels: number;
}

/** An interrupt line change or an acknowledgement (the driver writing IntFlags). */
export interface IrqSample {
  seq: number;
  timeNs: number;
  /** raise/lower: the line changed; ack: the driver wrote these bits to the interrupt flags register. */
  kind: 'raise' | 'lower' | 'ack';
  /** raise/lower: IntFlags & IntEnable; ack: the bits written. */
  bits: number;
  /** Names of the set bits, from the variant's interrupt list. */
  names: string[];
}

export interface ProblemSample {
  seq: number;
  timeNs: number;
  kind: ProblemClass;
  register: string;
  value: number;
  /** ErrorFlags bit name ('' when the chip flags nothing). */
  error: string;
  /** The card's own sentence: what happened and what the driver probably did wrong. */
  message: string;
}

export interface InspectorSnapshot {
  variantId: string;
  /** Sample number (1, 2, …) of this sampler. */
  sample: number;
  /** Host clock (ms) when it was taken. */
  wallMs: number;
  /** The card's simulated time. */
  timeNs: number;
  /** Value of each register, in the order of variant.registers. */
  registers: number[];
  /** Indices (into variant.registers) whose value differs from the previous sample. */
  changed: number[];
  /** Sample number at which each register last changed (0 = never seen change). */
  changedAt: number[];
  /** The last DMA buffers, oldest first. */
  buffers: DmaBufferSample[];
  /** The last interrupt changes and acknowledgements, oldest first. */
  irqs: IrqSample[];
  /** The last problems (guest errors, unmodelled features, internal), oldest first. */
  problems: ProblemSample[];
  /** Counters since the card was made. */
  stats: { dmaWords: number; pixels: number; primitives: number; buffers: number; irqRaises: number; problems: number };
  /** Trace events overwritten in the ring before a sample could read them (the ring is finite; 0 is the norm). */
  dropped: number;
}

export interface SamplerOptions {
  /** DMA buffers kept (K). */
  buffers: number;
  /** Words kept of each buffer (N). */
  wordsPerBuffer: number;
  /** Interrupt timeline entries kept. */
  irqs: number;
  /** Problems kept. */
  problems: number;
  /** Host clock in ms (tests pass their own). */
  clock: () => number;
}

export const DEFAULT_SAMPLER: SamplerOptions = {
  buffers: 8,
  wordsPerBuffer: 96,
  irqs: 240,
  problems: 50,
  clock: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
};

/** A preallocated slot of the DMA capture ring. */
interface Slot {
  seq: number;
  timeNs: number;
  address: number;
  count: number;
  kept: number;
  words: Uint32Array;
  outcome: DmaBufferSample['outcome'];
  primitives: number;
  pixels: number;
  /** Decoded form, made at the first sample that sees the slot. */
  decoded: DmaBufferSample | null;
}

/** Names of the bits set in `mask`, from (bit, name) definitions. */
export function bitNames(list: readonly { bit: number; name: string }[], mask: number): string[] {
  const out: string[] = [];
  for (const d of list) if ((mask >>> d.bit) & 1) out.push(d.name);
  return out;
}

/** Field values of a word by the field names of the definition. */
export function decodeFields(fields: readonly FieldDef[] | undefined, value: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (fields) for (const f of fields) out[f.name] = ((value >>> f.bits[1]) & rangeMask(f.bits)) >>> 0;
  return out;
}

/** Decodes tag-format words with the variant's decoder and names (the same decoder the card's DMA engine uses). */
export function decodeDmaWords(variant: CardVariant, words: ArrayLike<number>, limit = words.length): DmaWord[] {
  const l = layoutOf(variant);
  const dec = new TagDecoder(l);
  const tagFields = tagFieldMap(l);
  const out: DmaWord[] = [];
  const n = Math.min(limit, words.length);
  for (let i = 0; i < n; i++) {
    const w = words[i]! >>> 0;
    const d = dec.feed(w);
    if (d === Decoded.Data) {
      const f = tagFields.get(dec.out);
      out.push(f ? { index: i, word: w, kind: 'data', tag: dec.out, name: l.tagName(dec.out), fields: decodeFields(f, w) } : { index: i, word: w, kind: 'data', tag: dec.out, name: l.tagName(dec.out) });
    } else if (d === Decoded.Header) {
      out.push({ index: i, word: w, kind: 'header', tag: dec.tag, name: l.tagName(dec.tag) });
    } else {
      out.push({ index: i, word: w, kind: 'malformed', tag: -1, name: '' });
    }
  }
  return out;
}

const tagFieldCache = new WeakMap<Layout, Map<number, readonly FieldDef[]>>();
function tagFieldMap(l: Layout): Map<number, readonly FieldDef[]> {
  let m = tagFieldCache.get(l);
  if (!m) {
    m = new Map();
    for (const t of l.variant.tags) if (t.fields?.length) m.set(t.tag, t.fields);
    tagFieldCache.set(l, m);
  }
  return m;
}

export class CardSampler {
  readonly options: SamplerOptions;
  private readonly layout: Layout;
  private readonly slots: Slot[];
  /** Next slot to fill; slots are used round robin. */
  private slotHead = 0;
  private lastSeq: number;
  private sampleNo = 0;
  private prev: Uint32Array;
  private readonly changedAt: number[];
  private irqs: IrqSample[] = [];
  private problems: ProblemSample[] = [];
  private dropped = 0;
  private buffersSeen = 0;
  private irqRaises = 0;
  private problemCount = 0;
  private readonly intFlagsName: string;
  private attached = false;
  private readonly onTrace = (ev: TraceEvent): void => {
    if (ev.kind === 'dma-start') this.capture(ev.seq, ev.timeNs, ev.address, ev.count);
  };

  constructor(readonly card: Card, options: Partial<SamplerOptions> = {}) {
    this.options = { ...DEFAULT_SAMPLER, ...options };
    this.layout = layoutOf(card.variant);
    const n = Math.max(1, this.options.wordsPerBuffer | 0);
    this.slots = Array.from({ length: Math.max(1, this.options.buffers | 0) }, () => ({
      seq: -1, timeNs: 0, address: 0, count: 0, kept: 0, words: new Uint32Array(n), outcome: 'running' as const, primitives: 0, pixels: 0, decoded: null,
    }));
    this.prev = new Uint32Array(this.layout.registers.length);
    for (let i = 0; i < this.prev.length; i++) this.prev[i] = card.peekRegister(i);
    this.changedAt = new Array<number>(this.prev.length).fill(0);
    this.lastSeq = card.trace.nextSeq;
    this.intFlagsName = this.layout.reg('intFlags').def.name;
  }

  /** Starts copying DMA buffers as they start (the trace tap). Only one sampler per card. */
  attach(): this {
    const t = this.card.trace;
    if (t.tap !== null && t.tap !== this.onTrace) throw new Error('the card trace already has a tap: one inspector sampler per card');
    t.tap = this.onTrace;
    this.attached = true;
    return this;
  }

  detach(): void {
    if (this.card.trace.tap === this.onTrace) this.card.trace.tap = null;
    this.attached = false;
  }

  get isAttached(): boolean {
    return this.attached;
  }

  /** The tap: copy up to N words of the buffer now, before the driver can reuse it. */
  private capture(seq: number, timeNs: number, address: number, count: number): void {
    const s = this.slots[this.slotHead]!;
    this.slotHead = (this.slotHead + 1) % this.slots.length;
    const ram = this.card.peekGuestRam();
    const kept = Math.max(0, Math.min(count, s.words.length, Math.floor((ram.length - address) / 4)));
    if ((address & 3) === 0 && (ram.byteOffset & 3) === 0) {
      s.words.set(new Uint32Array(ram.buffer, ram.byteOffset + address, kept));
    } else {
      for (let i = 0; i < kept; i++) {
        const a = address + i * 4;
        s.words[i] = (ram[a]! | (ram[a + 1]! << 8) | (ram[a + 2]! << 16) | (ram[a + 3]! << 24)) >>> 0;
      }
    }
    s.seq = seq; s.timeNs = timeNs; s.address = address; s.count = count; s.kept = kept;
    s.outcome = 'running'; s.primitives = 0; s.pixels = 0; s.decoded = null;
    this.buffersSeen++;
  }

  /** Takes a snapshot: registers, new trace events since the last one, the kept DMA buffers. */
  sample(): InspectorSnapshot {
    const card = this.card, v = card.variant;
    const no = ++this.sampleNo;
    // Registers.
    const n = this.prev.length;
    const registers = new Array<number>(n);
    const changed: number[] = [];
    for (let i = 0; i < n; i++) {
      const val = card.peekRegister(i);
      registers[i] = val;
      if (val !== this.prev[i]) {
        changed.push(i);
        this.changedAt[i] = no;
        this.prev[i] = val;
      }
    }
    // Trace events since the last sample.
    const events = card.trace.events(this.lastSeq);
    if (events.length > 0 && events[0]!.seq > this.lastSeq) this.dropped += events[0]!.seq - this.lastSeq;
    else if (events.length === 0 && card.trace.nextSeq > this.lastSeq && card.trace.capacity > 0) this.dropped += card.trace.nextSeq - this.lastSeq;
    this.lastSeq = card.trace.nextSeq;
    const newIrqs: IrqSample[] = [];
    const newProblems: ProblemSample[] = [];
    for (const ev of events) {
      switch (ev.kind) {
        case 'irq-raise':
        case 'irq-lower':
          if (ev.kind === 'irq-raise') this.irqRaises++;
          newIrqs.push({ seq: ev.seq, timeNs: ev.timeNs, kind: ev.kind === 'irq-raise' ? 'raise' : 'lower', bits: ev.pending, names: bitNames(v.interrupts, ev.pending) });
          break;
        case 'mmio-write':
          if (ev.register === this.intFlagsName) newIrqs.push({ seq: ev.seq, timeNs: ev.timeNs, kind: 'ack', bits: ev.value >>> 0, names: bitNames(v.interrupts, ev.value) });
          break;
        case 'dma-end':
          this.ended(ev.address, ev.seq, ev.outcome, ev.primitives, ev.pixels);
          break;
        case 'guest-error':
        case 'unimplemented':
        case 'internal':
          this.problemCount++;
          newProblems.push({ seq: ev.seq, timeNs: ev.timeNs, kind: ev.kind, register: ev.register, value: ev.value, error: ev.error, message: ev.message });
          break;
        default:
          break;
      }
    }
    if (newIrqs.length) this.irqs = keepLast(this.irqs.concat(newIrqs), this.options.irqs);
    if (newProblems.length) this.problems = keepLast(this.problems.concat(newProblems), this.options.problems);
    // DMA buffers, oldest first, decoded once each.
    const buffers: DmaBufferSample[] = [];
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slots[(this.slotHead + k) % this.slots.length]!;
      if (s.seq < 0) continue;
      if (s.decoded === null || s.decoded.outcome !== s.outcome) {
        const words = s.decoded?.words ?? decodeDmaWords(v, s.words, s.kept);
        s.decoded = { seq: s.seq, timeNs: s.timeNs, address: s.address, count: s.count, words, truncated: s.count > s.kept, outcome: s.outcome, primitives: s.primitives, pixels: s.pixels };
      }
      buffers.push(s.decoded);
    }
    const st = card.stats;
    return {
      variantId: v.id,
      sample: no,
      wallMs: this.options.clock(),
      timeNs: card.timeNs,
      registers,
      changed,
      changedAt: this.changedAt.slice(),
      buffers,
      irqs: this.irqs,
      problems: this.problems,
      stats: { dmaWords: st.dmaWords, pixels: st.pixels, primitives: st.primitives, buffers: this.buffersSeen, irqRaises: this.irqRaises, problems: this.problemCount },
      dropped: this.dropped,
    };
  }

  /** A dma-end: the newest kept buffer started before it at that address gets its outcome. */
  private ended(address: number, seq: number, outcome: 'complete' | 'aborted' | 'reset', primitives: number, pixels: number): void {
    let best: Slot | null = null;
    for (const s of this.slots) if (s.seq >= 0 && s.seq < seq && s.address === address && s.outcome === 'running' && (!best || s.seq > best.seq)) best = s;
    if (best) {
      best.outcome = outcome;
      best.primitives = primitives;
      best.pixels = pixels;
    }
  }
}

function keepLast<T>(a: T[], n: number): T[] {
  return a.length > n ? a.slice(a.length - n) : a;
}

/**
 * Samples `card` `hz` times a second and hands each snapshot to `onSnapshot` (the page puts it in the store).
 * Returns a stop function that also removes the trace tap.
 */
export function startSampling(card: Card, onSnapshot: (s: InspectorSnapshot) => void, hz = 4, options?: Partial<SamplerOptions>): () => void {
  const sampler = new CardSampler(card, options).attach();
  onSnapshot(sampler.sample());
  const timer = setInterval(() => onSnapshot(sampler.sample()), Math.max(50, 1000 / hz));
  return () => {
    clearInterval(timer);
    sampler.detach();
  };
}
