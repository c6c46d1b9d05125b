/**
 * Typed trace of card events in a fixed-capacity ring buffer.
 *
 * Events are small plain objects, created only for MMIO accesses, DMA start/end, interrupts,
 * errors, syncs and primitives: never per FIFO data word. When the ring is disabled (capacity 0
 * or a kind switched off) nothing is allocated.
 */

/** Where a problem comes from (QEMU: LOG_GUEST_ERROR / LOG_UNIMP / internal). */
export type ProblemClass = 'guest-error' | 'unimplemented' | 'internal';

interface EventBase {
  /** Monotonic sequence number. */
  seq: number;
  /** Simulated time of the card, nanoseconds. */
  timeNs: number;
}

export interface MmioReadEvent extends EventBase {
  kind: 'mmio-read';
  bar: number;
  offset: number;
  /** Register or window name from the variant ('' if nothing is there). */
  register: string;
  value: number;
}

export interface MmioWriteEvent extends EventBase {
  kind: 'mmio-write';
  bar: number;
  offset: number;
  register: string;
  value: number;
  /** Field values decoded by name (empty when the register has no fields). */
  fields: Readonly<Record<string, number>>;
}

export interface DmaStartEvent extends EventBase {
  kind: 'dma-start';
  address: number;
  count: number;
}

export interface DmaEndEvent extends EventBase {
  kind: 'dma-end';
  address: number;
  /** Words fetched. */
  words: number;
  /** 'complete': DMACount reached 0 normally; 'aborted': an error dropped the rest; 'reset'. */
  outcome: 'complete' | 'aborted' | 'reset';
  /** Primitives started and pixels written while this buffer was being fetched. */
  primitives: number;
  pixels: number;
}

export interface IrqEvent extends EventBase {
  kind: 'irq-raise' | 'irq-lower';
  /** IntFlags & IntEnable at the change. */
  pending: number;
}

export interface ProblemEvent extends EventBase {
  kind: ProblemClass;
  /** Register, tag or window involved. */
  register: string;
  value: number;
  /** ErrorFlags bit name that was set ('' if none). */
  error: string;
  /** What happened and what a driver probably did wrong. */
  message: string;
}

export interface SyncEvent extends EventBase {
  kind: 'sync';
  data: number;
  /** Words pushed to the output FIFO. */
  pushed: number;
  interrupt: boolean;
}

export interface RenderEvent extends EventBase {
  kind: 'render';
  primitive: 'trapezoid' | 'rectangle' | 'continue';
  /** Raw Render (or Continue*) word. */
  command: number;
  lines: number;
}

export type TraceEvent =
  | MmioReadEvent
  | MmioWriteEvent
  | DmaStartEvent
  | DmaEndEvent
  | IrqEvent
  | ProblemEvent
  | SyncEvent
  | RenderEvent;

export type TraceKind = TraceEvent['kind'];

/** Distributes Omit over the union so each event keeps its own fields. */
export type TraceInput = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'timeNs'> : never) : never;

export const ALL_TRACE_KINDS: readonly TraceKind[] = [
  'mmio-read', 'mmio-write', 'dma-start', 'dma-end', 'irq-raise', 'irq-lower',
  'guest-error', 'unimplemented', 'internal', 'sync', 'render',
];

export class TraceRing {
  readonly capacity: number;
  private readonly ring: (TraceEvent | undefined)[];
  private head = 0;
  private seq = 0;
  /** 'render' (one event per primitive) is off by default: enable it with setEnabled('render', true). */
  private readonly enabled = new Set<TraceKind>(ALL_TRACE_KINDS.filter((k) => k !== 'render'));
  /** Supplies the timestamp (the card's simulated clock). */
  clock: () => number = () => 0;
  /** Told of each event as it is recorded (the inspector's sampler copies DMA buffers at dma-start); keep it cheap. */
  tap: ((ev: TraceEvent) => void) | null = null;

  constructor(capacity: number) {
    this.capacity = Math.max(0, capacity | 0);
    this.ring = new Array<TraceEvent | undefined>(this.capacity).fill(undefined);
  }

  /** Cheap test for callers that would have to build an event. */
  wants(kind: TraceKind): boolean {
    return this.capacity > 0 && this.enabled.has(kind);
  }

  /** Switch kinds on or off (e.g. mmio-read is noisy while a driver polls). */
  setEnabled(kind: TraceKind, on: boolean): void {
    if (on) this.enabled.add(kind);
    else this.enabled.delete(kind);
  }

  push(ev: TraceInput): void {
    if (!this.wants(ev.kind)) return;
    const full = ev as TraceEvent;
    full.seq = this.seq++;
    full.timeNs = this.clock();
    this.ring[this.head] = full;
    this.head = (this.head + 1) % this.capacity;
    if (this.tap !== null) this.tap(full);
  }

  /**
   * The card's last problems (guest errors, unmodelled features), kept whether or not the ring records them: they
   * are few, and each is what a student or a grader needs to see. `problemCount` numbers them (`n`).
   */
  readonly problems: Array<Omit<ProblemEvent, 'seq'> & { n: number }> = [];
  problemCount = 0;

  pushProblem(ev: Omit<ProblemEvent, 'seq' | 'timeNs'>): void {
    this.problems.push({ ...ev, n: ++this.problemCount, timeNs: this.clock() });
    if (this.problems.length > 64) this.problems.shift();
    this.push(ev);
  }

  /** Events oldest first; with `since`, only events whose seq >= since. */
  events(since = 0): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const ev = this.ring[(this.head + i) % this.capacity];
      if (ev && ev.seq >= since) out.push(ev);
    }
    return out;
  }

  /** Sequence number the next event will get. */
  get nextSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
  }
}
