/** Register storage with the access rules of the compiled definition (RO, RW, WO, W1C). */
import type { Layout } from './layout.ts';

export class RegisterFile {
  readonly values: Uint32Array;

  constructor(private readonly layout: Layout) {
    this.values = new Uint32Array(layout.registers.length);
    this.reset();
  }

  reset(): void {
    for (const r of this.layout.registers) this.values[r.index] = r.reset;
  }

  /** Stored value as the guest sees it (write-only bits read 0). */
  read(index: number): number {
    return (this.values[index]! & ~this.layout.registers[index]!.hiddenMask) >>> 0;
  }

  /** Applies a guest write. Returns false when the register has no writable bit (read-only). */
  write(index: number, value: number): boolean {
    const r = this.layout.registers[index]!;
    const old = this.values[index]!;
    this.values[index] = (((old & ~r.writeMask) | (value & r.writeMask)) & ~(value & r.w1cMask)) >>> 0;
    return (r.writeMask | r.w1cMask) !== 0;
  }

  save(): number[] {
    return Array.from(this.values);
  }

  load(s: number[]): void {
    this.values.set(s.slice(0, this.values.length));
  }
}
