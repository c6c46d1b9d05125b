/**
 * Generated card variants: reproducible from their seed, accepted by the checker, and behaving like the
 * reference card in everything but their constants and their two behavioural choices; broken variant files
 * are rejected with the path, the culprit and a fix; the manual differs exactly where the cards differ.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cHeader } from '../codegen/c-header.ts';
import { manual } from '../codegen/manual.ts';
import type { CardVariant } from '../definition.ts';
import { layoutOf } from '../layout.ts';
import { fnv1a, Rig } from '../test-helpers.ts';
import { parseVariant, sanityProblems, VariantError, variantJson } from './check.ts';
import { deriveVariant } from './derive.ts';
import { permedia2v } from './permedia2v.ts';

const msg = (e: unknown): string => String((e as { message?: string } | undefined)?.message ?? '');
const SEEDS = Array.from({ length: 50 }, (_, i) => `seed-${i}`);

/** A scene exercising the pixel path: Gouraud triangles, a fast-fill rectangle, a Sync with interrupt. */
function drawScene(rig: Rig): void {
  rig.write('intEnable', rig.irq('dma') | rig.irq('sync') | rig.irq('error'));
  rig.sb.clear().setupFramebuffer({ readPixel: 2, pitch: 640 });
  rig.sb.rectangle(5, 5, 60, 30, { fastFill: 0x00336699 });
  for (let i = 0; i < 8; i++) rig.sb.gouraudTriangle({ x: 10 + 20 * i, y: 40, r: 255, g: 0, b: 0 }, { x: 200, y: 60 + 10 * i, r: 0, g: 255, b: 0 }, { x: 40, y: 160, r: 0, g: 0, b: 255 });
  rig.sb.sync(true);
  rig.dma(rig.sb.words());
  rig.runIdle();
}

let referenceHash: string | undefined;
function reference(): string {
  if (!referenceHash) {
    const rig = new Rig(permedia2v);
    drawScene(rig);
    referenceHash = fnv1a(rig.card.vram.subarray(0, 640 * 200 * 4));
  }
  return referenceHash;
}

describe('variant new', () => {
  it('the same seed gives the same bytes; another seed another card; a seed is any string', () => {
    const a = variantJson(deriveVariant(permedia2v, { name: '2027-spring', seed: 'S' }));
    const b = variantJson(deriveVariant(permedia2v, { name: '2027-spring', seed: 'S' }));
    assert.equal(a, b);
    const c = variantJson(deriveVariant(permedia2v, { name: '2027-spring', seed: 'T' }));
    assert.notEqual(a, c);
    for (const seed of ['', ' ', 'Ünïcødé ✓', 'a'.repeat(5000), '{"json": true}']) {
      const v = deriveVariant(permedia2v, { name: 'x', seed });
      assert.equal(v.origin?.seed, seed);
      assert.doesNotThrow(() => parseVariant(variantJson(v), 'x.json'));
    }
  });

  it('across 50 seeds every kind of constant and both behavioural choices change', () => {
    const vs = SEEDS.map((seed) => deriveVariant(permedia2v, { name: 'p', seed }));
    const distinct = (f: (v: CardVariant) => unknown) => new Set(vs.map((v) => JSON.stringify(f(v)))).size;
    const l = (v: CardVariant) => layoutOf(v);
    assert.ok(distinct((v) => [v.pci.vendorId, v.pci.deviceId]) > 45, 'PCI IDs');
    assert.ok(distinct((v) => l(v).reg('intFlags').def.offset) > 20, 'register offsets');
    assert.ok(distinct((v) => v.registers.find((r) => r.role === 'videoControl')!.fields) > 20, 'field bit positions');
    assert.ok(distinct((v) => l(v).tag('render')) > 20, 'tag numbers');
    assert.ok(distinct((v) => v.interrupts.map((i) => i.bit)) > 40, 'interrupt bits');
    assert.ok(distinct((v) => v.errors.map((i) => i.bit)) > 40, 'error bits');
    assert.ok(distinct((v) => v.tagFormat) > 20, 'tag-word layout and mode encodings');
    assert.ok(distinct((v) => v.tags.find((t) => t.role === 'render')!.fields!.find((f) => f.role === 'primitiveType')!.values) > 5, 'primitive encodings');
    assert.ok(distinct((v) => [v.fifo, v.vramBytes]) > 8, 'FIFO and VRAM sizes');
    assert.equal(distinct((v) => v.behaviour), 4, 'all four combinations of the behavioural choices');
    assert.ok(vs.every((v) => v.pci.vendorId !== permedia2v.pci.vendorId), 'never the default card\'s vendor: its driver does not bind');
  });

  it('--irq-ack / --commands force a choice and leave the rest to the seed', () => {
    const a = deriveVariant(permedia2v, { name: 'p', seed: 'k' });
    const b = deriveVariant(permedia2v, { name: 'p', seed: 'k', irqAck: a.behaviour.irqAck === 'w1c' ? 'read' : 'w1c' });
    assert.notEqual(a.behaviour.irqAck, b.behaviour.irqAck);
    assert.equal(a.behaviour.commands, b.behaviour.commands);
    assert.deepEqual(a.pci, b.pci);
    assert.deepEqual(a.tags, b.tags);
  });
});

