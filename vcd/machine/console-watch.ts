// Watches the kernel console for oopses, panics and warnings, and keeps its tail for error reports.
import type { DeadlockEvent } from "./deadlock.ts";

export type KernelEvent =
  | { kind: "oops"; line: string }
  | { kind: "panic"; line: string }
  | { kind: "warning"; line: string }
  /** Not from the console: the host saw the CPU stuck with interrupts off (see deadlock.ts). */
  | DeadlockEvent;

const PATTERNS: Array<["panic" | "oops" | "warning", RegExp]> = [
  ["panic", /Kernel panic - not syncing/],
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
    for (const [kind, re] of PATTERNS) {
      if (re.test(line)) {
        this.onEvent({ kind, line: line.replace(/^\[\s*\d+\.\d+\]\s*/, "") });
        return;
      }
    }
  }

  /** The last lines printed on the console. */
  text(): string {
    return this.tail + this.line;
  }
}
