/** Reference rendering of a stream matches the model driven the ordinary way, and differences are found. */
import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import { framebufferDiff, replayStream } from './replay.ts';
import { StreamBuilder } from './stream.ts';
import { Rig, ALL_VARIANTS } from './test-helpers.ts';

for (const variant of ALL_VARIANTS) {
  it(`${variant.id}: replaying a stream from a card's state reproduces its framebuffer`, () => {
    const rig = new Rig(variant);
    rig.draw((sb) => sb.setupFramebuffer({ readPixel: 2, pitch: 1024 })); // the driver's engine set-up
    const sb = new StreamBuilder(variant);
    sb.gouraudTriangle({ x: 10, y: 5, r: 255, g: 0, b: 0 }, { x: 90, y: 40, r: 0, g: 255, b: 0 }, { x: 30, y: 80, r: 0, g: 0, b: 255 });
    const words = sb.words();
    const before = rig.card.saveState();
    rig.dma(words);
    rig.runIdle();
    const ref = replayStream(variant, words, { state: before });
    const view = { baseBytes: 0, strideBytes: 1024 * 4, width: 128, height: 96, format: 'x8r8g8b8' as const };
    assert.ok(rig.card.stats.pixels > 100);
    assert.deepEqual(framebufferDiff(rig.card.vram, ref.vram, view).differing, 0);
    ref.vram[(50 * 1024 + 50) * 4] ^= 0xff;
    const d = framebufferDiff(rig.card.vram, ref.vram, view);
    assert.equal(d.differing, 1);
    assert.deepEqual(d.first, { x: 50, y: 50 });
  });
}
