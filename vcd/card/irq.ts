/**
 * Interrupt flags, the level line and guest-problem reporting.
 * Line = (IntFlags & IntEnable) != 0; the host is told only about changes.
 */
import type { ErrorRole } from './definition.ts';
import type { CardHost } from './host.ts';
import type { Layout } from './layout.ts';
import type { ProblemClass, TraceRing } from './trace.ts';

export class Interrupts {
  private readonly flagsIx: number;
  private readonly enableIx: number;
  private readonly errorsIx: number;
  private readonly errorIrq: number;
  level = false;

  constructor(
    private readonly layout: Layout,
    /** The register file's value array (IntFlags, IntEnable and ErrorFlags live there). */
    private readonly regs: Uint32Array,
    private readonly host: CardHost,
    private readonly trace: TraceRing,
  ) {
    this.flagsIx = layout.reg('intFlags').index;
    this.enableIx = layout.reg('intEnable').index;
    this.errorsIx = layout.reg('errorFlags').index;
    this.errorIrq = layout.irq('error');
  }

  get flags(): number {
    return this.regs[this.flagsIx]!;
  }

  /** Latch interrupt flag bits (a mask from layout.irq()). */
  raise(mask: number): void {
    this.regs[this.flagsIx] = (this.regs[this.flagsIx]! | mask) >>> 0;
    this.update();
  }

  /** Recompute the line after IntFlags or IntEnable changed. */
  update(): void {
    const pending = (this.regs[this.flagsIx]! & this.regs[this.enableIx]!) >>> 0;
    const level = pending !== 0;
    if (level === this.level) return;
    this.level = level;
    this.trace.push({ kind: level ? 'irq-raise' : 'irq-lower', pending });
    this.host.setIrqLevel(level);
  }

  /**
   * A guest mistake (or an unmodelled feature) the real chip reports in ErrorFlags: set the bit,
   * set IntFlags.Error, and explain in the trace what the driver probably did wrong.
   */
  error(role: ErrorRole, cls: ProblemClass, register: string, value: number, message: string): void {
    const bit = this.layout.err(role);
    this.regs[this.errorsIx] = (this.regs[this.errorsIx]! | bit) >>> 0;
    this.trace.pushProblem({ kind: cls, register, value: value >>> 0, error: this.layout.errName(bit), message });
    this.raise(this.errorIrq);
  }

  /** A problem worth showing that the chip does not flag (no ErrorFlags bit). */
  notice(cls: ProblemClass, register: string, value: number, message: string): void {
    this.trace.pushProblem({ kind: cls, register, value: value >>> 0, error: '', message });
  }

  /** After loading a state: recompute the line and tell the host unconditionally. */
  resync(): void {
    this.level = ((this.regs[this.flagsIx]! & this.regs[this.enableIx]!) >>> 0) !== 0;
    this.host.setIrqLevel(this.level);
  }
}