describe('property: every seed gives a sane card that draws what the reference card draws', () => {
  for (const seed of SEEDS) {
    it(seed, () => {
      const v = parseVariant(variantJson(deriveVariant(permedia2v, { name: 'prop', seed })), `${seed}.json`);
      assert.deepEqual(sanityProblems(v), []);
      const rig = new Rig(v);
      drawScene(rig);
      assert.deepEqual(rig.problems('guest-error'), [], 'the stream is valid on this card');
      assert.equal(fnv1a(rig.card.vram.subarray(0, 640 * 200 * 4)), reference(), 'same pixels as the reference card');
      assert.equal(rig.host.level, true, 'DMA and Sync interrupts pending');
      const flags = rig.ackIrq();
      assert.equal(flags & (rig.irq('dma') | rig.irq('sync')), rig.irq('dma') | rig.irq('sync'));
      assert.equal(rig.host.level, false, 'acknowledged the variant\'s way, the line drops');
      assert.equal(rig.fetching(), false);
      // A malformed word: the Message error, the Error interrupt, nothing fetched after it, no hang.
      const f = v.tagFormat;
      const bad = new Uint32Array([(1 << f.reserved[1]) >>> 0, 0, 0]);
      rig.dma(bad, 0x8000);
      rig.runIdle();
      assert.equal(rig.ackErrors(), rig.err('message'));
      assert.equal(rig.ackIrq() & rig.irq('error'), rig.irq('error'));
      assert.equal(rig.fetching(), false);
    });
  }
});

const ring = deriveVariant(permedia2v, { name: 'ring', seed: 'ring', commands: 'ring', irqAck: 'w1c' });
const cor = deriveVariant(permedia2v, { name: 'cor', seed: 'cor', commands: 'dma', irqAck: 'read' });

