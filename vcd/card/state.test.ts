/** Save/load round trip in the middle of DMA and rendering. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CardState } from './card.ts';
import { layoutOf } from './layout.ts';
import { fnv1a, Rig, ALL_VARIANTS } from './test-helpers.ts';

function registers(rig: Rig): number[] {
  return layoutOf(rig.variant).registers.filter((r) => r.def.role !== 'lineCount' && r.def.onRead !== 'readClear').map((r) => rig.card.mmioRead32(0, r.def.offset));
}

for (const variant of ALL_VARIANTS) {
  describe(`state (${variant.id})`, () => {
    it('round trip mid-primitive gives the same final VRAM, registers and interrupts', () => {
      const a = new Rig(variant);
      a.write('intEnable', a.irq('dma') | a.irq('sync'));
      a.sb.clear().setupFramebuffer({ readPixel: 2, pitch: 640 });
      for (let i = 0; i < 20; i++) a.sb.gouraudTriangle({ x: 10 + i, y: 5, r: 255, g: 0, b: 0 }, { x: 300, y: 40 + i, r: 0, g: 255, b: 0 }, { x: 30, y: 200, r: 0, g: 0, b: 255 });
      a.sb.sync(true);
      a.dma(a.sb.words());
      a.card.advance(50_000);
      assert.ok(a.card.busy, 'saved while busy');
      const saved = a.card.saveState();
      const { vram, ...plain } = saved;
      const json = JSON.parse(JSON.stringify(plain)) as Omit<CardState, 'vram'>;
      assert.equal(json.version, 1);

      const b = new Rig(variant);
      b.host.ram.set(a.host.ram);
      b.card.loadState({ ...json, vram });
      assert.deepEqual(registers(b), registers(a));
      assert.equal(b.host.level, a.host.level);
      a.runIdle(10_000);
      b.runIdle(10_000);
      assert.equal(fnv1a(b.card.vram), fnv1a(a.card.vram));
      assert.deepEqual(registers(b), registers(a));
      assert.equal(b.host.level, true);
      assert.notEqual(fnv1a(a.card.vram), fnv1a(new Uint8Array(a.card.vram.length)), 'something was drawn');
    });

    it('a state from another variant or version is refused, not thrown', () => {
      const a = new Rig(variant);
      const s = a.card.saveState();
      a.write('screenBase', 5);
      a.card.loadState({ ...s, version: 99 });
      assert.equal(a.read('screenBase'), 5);
      assert.ok(a.card.trace.events().some((e) => e.kind === 'internal'));
    });
  });
}
