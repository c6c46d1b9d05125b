/**
 * A driver-shaped loop, as in the paper's benchmark: many Gouraud triangles through two ping-pong
 * DMA buffers, the next buffer started from the "interrupt handler" when the DMA flag rises, a final
 * Sync interrupt. Timed (non-burst) and burst runs must produce the same image.
 */
import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import { StreamBuilder } from './stream.ts';
import { ALL_VARIANTS, fnv1a, Rig } from './test-helpers.ts';

const TRIANGLES = 3000;
const PER_BUFFER = 100;

function drive(rig: Rig): { irqs: number; simNs: number } {
  const sb = new StreamBuilder(rig.variant);
  const buffers: Uint32Array[] = [];
  sb.setupFramebuffer({ readPixel: 2, pitch: 1024 });
  let s = 7;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % 900);
  for (let i = 0; i < TRIANGLES; i++) {
    const x = rnd(), y = rnd() % 700, h = 20 + (i % 5) * 20;
    sb.gouraudTriangle({ x, y, r: 255, g: 0, b: 0 }, { x: x + h, y: y + h / 2, r: 0, g: 255, b: 0 }, { x: x + h / 3, y: y + h, r: 0, g: 0, b: 255 });
    if ((i + 1) % PER_BUFFER === 0) {
      buffers.push(sb.words());
      sb.clear();
    }
  }
  sb.sync(true);
  buffers.push(sb.words());

  const addr = [0x10000, 0x50000];
  rig.write('intEnable', rig.irq('dma') | rig.irq('sync') | rig.irq('error'));
  let next = 0, irqs = 0, synced = false;
  const start = (): void => {
    const words = buffers[next]!;
    const a = addr[next % 2]!;
    rig.dma(words, a);
    next++;
  };
  start();
  let level = false;
  for (let guard = 0; !synced && guard < 1e7; guard++) {
    const wait = rig.card.advance(2_000);
    if (rig.host.level && !level) {
      irqs++;
      const flags = rig.ackIrq(rig.read('intEnable'));
      assert.equal(flags & rig.irq('error'), 0, 'no errors');
      if (flags & rig.irq('dma') && next < buffers.length) {
        assert.equal(rig.fetching(), false, 'DMA irq means everything was fetched (DMACount == 0, RingHead == RingTail)');
        start();
      }
      if (flags & rig.irq('sync')) synced = true;
    }
    level = rig.host.level;
    assert.ok(wait >= 0);
  }
  assert.ok(synced, 'the final Sync interrupt arrived');
  return { irqs, simNs: rig.card.timeNs };
}

for (const variant of ALL_VARIANTS) {
  it(`ping-pong DMA of ${TRIANGLES} Gouraud triangles, timed and burst, same image (${variant.id})`, () => {
    const timed = new Rig(variant, {}, 1 << 20);
    const t = drive(timed);
    const burst = new Rig(variant, { burst: true }, 1 << 20);
    const b = drive(burst);
    assert.equal(t.irqs, TRIANGLES / PER_BUFFER + 1, 'one DMA interrupt per buffer, Sync together with the last');
    assert.equal(fnv1a(timed.card.vram), fnv1a(burst.card.vram));
    assert.ok(timed.card.stats.pixels > TRIANGLES * 100);
    assert.ok(t.simNs > 1e6, `timed run takes simulated time (${t.simNs} ns)`);
    assert.ok(b.simNs < t.simNs / 10, 'burst is much faster in simulated time');
  });
}