describe('command ring', () => {
  it('the driver advances the tail over the wrap; the head follows; DMA interrupt when it catches up', () => {
    const rig = new Rig(ring, { burst: true });
    const N = 16, base = 0x4000;
    rig.write('ringBase', base);
    rig.write('ringSize', N);
    assert.equal(rig.read('ringHead'), 0);
    rig.write('intEnable', rig.irq('dma'));
    let tail = 0;
    const ram32 = new Uint32Array(rig.host.ram.buffer, base, N);
    for (let round = 0; round < 10; round++) {
      rig.sb.clear().pair('fbBlockColor', round).pair('fbWindowBase', 0).pair('constantColor', round * 3);
      for (const w of rig.sb.words()) { ram32[tail] = w; tail = (tail + 1) % N; }
      rig.write('ringTail', tail);
      rig.runIdle();
      assert.equal(rig.read('ringHead'), tail, `round ${round}: head caught up`);
      assert.equal(rig.ackIrq() & rig.irq('dma'), rig.irq('dma'));
      assert.equal(rig.gpRead(layoutOf(ring).tag('constantColor')), round * 3);
    }
    assert.ok(tail < 10 * 6 - N, 'the ring wrapped');
    assert.deepEqual(rig.problems(), []);
  });

  it('a header split by the wrap is decoded across it', () => {
    const rig = new Rig(ring, { burst: true });
    const N = 8, base = 0x4000;
    rig.write('ringBase', base);
    rig.write('ringSize', N);
    const words = rig.sb.clear().hold('constantColor', [1, 2, 3, 0x77]).words();
    const ram32 = new Uint32Array(rig.host.ram.buffer, base, N);
    // Start at index 5 by sending five no-op words first (FBWriteData accepts any value).
    const noop = rig.sb.clear().pair('fbBlockColor', 9).raw(rig.sb.header(layoutOf(ring).tag('fbBlockColor'), 'hold', 1)).raw(1).raw(2).words();
    noop.forEach((w, i) => { ram32[i] = w; });
    rig.write('ringTail', noop.length);
    rig.runIdle();
    let tail = noop.length;
    for (const w of words) { ram32[tail] = w; tail = (tail + 1) % N; }
    rig.write('ringTail', tail);
    rig.runIdle();
    assert.equal(rig.read('ringHead'), tail);
    assert.equal(rig.gpRead(layoutOf(ring).tag('constantColor')), 0x77);
    assert.deepEqual(rig.problems(), []);
  });

  it('driver mistakes are flagged and explained, never thrown', () => {
    const rig = new Rig(ring, { burst: true });
    rig.write('ringTail', 3);
    assert.equal(rig.ackErrors(), rig.err('message'), 'tail before the ring is defined');
    rig.write('ringBase', 0x4000);
    rig.write('ringSize', 16);
    rig.write('ringTail', 16);
    assert.equal(rig.ackErrors(), rig.err('message'), 'tail outside the ring');
    assert.match(msg(rig.problems().at(-1)), /index in words/);
    rig.write('ringBase', 0xc0004000);
    rig.write('ringTail', 4);
    assert.equal(rig.ackErrors(), rig.err('master'), 'a kernel virtual address');
    assert.match(msg(rig.problems().at(-1)), /DMA handle/);
    // Busy ring: moving it is refused.
    const slow = new Rig(ring);
    slow.write('ringBase', 0x4000);
    slow.write('ringSize', 4096);
    slow.sb.clear().setupFramebuffer({ readPixel: 2, pitch: 640 });
    for (let i = 0; i < 50; i++) slow.sb.rectangle(0, 0, 600, 400, { fastFill: i });
    const w = slow.sb.words();
    new Uint32Array(slow.host.ram.buffer, 0x4000, w.length).set(w);
    slow.write('ringTail', w.length);
    slow.card.advance(1000);
    assert.ok(slow.fetching());
    slow.write('ringBase', 0x8000);
    assert.equal(slow.ackErrors(), slow.err('inDmaOverwrite'));
    slow.runIdle();
    assert.equal(slow.read('ringHead'), w.length);
    // A malformed word empties the ring.
    new Uint32Array(slow.host.ram.buffer, 0x4000 + w.length * 4, 3).set([(1 << ring.tagFormat.reserved[1]) >>> 0, 1, 2]);
    slow.write('ringTail', w.length + 3);
    slow.runIdle();
    assert.equal(slow.read('ringHead'), w.length + 3);
    assert.equal(slow.ackErrors(), slow.err('message'));
  });

  it('state saved mid-ring resumes identically', () => {
    const a = new Rig(ring);
    a.write('ringBase', 0x4000);
    a.write('ringSize', 4096);
    a.sb.clear().setupFramebuffer({ readPixel: 2, pitch: 640 });
    for (let i = 0; i < 20; i++) a.sb.rectangle(i, i, 300, 200, { fastFill: i * 0x10101 });
    const w = a.sb.words();
    new Uint32Array(a.host.ram.buffer, 0x4000, w.length).set(w);
    a.write('ringTail', w.length);
    a.card.advance(20_000);
    assert.ok(a.fetching());
    const b = new Rig(ring);
    b.host.ram.set(a.host.ram);
    b.card.loadState(a.card.saveState());
    assert.equal(b.read('ringHead'), a.read('ringHead'));
    a.runIdle();
    b.runIdle();
    assert.equal(fnv1a(b.card.vram), fnv1a(a.card.vram));
    assert.equal(b.read('ringHead'), w.length);
  });
});

describe('clear-on-read acknowledge', () => {
  it('reading IntFlags returns the flags once and drops the line; writes are ignored and reported', () => {
    const rig = new Rig(cor, { burst: true });
    rig.write('intEnable', rig.irq('dma'));
    rig.draw((sb) => sb.pair('constantColor', 1));
    assert.equal(rig.host.level, true);
    rig.write('intFlags', 0xffffffff);
    assert.equal(rig.host.level, true, 'a W1C write does nothing on this card');
    assert.ok(rig.card.trace.events().some((e) => /read-only/.test(msg(e))));
    assert.equal(rig.read('intFlags') & rig.irq('dma'), rig.irq('dma'));
    assert.equal(rig.host.level, false);
    assert.equal(rig.read('intFlags'), 0, 'cleared by the first read');
    rig.gpWrite(0x7ff & layoutOf(cor).tagCount - 1, 5); // unknown tag: Message error
    rig.runIdle();
    assert.equal(rig.read('errorFlags'), rig.err('message'));
    assert.equal(rig.read('errorFlags'), 0);
  });
});

