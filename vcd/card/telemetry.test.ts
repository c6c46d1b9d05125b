/**
 * The inspector's sampler against a card on a fake bus: registers by the definition's names, DMA buffers copied
 * when they start and decoded by tag name, the interrupt timeline (raise, ack, lower), problems with the card's own
 * sentence, and that sampling itself leaves no trace in the card.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { layoutOf } from './layout.ts';
import { CardSampler, decodeDmaWords, startSampling } from './telemetry.ts';
import { Rig } from './test-helpers.ts';
import { permedia2v } from './variants/permedia2v.ts';

const v = permedia2v;
const l = layoutOf(v);
const regIndex = (role: Parameters<typeof l.reg>[0]) => l.reg(role).index;
const tagName = (role: Parameters<typeof l.tag>[0]) => l.tagName(l.tag(role));
const irqName = (role: string) => v.interrupts.find((i) => i.role === role)!.name;

function triangleBuffer(rig: Rig, n = 1): Uint32Array {
  rig.sb.clear();
  rig.sb.setupFramebuffer({ readPixel: 2, pitch: 1024 });
  for (let i = 0; i < n; i++) rig.sb.gouraudTriangle({ x: 10 + i, y: 10, r: 255, g: 0, b: 0 }, { x: 60, y: 40, r: 0, g: 255, b: 0 }, { x: 20, y: 70, r: 0, g: 0, b: 255 });
  rig.sb.sync(true);
  return rig.sb.words();
}

describe('CardSampler', () => {
  it('keeps registers by index of the definition, marks the ones that changed', () => {
    const rig = new Rig(v);
    const s = new CardSampler(rig.card).attach();
    const first = s.sample();
    assert.equal(first.registers.length, v.registers.length);
    assert.deepEqual(first.changed, []);
    rig.write('intEnable', rig.irq('dma') | rig.irq('sync'));
    rig.write('screenBase', 0x40);
    const second = s.sample();
    assert.equal(second.registers[regIndex('intEnable')], rig.irq('dma') | rig.irq('sync'));
    assert.deepEqual(second.changed.sort(), [regIndex('intEnable'), regIndex('screenBase')].sort());
    assert.equal(second.changedAt[regIndex('screenBase')], second.sample);
    assert.deepEqual(s.sample().changed, [], 'nothing changed since');
  });

  it('DMACount shows the words still to fetch (the read hook), without a trace event or any side effect', () => {
    const rig = new Rig(v);
    const s = new CardSampler(rig.card).attach();
    const words = triangleBuffer(rig, 20);
    rig.dma(words);
    const seq = rig.card.trace.nextSeq;
    const snap = s.sample();
    assert.equal(snap.registers[regIndex('dmaCount')], words.length);
    assert.equal(rig.card.trace.nextSeq, seq, 'sampling records nothing in the trace');
    rig.runIdle();
    assert.equal(s.sample().registers[regIndex('dmaCount')], 0);
  });

  it('copies a DMA buffer when it starts and decodes it into the variant\'s tag names', () => {
    const rig = new Rig(v);
    const s = new CardSampler(rig.card, { wordsPerBuffer: 32 }).attach();
    const words = triangleBuffer(rig);
    rig.dma(words, 0x2000);
    // The driver reuses the buffer before anyone samples: the copy taken at dma-start is what the card fetched.
    new Uint32Array(rig.host.ram.buffer, 0x2000, words.length).fill(0xdeadbeef);
    const snap = s.sample();
    assert.equal(snap.buffers.length, 1);
    const b = snap.buffers[0]!;
    assert.equal(b.address, 0x2000);
    assert.equal(b.count, words.length);
    assert.equal(b.truncated, words.length > 32);
    assert.equal(b.words.length, Math.min(32, words.length));
    assert.deepEqual(b.words.map((w) => w.word), Array.from(words.slice(0, 32)));
    assert.ok(b.words.every((w) => w.kind !== 'malformed'));
    const names = new Set(b.words.filter((w) => w.kind === 'data').map((w) => w.name));
    for (const n of names) assert.ok(v.tags.some((t) => t.name === n), `${n} is a tag of the variant`);
    assert.ok(names.has(tagName('fbReadPixel')), `FBReadPixel among ${[...names].join(', ')}`);
  });

  it('records the outcome of a buffer from its dma-end, keeps only the last K', () => {
    const rig = new Rig(v);
    const s = new CardSampler(rig.card, { buffers: 3 }).attach();
    const words = triangleBuffer(rig);
    for (let i = 0; i < 5; i++) {
      rig.dma(words, 0x1000 + i * 0x1000);
      rig.runIdle();
    }
    const snap = s.sample();
    assert.deepEqual(snap.buffers.map((b) => b.address), [0x3000, 0x4000, 0x5000], 'the newest three, oldest first');
    assert.ok(snap.buffers.every((b) => b.outcome === 'complete'));
    assert.ok(snap.buffers.every((b) => b.primitives === 1 && b.pixels > 100), JSON.stringify(snap.buffers.map((b) => [b.primitives, b.pixels])));
    assert.equal(snap.stats.buffers, 5);
  });

  it('draws the interrupt timeline: raised with its bit names, acknowledged, lowered', () => {
    const rig = new Rig(v);
    const s = new CardSampler(rig.card).attach();
    rig.write('intEnable', rig.irq('dma') | rig.irq('sync') | rig.irq('error'));
    rig.dma(triangleBuffer(rig));
    rig.runIdle();
    const flags = rig.read('intFlags') & rig.read('intEnable');
    rig.write('intFlags', flags);
    const snap = s.sample();
    const kinds = snap.irqs.map((e) => e.kind);
    assert.deepEqual(kinds, ['raise', 'ack', 'lower']);
    // The Sync at the end of the buffer raises the line; DMA completion follows while it is already high.
    assert.deepEqual(snap.irqs[0]!.names, [irqName('sync')]);
    assert.deepEqual(snap.irqs[1]!.names.sort(), [irqName('dma'), irqName('sync')].sort());
    assert.equal(snap.stats.irqRaises, 1);
    assert.ok(snap.irqs[0]!.seq < snap.irqs[1]!.seq);
  });

  it('keeps the card\'s own sentence for problems', () => {
    const rig = new Rig(v);
    const s = new CardSampler(rig.card).attach();
    rig.write('dmaAddress', 0xc1000000);
    rig.write('dmaCount', 16);
    rig.write('dmaCount', v.dma.maxCount + 1);
    const snap = s.sample();
    assert.equal(snap.problems.length, 2);
    assert.match(snap.problems[0]!.message, /kernel virtual address/);
    assert.equal(snap.problems[0]!.kind, 'guest-error');
    assert.equal(snap.problems[0]!.error, v.errors.find((e) => e.role === 'master')!.name);
    assert.match(snap.problems[1]!.message, /exceeds the maximum/);
    assert.ok(snap.irqs.some((e) => e.kind === 'raise') === false, 'no interrupt enabled, no line change');
    assert.equal(snap.registers[regIndex('errorFlags')], rig.err('master') | rig.err('message'));
  });

  it('counts trace events lost in a small ring instead of pretending to have seen them', () => {
    const rig = new Rig(v, { traceCapacity: 16 });
    const s = new CardSampler(rig.card).attach();
    for (let i = 0; i < 100; i++) rig.write('screenBase', i);
    const snap = s.sample();
    assert.equal(snap.dropped, 100 - 16);
    assert.equal(s.sample().dropped, 100 - 16, 'nothing more lost');
  });

  it('one tap per card; detach removes it and stops copying', () => {
    const rig = new Rig(v);
    const s = new CardSampler(rig.card).attach();
    assert.throws(() => new CardSampler(rig.card).attach(), /one inspector sampler per card/);
    s.detach();
    assert.equal(rig.card.trace.tap, null);
    rig.dma(triangleBuffer(rig));
    assert.equal(s.sample().buffers.length, 0);
  });

  it('decodes malformed headers as such', () => {
    const words = decodeDmaWords(v, [0xffffffff]);
    assert.equal(words[0]!.kind, 'malformed');
  });

  it('startSampling delivers a first snapshot at once and stops cleanly', async () => {
    const rig = new Rig(v);
    const got: number[] = [];
    const stop = startSampling(rig.card, (snap) => got.push(snap.sample), 20);
    assert.deepEqual(got, [1]);
    await new Promise((r) => setTimeout(r, 130));
    stop();
    assert.ok(got.length >= 2, `got ${got.length} snapshots`);
    assert.equal(rig.card.trace.tap, null);
    const structured = structuredClone(new CardSampler(rig.card).sample());
    assert.equal(structured.variantId, v.id);
  });
});
