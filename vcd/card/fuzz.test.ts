/**
 * Fuzz: 1,000,000 short random DMA buffers (random words, random headers, mutated valid streams)
 * must never throw and every advance() must stay within its work bound.
 */
import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import { layoutOf } from './layout.ts';
import { StreamBuilder } from './stream.ts';
import { Rig, VARIANTS } from './test-helpers.ts';

const BUFFERS = 1_000_000;
const MAX_WORK = 2000;
/** A scanline may finish after the budget runs out: one line of at most 4096 pixels + 1. */
const SLACK = 4097;

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

it(`fuzz: ${BUFFERS} random DMA buffers never throw and never exceed the work bound`, () => {
  let total = 0;
  let maxSeen = 0;
  for (const variant of VARIANTS) {
    const rand = xorshift(0x9e3779b9 ^ variant.id.length);
    const rig = new Rig(variant, { maxWorkPerAdvance: MAX_WORK, traceCapacity: 64 }, 1 << 16);
    const card = rig.card;
    const ram32 = new Uint32Array(rig.host.ram.buffer);
    const l = layoutOf(variant);
    const known = variant.tags.map((t) => t.tag);
    const sb = new StreamBuilder(variant);
    sb.setupFramebuffer({ readPixel: 2, pitch: 640 });
    sb.gouraudTriangle({ x: 10, y: 5, r: 255, g: 0, b: 0 }, { x: 100, y: 40, r: 0, g: 255, b: 0 }, { x: 30, y: 90, r: 0, g: 0, b: 255 });
    sb.rectangle(3, 4, 50, 20, { fastFill: 0xff00ff });
    sb.rectangle(3, 4, 20, 20, { color: 0xff });
    sb.sync(true);
    const valid = sb.words();
    const addrOff = l.reg('dmaAddress').def.offset, countOff = l.reg('dmaCount').def.offset;
    const intEnableOff = l.reg('intEnable').def.offset;
    card.mmioWrite32(0, intEnableOff, 0xffffffff);
    const perVariant = BUFFERS / VARIANTS.length;
    for (let i = 0; i < perVariant; i++) {
      const len = 1 + (rand() % 12);
      const base = (rand() % 8192) & ~3;
      const kind = rand() % 4;
      for (let k = 0; k < len; k++) {
        let w: number;
        if (kind === 0) w = rand();
        else if (kind === 1) w = k % 2 === 0 ? sb.header(known[rand() % known.length]!, (['hold', 'increment', 'indexed'] as const)[rand() % 3]!, rand() & 0xf) : rand();
        else {
          w = valid[(base / 4 + k) % valid.length]!;
          if (rand() % 4 === 0) w ^= 1 << (rand() % 32);
        }
        ram32[base / 4 + k] = w;
      }
      const r = rand() % 64;
      const addr = r === 0 ? rand() : base;
      const count = r === 1 ? rand() : r === 2 ? len + (rand() % 64) : len;
      card.mmioWrite32(0, addrOff, addr);
      card.mmioWrite32(0, countOff, count);
      for (let a = 0; a < 3 && card.busy; a++) {
        card.advance(rand() % 20000);
        if (card.lastWork > maxSeen) maxSeen = card.lastWork;
        assert.ok(card.lastWork <= MAX_WORK + SLACK, `advance did ${card.lastWork} units`);
      }
      if (card.busy || rand() % 16 === 0) card.mmioWrite32(0, l.reg('resetStatus').def.offset, 0);
      if (rand() % 32 === 0) card.mmioRead32(0, variant.windows.fifo.offset);
      if (rand() % 256 === 0) card.mmioWrite32(0, (rand() % 0x10000) & ~3, rand());
      total++;
    }
    assert.ok(card.trace.events().length > 0, 'errors were traced');
    assert.ok(card.stats.dmaWords > perVariant, `DMA fetched ${card.stats.dmaWords} words`);
    assert.ok(card.stats.primitives > 1000 && card.stats.pixels > 0, `primitives ${card.stats.primitives}, pixels ${card.stats.pixels}`);
  }
  assert.equal(total, BUFFERS);
  assert.ok(maxSeen > 0);
});