describe('variant check', () => {
  const good = deriveVariant(permedia2v, { name: 'chk', seed: 'chk', commands: 'dma', irqAck: 'w1c' });
  const text = variantJson(good);
  const broken = (edit: (j: any) => void): string => { const j = JSON.parse(text); edit(j); return JSON.stringify(j, null, 2); };
  const rejects = (t: string, ...patterns: RegExp[]) => {
    assert.throws(() => parseVariant(t, 'spring.json'), (e: unknown) => {
      assert.ok(e instanceof VariantError);
      for (const p of patterns) assert.match(e.message, p);
      assert.match(e.message, /^spring\.json: \$/m, 'names the file and a JSON path');
      assert.match(e.message, /fix: /);
      return true;
    });
  };
  const ix = (role: string) => good.registers.findIndex((r) => r.role === role);

  it('accepts a generated file', () => { assert.equal(parseVariant(text, 'ok.json').id, 'chk'); });
  it('syntax error: position', () => rejects(text.replace('"id":', '"id"'), /JSON syntax error at line \d+, column \d+/));
  it('schema error: path and expected type', () => rejects(broken((j) => { j.fifo.inputDepth = 'many'; }), /\$\.fifo\.inputDepth: must be integer/));
  it('unknown behavioural choice', () => rejects(broken((j) => { j.behaviour.irqAck = 'write-0'; }), /\$\.behaviour\.irqAck: unknown behavioural choice "write-0"/, /fix: use one of "w1c", "read"/));
  it('overlapping registers', () => rejects(broken((j) => { j.registers[ix('dmaCount')].offset = good.registers[ix('intFlags')]!.offset; }), /register DMACount at 0x[0-9a-f]+ overlaps register IntFlags/));
  it('register over a window', () => rejects(broken((j) => { j.registers[ix('dmaCount')].offset = good.windows.gp.offset + 8; }), /register DMACount .* overlaps the GP register window/));
  it('misaligned register', () => rejects(broken((j) => { j.registers[ix('intEnable')].offset += 2; }), new RegExp(`\\$\\.registers\\[${ix('intEnable')}\\]\\.offset: register IntEnable at 0x[0-9a-f]+ is misaligned`)));
  it('missing role', () => rejects(broken((j) => { delete j.registers[ix('dmaCount')].role; }), /missing role: no register has role 'dmaCount' \(behaviour.commands is "dma"\)/));
  it('behaviour and registers disagree', () => rejects(broken((j) => { j.behaviour.commands = 'ring'; }), /no register has role 'ringTail'/, /variant new --commands ring/));
  it('field outside its register', () => rejects(broken((j) => { j.registers[ix('videoControl')].fields[0].bits = [33, 32]; }), /\$\.registers\[\d+\]\.fields\[0\]\.bits/));
  it('overlapping fields', () => rejects(broken((j) => { const f = j.registers[ix('videoControl')].fields; f[1].bits = f[0].bits; }), /field VideoControl\.\w+ \[\d+:\d+\] overlaps field VideoControl\.\w+/));
  it('duplicate tag', () => rejects(broken((j) => { j.tags[1].tag = j.tags[0].tag; }), new RegExp(`\\$\\.tags\\[1\\]\\.tag: duplicate tag 0x[0-9a-f]+: ${good.tags[1]!.name} and ${good.tags[0]!.name}`)));
  it('duplicate interrupt bit', () => rejects(broken((j) => { j.interrupts[1].bit = j.interrupts[0].bit; }), /\$\.interrupts\[1\]\.bit: interrupt \w+ uses bit \d+, already used by/));
  it('clear-on-read declared but IntFlags still W1C', () => rejects(broken((j) => { j.behaviour.irqAck = 'read'; }), /IntFlags \(IntFlags\) must be RO with "onRead": "readClear"/));
});

