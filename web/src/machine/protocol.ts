// What the page and the machine's worker say to each other. The machine (v86, the card, the guest agent) runs in a
// dedicated Worker (worker.ts) so the guest's compiles and the card's rendering never hold up the editor; the page
// holds a RemoteMachine (remote.ts) with the same calls, answered by messages. Everything here is plain data.
import type { CardVariant } from "../../../vcd/card/definition.ts";
import type { DisplayInfo } from "../../../vcd/card/card.ts";
import type { InspectorSnapshot } from "../../../vcd/card/telemetry.ts";
import type { KernelEvent } from "../../../vcd/machine/console-watch.ts";
import type { DiskPrefetchResult, ExecResult } from "../../../vcd/machine/machine.ts";
import type { Flavour } from "../../../vcd/machine/flavour.ts";
import type { IrqTiming } from "../../../vcd/machine/irq-timing.ts";

/** What the page asks the worker to start: the guest's folder on the site, the card, the kernel it expects. */
export interface StartRequest {
  base: string;
  variant: CardVariant;
  flavour?: Flavour;
  /** Guest pages per compiled module of v86's JIT (see Emulator.setJitMaxPages); v86's default when absent. */
  jitMaxPages?: number;
}

/** The disk prefetch as the page may see it (its ranges, for tests of it). */
export interface PrefetchInfo {
  bytes: number;
  packedBytes: number;
  ranges: Array<[number, number]>;
}

/** The card's counters and host cost, its recorded problems, and whether DMA is running. */
export interface CardStatus {
  stats: { dmaWords: number; pixels: number; primitives: number };
  cost: { simulateMs: number; steps: number; irqRaises: number; mmio: number };
  busy: boolean;
  problemCount: number;
}

/** A problem the card recorded (numbered from 1), with the sentence for the driver's author. */
export interface CardProblem { n: number; kind: string; register: string; error: string; message: string }

/** The calls a RemoteMachine forwards, with their arguments and results. */
export interface Calls {
  exec(command: string, options: { timeout?: number; cwd?: string; stream?: boolean }): ExecResult;
  putFile(path: string, data: Uint8Array | string): void;
  getFile(path: string): Uint8Array;
  removeFile(path: string): void;
  listFiles(): string[];
  recover(): void;
  consoleTail(): string;
  diskBytesFetched(): number;
  setIrqTiming(mode: IrqTiming, seed: number): void;
  barAddress(fn: number, bar: number): number;
  peekRegister(index: number): number;
  card(): CardStatus;
  cardProblems(since: number): CardProblem[];
}
export type CallName = keyof Calls;

/** A frame of the card's screen: the visible rows only (`pixels` starts at the screen's base). */
export interface ScreenFrame extends DisplayInfo {
  pixels: ArrayBuffer;
  generation: number;
}

export type ToWorker =
  | { t: "start"; req: StartRequest }
  | { t: "call"; id: number; name: CallName; args: unknown[] }
  | { t: "console"; data: string }
  /** The page drew the last frame: the worker may send the next (one in flight at a time). */
  | { t: "frame-done" }
  | { t: "sampling"; on: boolean; hz: number };

export type FromWorker =
  | { t: "progress"; phase: string; fraction?: number; bytes?: number; total?: number; background?: boolean }
  | { t: "started"; bootMs: number; flavour: Flavour; prefetch: PrefetchInfo | null }
  | { t: "failed"; message: string }
  | { t: "return"; id: number; value?: unknown; error?: string }
  | { t: "stdout"; id: number; text: string }
  | { t: "console"; bytes: Uint8Array }
  | { t: "kernel"; e: KernelEvent }
  | { t: "recovered" }
  | { t: "prefetched"; result: DiskPrefetchResult }
  /** Twice a second: the guest's instruction counter (a wrapping u32) and the card's counters. */
  | { t: "tick"; instructions: number; stats: CardStatus["stats"] }
  /** The card entered or left a video mode ("text" when it has none, so the VGA console shows). */
  | { t: "mode"; mode: string }
  | { t: "frame"; frame: ScreenFrame }
  /** v86's VGA text console, row by row, when it changed. */
  | { t: "text"; rows: string[] }
  | { t: "snapshot"; s: InspectorSnapshot };
