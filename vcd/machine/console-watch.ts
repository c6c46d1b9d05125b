// Watches the kernel console for oopses, panics and warnings, and keeps its tail for error reports.
import type { DeadlockEvent } from "./deadlock.ts";

/**
 * The kernel's bug detectors (the course kernel has them on; guest-image/kernel/course.config), and the lab's own
 * check for an interrupt handler left behind by an unloaded module (kmod/vgpu, both kernels).
 */
export type Detector = "lockdep" | "might-sleep" | "spinlock" | "kmemleak" | "dma-api" | "ubsan" | "objects" | "lockup" | "hung-task" | "irq-left";

export type KernelEvent =
  /** A detector's report: the kernel goes on (nothing is restored), the driver has a bug it named. */
  | { kind: "report"; detector: Detector; line: string }
  | { kind: "oops"; line: string }
  | { kind: "panic"; line: string }
  | { kind: "warning"; line: string }
  /** Not from the console: the host saw the CPU stuck with interrupts off (see deadlock.ts). */
  | DeadlockEvent;

/** Each detector's first line, as the kernel prints it. Checked before oops: some detectors say "BUG: " too. */
export const DETECTORS: Array<[Detector, RegExp]> = [
  ["lockdep", /WARNING: (inconsistent lock state|possible (recursive locking|circular locking dependency|irq lock inversion dependency) detected|\S+-safe -> \S+-unsafe lock order detected|bad unlock balance detected|held lock freed|lock held when returning to user space|suspicious RCU usage)/],
  ["might-sleep", /BUG: (sleeping function called from invalid context|scheduling while atomic)/],
  ["spinlock", /BUG: (spinlock|rwlock) (recursion|bad magic|already unlocked|wrong owner|wrong CPU|lockup suspected)/],
  ["kmemleak", /kmemleak: \d+ new suspected memory leaks?/],
  ["dma-api", /DMA-API: /],
  ["ubsan", /UBSAN: /],
  ["objects", /ODEBUG: /],
  ["lockup", /BUG: soft lockup|rcu: INFO: rcu_\w+ (self-)?detected stall/],
  ["hung-task", /INFO: task .+ blocked for more than \d+ seconds/],
  ["irq-left", /vgpu: \S+ left a handler on IRQ \d+/],
];

const PANIC = /Kernel panic - not syncing/;
const PATTERNS: Array<["oops" | "warning", RegExp]> = [
  // The kernel's own spelling only: a shell line that mentions oops.c or greps for "oops" is not an oops.
  ["oops", /\b(Oops: |BUG: |general protection fault|unable to handle (kernel )?(paging request|NULL pointer dereference))/],
  ["warning", /WARNING: CPU: \d+ PID: \d+|WARNING: .* at .*\+0x/],
];

export class ConsoleWatch {
  private tail = "";
  private line = "";
  constructor(private readonly onEvent: (e: KernelEvent) => void, private readonly tailSize = 16384) {}

  push(byte: number): void {
    const c = String.fromCharCode(byte);
    if (c === "\n") {
      this.tail = (this.tail + this.line + "\n").slice(-this.tailSize);
      this.check(this.line);
      this.line = "";
    } else if (c !== "\r") {
      this.line += c;
      if (this.line.length > 4096) this.line = this.line.slice(-4096);
    }
  }

  private check(line: string): void {
    if (PANIC.test(line)) {
      this.onEvent({ kind: "panic", line: stamp(line) });
      return;
    }
    for (const [detector, re] of DETECTORS) {
      if (re.test(line)) {
        this.onEvent({ kind: "report", detector, line: stamp(line) });
        return;
      }
    }
    for (const [kind, re] of PATTERNS) {
      if (re.test(line)) {
        this.onEvent({ kind, line: stamp(line) });
        return;
      }
    }
  }

  /** The last lines printed on the console. */
  text(): string {
    return this.tail + this.line;
  }
}

/** A console line without its printk time stamp. */
function stamp(line: string): string {
  return line.replace(/^\[\s*\d+\.\d+\]\s*/, "");
}
