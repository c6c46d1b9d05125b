// When an interrupt a device raised reaches the CPU. v86 runs the guest in slices of about 1 ms; device handlers
// (MMIO, ports) run inside a slice, and an interrupt line must never change inside one of them (v86 would vector the
// interrupt in the middle of a JIT block). What is left to choose is which instruction boundary after the handler
// gets the interrupt:
//   prompt       the end of the slice (thousands of instructions after the write that caused it), as always;
//   adversarial  the first boundary v86 can offer after the handler: the end of the code block that made the
//                access, so a driver that still holds, with interrupts on, a lock its handler takes meets it at once;
//   random       a seeded, reproducible choice per interrupt between the two.
// This file holds the policy and knows nothing of v86: the adapter feeds it and gives it a Backend.

export type IrqTiming = "prompt" | "adversarial" | "random";
export const IRQ_TIMINGS: readonly IrqTiming[] = ["prompt", "adversarial", "random"];

/** What the policy needs of the emulator. */
export interface IrqBackend {
  /** Drive a PIC line now, at an instruction boundary (the CPU takes it at once when IF=1). */
  setLine(line: number, level: boolean): void;
  /** Make the CPU stop at the end of the code block it is running and call `boundary()` (adversarial/random only). */
  requestBoundary(): void;
  /** The guest's instruction counter (wrapping u32). */
  instructions(): number;
  /** Run `cb` once the current slice has returned (a microtask). */
  afterSlice(cb: () => void): void;
}

/** Random mode: a quarter of the interrupts come at the first boundary, the rest after up to this many instructions. */
export const RANDOM_SPAN = 300_000;
export const RANDOM_IMMEDIATE = 0.25;

/** mulberry32: a small seeded PRNG, so a seed gives the same delays on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Held { level: boolean; due: number; at: number }

export class IrqScheduler {
  mode: IrqTiming = "prompt";
  seed = 0;
  private rand = prng(0);
  /** Raises held for a boundary (non-prompt modes): line → when it is due (instructions after `at`). */
  private readonly held = new Map<number, Held>();
  /** Line changes waiting for the slice to end (the prompt path, and the fallback of the others). */
  private readonly pending = new Map<number, boolean>();
  private flushQueued = false;
  /** True while the CPU runs a slice (set by the adapter around v86's main loop, non-prompt modes only). */
  inSlice = false;
  /** Interrupts delivered at a boundary inside a slice, and how many instructions after their raise (for tests and stats). */
  readonly stats = { early: 0, late: 0, lastDelay: 0 };

  constructor(private readonly backend: IrqBackend) {}

  setMode(mode: IrqTiming, seed = 0): void {
    if (!IRQ_TIMINGS.includes(mode)) throw new Error(`unknown interrupt timing "${mode}" (one of ${IRQ_TIMINGS.join(", ")})`);
    this.mode = mode;
    this.seed = seed >>> 0;
    this.rand = prng(this.seed);
  }

  /** A device set a line. Lowering is the caller's business (it is immediate and never delivers anything). */
  raise(line: number): void {
    if (this.mode !== "prompt" && this.inSlice) {
      const delay = this.mode === "adversarial" || this.rand() < RANDOM_IMMEDIATE ? 0 : Math.floor(this.rand() * RANDOM_SPAN);
      if (!this.held.has(line)) this.held.set(line, { level: true, due: delay, at: this.backend.instructions() });
      if (delay === 0) this.backend.requestBoundary();
      this.later(line, true); // the end of the slice is the latest it may come
      return;
    }
    this.later(line, true);
  }

  /** The line went down before its raise was delivered: forget the raise. */
  cancel(line: number): void {
    this.held.delete(line);
    this.pending.delete(line);
  }

  /** Queue a line change for the end of the slice (what prompt does with every raise). */
  later(line: number, level: boolean): void {
    this.pending.set(line, level);
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.backend.afterSlice(() => this.flush());
  }

  /** The CPU stopped between two code blocks (v86 is about to look for interrupts): deliver what is due. */
  boundary(): void {
    if (!this.held.size) return;
    const now = this.backend.instructions();
    for (const [line, h] of this.held) {
      const ran = (now - h.at) >>> 0;
      if (ran < h.due) continue;
      this.held.delete(line);
      if (this.pending.get(line) !== true) continue; // lowered meanwhile
      this.pending.delete(line);
      this.stats.early++;
      this.stats.lastDelay = ran;
      this.backend.setLine(line, h.level);
    }
  }

  /** The slice ended: everything still waiting goes now. */
  flush(): void {
    this.flushQueued = false;
    if (this.held.size) { this.stats.late += this.held.size; this.held.clear(); }
    // No cache of line levels here: after a restore the PIC's state is the truth; raising a raised line changes
    // nothing in v86's PIC.
    for (const [n, lvl] of this.pending) this.backend.setLine(n, lvl);
    this.pending.clear();
  }

  /** Raises waiting for a boundary (non-prompt modes). */
  get waiting(): number {
    return this.held.size;
  }
}