describe('derived files', () => {
  it('the header carries the behavioural choices as feature macros', () => {
    const h = (v: CardVariant) => cHeader(v, 'x');
    assert.match(h(permedia2v), /#define PM2_IRQ_ACK_W1C\s+1/);
    assert.match(h(permedia2v), /#define PM2_CMD_DMA\s+1/);
    assert.doesNotMatch(h(permedia2v), /PM2_IRQ_ACK_READ|PM2_CMD_RING/);
    const r = h(deriveVariant(permedia2v, { name: 'r', seed: 'r', irqAck: 'read', commands: 'ring' }));
    assert.match(r, /#define PM2_IRQ_ACK_READ\s+1/);
    assert.match(r, /#define PM2_CMD_RING\s+1/);
    assert.match(r, /#define PM2R_RING_TAIL\s+0x[0-9a-f]{4}/);
    assert.doesNotMatch(r, /PM2R_DMA_COUNT\b|PM2_IRQ_ACK_W1C|PM2_CMD_DMA/);
  });

  /** Lines of b that a does not have (as a multiset). */
  const added = (a: string, b: string): string[] => {
    const count = new Map<string, number>();
    for (const l of a.split('\n')) count.set(l, (count.get(l) ?? 0) + 1);
    return b.split('\n').filter((l) => { const n = count.get(l) ?? 0; if (n > 0) { count.set(l, n - 1); return false; } return true; });
  };

  it('two manuals differ exactly where the cards differ', () => {
    const base = deriveVariant(permedia2v, { name: 'm', seed: 'manual', irqAck: 'w1c', commands: 'dma' });
    assert.equal(manual(base, 's'), manual(JSON.parse(JSON.stringify(base)), 's'), 'same card, same manual');
    // One register moved: only lines naming it (or its offset) change.
    const reg = base.registers.find((r) => r.name === 'ScreenStride')!;
    const free = Array.from({ length: 1024 }, (_, i) => (reg.offset & ~0xfff) + i * 4).find((o) => !base.registers.some((r) => r.offset === o))!;
    const moved: CardVariant = { ...base, registers: base.registers.map((r) => (r === reg ? { ...r, offset: free } : r)).sort((a, b) => a.offset - b.offset) };
    const diff1 = added(manual(base, 's'), manual(moved, 's'));
    assert.ok(diff1.length > 0 && diff1.every((l) => l.includes('ScreenStride') || l.includes(free.toString(16))), diff1.join('\n'));
    // One interrupt bit moved: only the interrupt tables' rows.
    const irq = base.interrupts.find((i) => i.role === 'vretrace')!;
    const bit = Array.from({ length: 32 }, (_, i) => i).find((b) => !base.interrupts.some((i) => i.bit === b))!;
    const flipped = base.interrupts.map((i) => (i === irq ? { ...i, bit } : i));
    const irqMoved = { ...base, interrupts: flipped };
    const diff2 = added(manual(base, 's'), manual(irqMoved, 's'));
    assert.ok(diff2.length > 0 && diff2.every((l) => l.includes('VRetrace')), diff2.join('\n'));
    // The acknowledge choice: only the interrupt section and the flag registers' rows change.
    const read = deriveVariant(permedia2v, { name: 'm', seed: 'manual', irqAck: 'read', commands: 'dma' });
    const m0 = manual(base, 's'), m1 = manual(read, 's');
    const diff3 = added(m0, m1);
    const section = (m: string, l: string) => { const at = m.indexOf(l); return m.lastIndexOf('\n## ', at); };
    assert.ok(diff3.some((l) => /clear-on-read/.test(l)));
    for (const l of diff3.filter((x) => x.trim())) {
      const s = m1.slice(section(m1, l) + 1, m1.indexOf('\n', section(m1, l) + 1));
      assert.ok(/^## (8\. Interrupts|3\. Registers)/.test(s) || /IntFlags|ErrorFlags|acknowledged|clear-on-read|\(cor|description/.test(l) || l.startsWith('The m card') || l.startsWith('| IntFlags') || /^\| 0x/.test(l), `unexpected change in "${s}": ${l}`);
    }
    // The delivery choice: section 4.3 is the ring protocol, the worked example uses the ring.
    const ringM = manual(deriveVariant(permedia2v, { name: 'm', seed: 'manual', irqAck: 'w1c', commands: 'ring' }), 's');
    assert.match(ringM, /### 4\.3 Command ring protocol/);
    assert.match(ringM, /## 11\. Worked example: one Gouraud triangle through the command ring/);
    assert.match(ringM, /iowrite32\(tail, regs \+ PM2R_RING_TAIL\)/);
    assert.doesNotMatch(ringM, /DMACount/);
    assert.match(m0, /### 4\.3 Input DMA protocol/);
  });
});
