/**
 * Tag-word decoder shared by the FIFO window and the DMA engine. Feed it one 32-bit word at a
 * time; it tracks HOLD / INCREMENT / INDEXED headers and names the register each data word is for.
 */
import { rangeMask, rangeMaskShifted } from './definition.ts';
import type { Layout } from './layout.ts';

export const Decoded = {
  /** The word was a header (no register write). */
  Header: 0,
  /** The word is data for register `decoder.tag`. */
  Data: 1,
  /** The word is a malformed header (reserved bits or mode 3); state is reset. */
  Malformed: 2,
} as const;
export type Decoded = (typeof Decoded)[keyof typeof Decoded];

export interface DecoderState {
  mode: number;
  tag: number;
  remaining: number;
  mask: number;
}

export class TagDecoder {
  private readonly tagShift: number;
  private readonly tagMask: number;
  private readonly reservedMask: number;
  private readonly modeShift: number;
  private readonly modeMask: number;
  private readonly countShift: number;
  private readonly countMask: number;
  private readonly hold: number;
  private readonly increment: number;
  private readonly indexed: number;
  private readonly groupShift: number;

  /** Current mode (valid while remaining > 0). */
  mode = 0;
  /** Register named by the header (INCREMENT: the next register). */
  tag = 0;
  /** Data words still expected by the current header. */
  remaining = 0;
  /** INDEXED: registers still to be written (bit i = group register i). */
  mask = 0;

  constructor(layout: Layout) {
    const f = layout.variant.tagFormat;
    this.tagShift = f.tag[1];
    this.tagMask = rangeMask(f.tag);
    this.reservedMask = rangeMaskShifted(f.reserved);
    this.modeShift = f.mode[1];
    this.modeMask = rangeMask(f.mode);
    this.countShift = f.count[1];
    this.countMask = rangeMask(f.count);
    this.hold = f.modes.hold;
    this.increment = f.modes.increment;
    this.indexed = f.modes.indexed;
    this.groupShift = f.indexedGroupShift;
  }

  /** Register the last Data word is for. */
  out = 0;

  feed(word: number): Decoded {
    if (this.remaining === 0) return this.header(word);
    this.remaining--;
    if (this.mode === this.indexed) {
      const low = this.mask & -this.mask;
      this.out = ((this.tag >>> this.groupShift) << this.groupShift) | (31 - Math.clz32(low));
      this.mask ^= low;
    } else {
      this.out = this.tag;
      if (this.mode === this.increment) this.tag = (this.tag + 1) & this.tagMask;
    }
    return Decoded.Data;
  }

  private header(word: number): Decoded {
    const mode = (word >>> this.modeShift) & this.modeMask;
    if (word & this.reservedMask || (mode !== this.hold && mode !== this.increment && mode !== this.indexed)) {
      this.remaining = 0;
      return Decoded.Malformed;
    }
    this.mode = mode;
    this.tag = (word >>> this.tagShift) & this.tagMask;
    const count = (word >>> this.countShift) & this.countMask;
    if (mode === this.indexed) {
      this.mask = count;
      this.remaining = popcount(count);
    } else {
      this.remaining = count + 1;
    }
    return Decoded.Header;
  }

  reset(): void {
    this.remaining = 0;
    this.mask = 0;
  }

  save(): DecoderState {
    return { mode: this.mode, tag: this.tag, remaining: this.remaining, mask: this.mask };
  }

  load(s: DecoderState): void {
    this.mode = s.mode;
    this.tag = s.tag;
    this.remaining = s.remaining;
    this.mask = s.mask;
  }
}

function popcount(x: number): number {
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}
