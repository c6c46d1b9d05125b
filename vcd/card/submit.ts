/**
 * Hands a command stream to a card the way its variant wants it (tests, replays): by one DMA buffer
 * (address, then count) or through a command ring set up to hold exactly this stream (base, size, tail).
 */
import type { Card } from './card.ts';
import { layoutOf } from './layout.ts';

/** Copies `words` to guest RAM at `addr` and starts fetching them. Ring variants use RAM up to addr + 4 × (n + 1). */
export function submitWords(card: Card, ram: Uint8Array, addr: number, words: Uint32Array): void {
  const v = card.variant, l = layoutOf(v);
  const bar = v.bars.find((b) => b.kind === 'registers')!.index;
  new Uint32Array(ram.buffer, ram.byteOffset + addr, words.length).set(words);
  if (v.behaviour.commands === 'ring') {
    card.mmioWrite32(bar, l.reg('ringBase').def.offset, addr);
    card.mmioWrite32(bar, l.reg('ringSize').def.offset, words.length + 1);
    card.mmioWrite32(bar, l.reg('ringTail').def.offset, words.length);
  } else {
    card.mmioWrite32(bar, l.reg('dmaAddress').def.offset, addr);
    card.mmioWrite32(bar, l.reg('dmaCount').def.offset, words.length);
  }
}

/** Largest stream one submitWords call takes. */
export function maxSubmitWords(card: Card): number {
  return card.variant.dma.maxCount - (card.variant.behaviour.commands === 'ring' ? 1 : 0);
}
