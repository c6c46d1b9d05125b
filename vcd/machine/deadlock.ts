// Naming a deadlock: a guest whose CPU stays in the kernel with interrupts disabled (EFLAGS.IF = 0) for longer than
// a bound is wedged (Linux never runs that long with interrupts off; the timer interrupt could not even tick). The
// host sees it between emulator slices without the guest's help, finds which module's code is to blame from the
// instruction pointer and the stack (the guest kernel keeps frame pointers), and names the function.
import { formatSymbol, type ModuleTable, type SymbolAt } from "./modules.ts";

/** The CPU as the host sees it between two slices. */
export interface CpuSample {
  /** Host time, ms. */
  ms: number;
  interruptsOn: boolean;
  /** Privilege level 0. */
  kernel: boolean;
  eip: number;
  esp: number;
  ebp: number;
  /** HLT with interrupts off: the CPU will never run again. */
  halted: boolean;
  /**
   * A count of the guest's accesses to the virtual hardware (the card's MMIO). A CPU with interrupts off that keeps
   * talking to the card is busy (a handler draining back-to-back completions), not stuck: the bound starts over.
   */
  progress?: number;
  /**
   * The guest's instruction counter. The bound is in host time, but a starved host (a CI runner, several machines on
   * two cores) runs the guest slowly: interrupts must also have stayed off for MIN_INSTRUCTIONS, which no Linux code
   * path does, so a slow host never makes a busy handler look stuck.
   */
  instructions?: number;
}

/**
 * Guest instructions run between two reads of v86's instruction counter, which is 32 bits and wraps every 4.3 G
 * instructions (a minute or two of guest time); a step back (a state restored in between) counts as none.
 */
export function instructionsBetween(before: number, after: number): number {
  const d = (after - before) >>> 0;
  return d < 2 ** 31 ? d : 0;
}

/** How long interrupts must stay off before the guest counts as wedged (ms of host time). */
export const DEFAULT_STUCK_MS = 1000;
/** And in how many samples at least (the host samples every 50 ms): one long slice is not enough. */
const MIN_SAMPLES = 5;
/** And over how many guest instructions (about half a second of an unloaded v86); a halted CPU needs none. */
export const MIN_INSTRUCTIONS = 50_000_000;

/** Decides from samples taken now and then whether the guest sits with interrupts off for good. */
export class StuckWatch {
  private since: number | null = null;
  private samples = 0;
  private fired = false;
  private progress: number | undefined;
  /** Guest instructions run in this episode so far, and the counter at the last sample. */
  private ran = 0;
  private lastInstructions: number | undefined;

  constructor(readonly boundMs = DEFAULT_STUCK_MS, readonly minInstructions = MIN_INSTRUCTIONS) {}

  /** True once per episode, when interrupts have been off in every sample for boundMs. */
  sample(s: CpuSample): boolean {
    if (s.interruptsOn || !s.kernel) {
      this.reset();
      return false;
    }
    if (this.since === null || s.progress !== this.progress) {
      this.since = s.ms;
      this.ran = 0;
      this.samples = 0;
      this.fired = false;
    } else if (s.instructions !== undefined && this.lastInstructions !== undefined) {
      // Summed from sample to sample: an episode across the counter's wrap must still reach the bound.
      this.ran += instructionsBetween(this.lastInstructions, s.instructions);
    }
    this.lastInstructions = s.instructions;
    this.progress = s.progress;
    this.samples++;
    if (this.fired || this.samples < MIN_SAMPLES || s.ms - this.since < this.boundMs) return false;
    if (!s.halted && s.instructions !== undefined && this.ran < this.minInstructions) return false;
    this.fired = true;
    return true;
  }

  /** Fire again at the next sample of this episode (the last one was not blamed on anything). */
  rearm(): void {
    this.fired = false;
  }

  /** How long interrupts have been off so far (ms), 0 when they are on. */
  offFor(now: number): number {
    return this.since === null ? 0 : now - this.since;
  }

  reset(): void {
    this.progress = undefined;
    this.lastInstructions = undefined;
    this.since = null;
    this.samples = 0;
    this.fired = false;
  }
}

/**
 * Code addresses on the kernel stack, innermost first: the return addresses of the frame-pointer chain from `ebp`,
 * then (for code that keeps no frame, and across the switch from the interrupt stack) every word from `esp` up
 * that `isCode` accepts.
 */
export function stackAddresses(read32: (va: number) => number | null, esp: number, ebp: number, isCode: (a: number) => boolean, scanBytes = 2048): number[] {
  const out: number[] = [];
  let fp = ebp >>> 0;
  for (let i = 0; i < 32 && fp; i++) {
    const next = read32(fp), ret = read32(fp + 4);
    if (next === null || ret === null) break;
    out.push(ret);
    // A frame lies above the one it called, on the same stack (8 KiB).
    if (next <= fp || next - fp > 0x2000) break;
    fp = next;
  }
  for (let a = esp >>> 0; a < (esp >>> 0) + scanBytes; a += 4) {
    const w = read32(a);
    if (w === null) break;
    if (isCode(w) && !out.includes(w)) out.push(w);
  }
  return out;
}

export interface DeadlockEvent {
  kind: "deadlock";
  /** One line, as a kernel message would say it. */
  line: string;
  /** The module to blame and its function (null when no module's code is on the stack). */
  module: string | null;
  symbol: string | null;
  offset: number;
  address: number;
  /** Where the CPU itself was: in the module, or in the kernel (spinning on a lock, say). */
  eip: number;
  /** The kernel symbol of eip when the CPU was in kernel code and the host could name it. */
  eipSymbol?: string;
  /** How long interrupts had been off when the host gave up (ms). */
  irqsOffMs: number;
  /** The CPU halted with interrupts off (nothing can ever wake it). */
  halted: boolean;
}

/** Blame the first module on the stack, the CPU's own position first. */
export function blame(s: CpuSample, modules: ModuleTable, read32: (va: number) => number | null, irqsOffMs: number): DeadlockEvent {
  const here = modules.lookup(s.eip);
  let culprit: SymbolAt | null = here;
  if (!culprit) {
    for (const a of stackAddresses(read32, s.esp, s.ebp, (w) => modules.inModule(w))) {
      // A return address points just after the call: name the caller by the call itself.
      const hit = modules.lookup((a - 1) >>> 0);
      if (hit) { culprit = { ...hit, offset: hit.offset + 1, address: a }; break; }
    }
  }
  const where = culprit ? formatSymbol(culprit) : `0x${(s.eip >>> 0).toString(16)} (no module's code on the stack)`;
  const how = s.halted ? "halted" : here ? "spinning" : `spinning in the kernel at 0x${(s.eip >>> 0).toString(16)}`;
  return {
    kind: "deadlock",
    line: `deadlock: interrupts off for ${(irqsOffMs / 1000).toFixed(1)} s in ${where}, ${how}`,
    module: culprit?.module ?? null,
    symbol: culprit?.symbol ?? null,
    offset: culprit?.offset ?? 0,
    address: culprit?.address ?? s.eip >>> 0,
    eip: s.eip >>> 0,
    irqsOffMs,
    halted: s.halted,
  };
}

/** Put the kernel's name for the CPU's position into the event's line once it is known. */
export function withKernelSymbol(e: DeadlockEvent, eipSymbol: string | undefined): DeadlockEvent {
  if (!eipSymbol || e.halted) return e;
  return { ...e, eipSymbol, line: e.line.replace(`spinning in the kernel at 0x${e.eip.toString(16)}`, `spinning in ${eipSymbol}`) };
}
