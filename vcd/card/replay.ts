/**
 * Reference rendering: the card model's own rendering of a command stream, for comparing what a driver made
 * the card draw (tests, grading). The stream runs by input DMA (or the command ring) on a fresh model that starts from a given card
 * state (the engine set-up a driver did through registers), in burst mode, to completion.
 */
import { Card, type CardState } from './card.ts';
import type { CardVariant } from './definition.ts';
import { maxSubmitWords, submitWords } from './submit.ts';
import { framebufferToRgba, type FramebufferView } from './png.ts';

export interface ReplayOptions {
  /** Start from this state (registers, mode); its VRAM is replaced by `vram` or cleared. */
  state?: CardState;
  vram?: Uint8Array;
}

export function replayStream(variant: CardVariant, words: Uint32Array, o: ReplayOptions = {}): Card {
  const ram = new Uint8Array(Math.max(words.length * 4 + 0x1000, 0x10000));
  const card = new Card(variant, { guestRam: () => ram, setIrqLevel: () => {} }, { burst: true, traceCapacity: 256 });
  if (o.state) card.loadState(o.state);
  card.vram.fill(0);
  if (o.vram) card.vram.set(o.vram.subarray(0, card.vram.length));
  const max = maxSubmitWords(card);
  for (let at = 0; at < words.length; at += max) {
    const chunk = words.subarray(at, Math.min(words.length, at + max));
    submitWords(card, ram, 0x1000, chunk);
    for (let guard = 0; card.busy && guard < 1e6; guard++) card.advance(1e9);
  }
  return card;
}

/** Pixels that differ between two framebuffers seen through the same view (RGBA compared). */
export function framebufferDiff(a: Uint8Array, b: Uint8Array, view: FramebufferView): { differing: number; total: number; first?: { x: number; y: number } } {
  const pa = framebufferToRgba(a, view), pb = framebufferToRgba(b, view);
  let differing = 0;
  let first: { x: number; y: number } | undefined;
  for (let i = 0; i < pa.length; i += 4) {
    if (pa[i] !== pb[i] || pa[i + 1] !== pb[i + 1] || pa[i + 2] !== pb[i + 2]) {
      if (!differing) first = { x: (i >> 2) % view.width, y: Math.floor((i >> 2) / view.width) };
      differing++;
    }
  }
  return { differing, total: view.width * view.height, first };
}
