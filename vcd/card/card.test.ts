/** Register access rules, the interrupt protocol, DMA formats, timing and bad input, on every variant. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { layoutOf } from './layout.ts';
import { Rig, VARIANTS } from './test-helpers.ts';

for (const variant of VARIANTS) {
  const layout = layoutOf(variant);

  describe(`registers (${variant.id})`, () => {
    it('reset values read back through BAR0', () => {
      const rig = new Rig(variant);
      for (const r of layout.registers) {
        if (r.def.onRead) continue;
        assert.equal(rig.card.mmioRead32(0, r.def.offset), r.reset >>> 0, r.def.name);
      }
      assert.equal(rig.read('inFifoSpace'), variant.fifo.inputDepth);
      assert.equal(rig.read('outFifoWords'), 0);
      assert.equal(rig.read('dmaCount'), 0);
    });

    it('read-only registers ignore writes and say so', () => {
      const rig = new Rig(variant);
      rig.write('inFifoSpace', 5);
      assert.equal(rig.read('inFifoSpace'), variant.fifo.inputDepth);
      assert.ok(rig.problems().some((e) => e.kind === 'guest-error' && e.message.includes('read-only')));
      const mem = layout.reg('memConfig');
      rig.write('memConfig', 0);
      const banks = variant.registers[mem.index]!.fields!.find((f) => f.name === 'NumberBanks')!;
      assert.equal((rig.read('memConfig') >>> banks.bits[1]) & 3, 3, 'RO field keeps its value under a RW register');
    });

    it('reserved bits read 0', () => {
      const rig = new Rig(variant);
      rig.write('screenBase', 0xffffffff);
      assert.equal(rig.read('screenBase'), 0xfffff);
      rig.write('resetStatus', 0xffffffff);
      assert.equal(rig.read('resetStatus'), 0, 'BeingReset reads 0 (instant reset)');
    });

    it('W1C: IntFlags and ErrorFlags clear only the bits written as 1', () => {
      const rig = new Rig(variant, { burst: true });
      rig.card.mmioRead32(0, variant.windows.fifo.offset); // empty output FIFO -> OutFIFO error
      rig.sb.clear().raw(0xffffffff); // malformed word -> Message error
      rig.dma(rig.sb.words());
      rig.runIdle();
      const errs = rig.err('outFifo') | rig.err('message') | rig.err('master');
      const got = rig.read('errorFlags');
      assert.equal(got & (rig.err('outFifo') | rig.err('message')), rig.err('outFifo') | rig.err('message'));
      assert.equal(got & ~errs, 0);
      rig.write('errorFlags', 0);
      assert.equal(rig.read('errorFlags'), got, 'writing 0 clears nothing');
      rig.write('errorFlags', rig.err('outFifo'));
      assert.equal(rig.read('errorFlags'), got & ~rig.err('outFifo'));
      assert.equal(rig.read('intFlags') & rig.irq('error'), rig.irq('error'));
      rig.write('intFlags', rig.irq('error'));
      assert.equal(rig.read('intFlags') & rig.irq('error'), 0);
    });

    it('unknown offsets read 0 and writes are ignored', () => {
      const rig = new Rig(variant);
      let free = 0x100;
      while (layout.regAt[free >> 2] !== -1) free += 8;
      rig.card.mmioWrite32(0, free, 0x1234);
      assert.equal(rig.card.mmioRead32(0, free), 0);
      assert.equal(rig.card.mmioRead32(7, 0), 0xffffffff, 'absent BAR');
      assert.equal(rig.card.mmioRead32(0, 0x7fffffff), 0xffffffff, 'beyond the BAR');
    });

    it('8-bit access merges into registers and reads byte lanes', () => {
      const rig = new Rig(variant);
      const off = rig.off('screenStride');
      rig.card.mmioWrite8(0, off + 1, 0x12);
      rig.card.mmioWrite8(0, off, 0x34);
      assert.equal(rig.read('screenStride'), 0x1234);
      assert.equal(rig.card.mmioRead8(0, off + 1), 0x12);
    });

    it('BAR apertures read and write VRAM (unaligned allowed)', () => {
      const rig = new Rig(variant);
      const vramBar = variant.bars.find((b) => b.kind === 'vram')!.index;
      rig.card.mmioWrite32(vramBar, 0x101, 0xa1b2c3d4);
      assert.equal(rig.card.vram[0x101], 0xd4);
      assert.equal(rig.card.mmioRead32(vramBar, 0x101), 0xa1b2c3d4);
      assert.equal(rig.card.mmioRead8(vramBar, 0x104), 0xa1);
      const alias = variant.bars.find((b) => b.kind === 'vram-alias');
      if (alias) assert.equal(rig.card.mmioRead32(alias.index, 0x101), 0xa1b2c3d4);
    });

    if (variant.windows.bigEndianMirror) {
      it('big-endian mirror swaps bytes', () => {
        const rig = new Rig(variant);
        const m = variant.windows.bigEndianMirror!;
        rig.card.mmioWrite32(0, m.offset + rig.off('screenBase'), 0x78560000);
        assert.equal(rig.read('screenBase'), 0x5678);
        assert.equal(rig.card.mmioRead32(0, m.offset + rig.off('screenBase')), 0x78560000);
      });
    }

    it('mmio-write trace decodes fields by name', () => {
      const rig = new Rig(variant);
      rig.write('intEnable', rig.irq('dma') | rig.irq('sync'));
      const ev = rig.card.trace.events().find((e) => e.kind === 'mmio-write');
      assert.ok(ev && ev.kind === 'mmio-write');
      assert.equal(ev.register, layout.reg('intEnable').def.name);
      assert.equal(ev.fields['DMA'], 1);
      assert.equal(ev.fields['Error'], 0);
    });

    it('GP registers: writes go through the FIFO, reads return the executed value', () => {
      const rig = new Rig(variant);
      const t = layout.tag('constantColor');
      rig.gpWrite(t, 0x11223344);
      assert.equal(rig.read('inFifoSpace'), variant.fifo.inputDepth - 1);
      assert.equal(rig.card.busy, true);
      rig.runIdle();
      assert.equal(rig.gpRead(t), 0x11223344);
      assert.equal(rig.read('inFifoSpace'), variant.fifo.inputDepth);
    });

    it('ResetStatus resets DMA, FIFOs and flags but keeps IntEnable', () => {
      const rig = new Rig(variant);
      rig.write('intEnable', rig.irq('dma'));
      rig.sb.clear();
      for (let i = 0; i < 100; i++) rig.sb.pair('constantColor', i);
      rig.dma(rig.sb.words());
      rig.card.mmioRead32(0, variant.windows.fifo.offset);
      assert.notEqual(rig.read('dmaCount'), 0);
      rig.write('resetStatus', 0);
      assert.equal(rig.read('dmaCount'), 0);
      assert.equal(rig.read('errorFlags'), 0);
      assert.equal(rig.read('intFlags'), 0);
      assert.equal(rig.read('intEnable'), rig.irq('dma'));
      assert.equal(rig.card.busy, false);
    });
  });

  describe(`interrupts (${variant.id})`, () => {
    it('DMA completion raises the level line only when enabled, W1C lowers it', () => {
      const rig = new Rig(variant, { burst: true });
      rig.sb.clear().pair('constantColor', 1);
      rig.dma(rig.sb.words());
      rig.runIdle();
      assert.equal(rig.read('intFlags') & rig.irq('dma'), rig.irq('dma'), 'flag latches while disabled');
      assert.deepEqual(rig.host.levels, [], 'no line change while disabled');
      rig.write('intEnable', rig.irq('dma'));
      assert.deepEqual(rig.host.levels, [true], 'enabling a latched flag raises the line');
      rig.write('intEnable', rig.irq('dma'));
      assert.deepEqual(rig.host.levels, [true], 'setIrqLevel only on changes');
      rig.write('intFlags', rig.irq('dma'));
      assert.deepEqual(rig.host.levels, [true, false]);
      const kinds = rig.card.trace.events().map((e) => e.kind).filter((k) => k.startsWith('irq'));
      assert.deepEqual(kinds, ['irq-raise', 'irq-lower']);
    });

    it('Sync with InterruptEnable raises Sync after the preceding primitive is drawn', () => {
      const rig = new Rig(variant);
      rig.card.trace.setEnabled('render', true);
      rig.write('intEnable', rig.irq('sync'));
      rig.sb.clear().setupFramebuffer({ readPixel: 2, pitch: 1024 });
      rig.sb.rectangle(0, 0, 1000, 100, { fastFill: 0x00ffffff }).sync(true);
      rig.dma(rig.sb.words());
      rig.card.advance(5_000);
      assert.equal(rig.host.level, false, 'not yet: 100000 pixels take simulated time');
      rig.runIdle(100_000);
      assert.equal(rig.host.level, true);
      const v32 = new Uint32Array(rig.card.vram.buffer);
      assert.equal(v32[99 * 1024 + 999], 0x00ffffff, 'the rectangle was complete when Sync fired');
      const order = rig.card.trace.events().map((e) => e.kind).filter((k) => k === 'render' || k === 'sync');
      assert.deepEqual(order, ['render', 'sync']);
    });

    it('Sync handshake through the output FIFO (FilterMode sync tag + data)', () => {
      const rig = new Rig(variant, { burst: true });
      rig.sb.clear().pair('filterMode', rig.sb.word('filterMode', { syncTag: 1, syncData: 1 })).pair('sync', 0x1234);
      rig.dma(rig.sb.words());
      rig.runIdle();
      assert.equal(rig.read('outFifoWords'), 2);
      assert.equal(rig.card.mmioRead32(0, variant.windows.fifo.offset), layout.tag('sync'));
      assert.equal(rig.card.mmioRead32(0, variant.windows.fifo.offset), 0x1234);
      assert.equal(rig.read('outFifoWords'), 0);
      assert.equal(rig.read('errorFlags'), 0);
    });

    it('a full output FIFO stalls the pipeline until the driver reads it', () => {
      const rig = new Rig(variant, { burst: true });
      rig.sb.clear().pair('filterMode', rig.sb.word('filterMode', { syncTag: 1 }));
      for (let i = 0; i <= variant.fifo.outputDepth; i++) rig.sb.pair('sync', 0);
      rig.sb.pair('constantColor', 0xabc);
      rig.dma(rig.sb.words());
      rig.card.advance(1e6);
      assert.equal(rig.read('outFifoWords'), variant.fifo.outputDepth);
      assert.notEqual(rig.gpRead(layout.tag('constantColor')), 0xabc, 'commands after the stalled Sync wait');
      assert.equal(rig.card.busy, false, 'a stall waiting for the driver is not busy');
      rig.card.mmioRead32(0, variant.windows.fifo.offset);
      assert.equal(rig.card.busy, true);
      rig.runIdle();
      assert.equal(rig.gpRead(layout.tag('constantColor')), 0xabc);
    });

    it('Error interrupt on an unknown tag, with a guest-error event', () => {
      const rig = new Rig(variant, { burst: true });
      rig.write('intEnable', rig.irq('error'));
      let unknown = 0;
      while (layout.tagIndex[unknown] !== -1) unknown++;
      rig.sb.clear().raw(rig.sb.header(unknown, 'hold', 0)).raw(7).pair('constantColor', 5);
      rig.dma(rig.sb.words());
      rig.runIdle();
      assert.equal(rig.host.level, true);
      assert.equal(rig.read('errorFlags'), rig.err('message'));
      assert.equal(rig.gpRead(layout.tag('constantColor')), 5, 'the stream continues after an unknown tag');
      const ev = rig.problems().find((e) => e.kind === 'guest-error');
      assert.ok(ev && ev.kind === 'guest-error' && ev.message.includes('Unknown tag'));
    });

    it('VRetrace fires once per frame while video is enabled', () => {
      const rig = new Rig(variant);
      rig.write('vTotal', 524);
      rig.write('vbEnd', 45);
      rig.write('intEnable', rig.irq('vretrace'));
      assert.equal(rig.card.advance(20e6), Infinity, 'no retrace while the display is off');
      assert.equal(rig.read('intFlags') & rig.irq('vretrace'), 0);
      rig.write('videoControl', rig.card.mmioRead32(0, rig.off('videoControl')) | 1);
      const next = rig.card.advance(1);
      assert.ok(next > 0 && next <= 1e9 / variant.refreshHz, `next call within a frame, got ${next}`);
      rig.card.advance(next);
      assert.equal(rig.read('intFlags') & rig.irq('vretrace'), rig.irq('vretrace'));
      assert.equal(rig.host.level, true);
      const line = rig.read('lineCount');
      assert.ok(line < 45, `LineCount ${line} is in vertical blank right after retrace`);
      rig.card.advance(1e9 / variant.refreshHz / 2);
      assert.ok(rig.read('lineCount') > 200);
    });
  });

  describe(`DMA (${variant.id})`, () => {
    it('HOLD, INCREMENT and INDEXED decode to the right registers', () => {
      const rig = new Rig(variant, { burst: true });
      const run = (): number[] => {
        let t = 0;
        for (; t < layout.tagCount - 3; t++) {
          const ok = [0, 1, 2].every((k) => layout.tagIndex[t + k]! >= 0 && layout.tagAction[t + k] === 0 && !variant.tags[layout.tagIndex[t + k]!]!.noop);
          if (ok) break;
        }
        return [t, t + 1, t + 2];
      };
      const [a, b, c] = run() as [number, number, number];
      rig.sb.clear().increment(a, [0x111, 0x222, 0x333]);
      rig.sb.hold('constantColor', [1, 2, 3, 0x444]);
      rig.dma(rig.sb.words());
      rig.runIdle();
      assert.deepEqual([rig.gpRead(a), rig.gpRead(b), rig.gpRead(c)], [0x111, 0x222, 0x333]);
      assert.equal(rig.gpRead(layout.tag('constantColor')), 0x444, 'HOLD: the last word wins');
      const group = layout.tag('rStart') >> variant.tagFormat.indexedGroupShift;
      const members = variant.tags.filter((t) => t.role && t.tag >> variant.tagFormat.indexedGroupShift === group && layout.tagAction[t.tag] === 0).map((t) => t.tag).sort((x, y) => x - y).slice(0, 3);
      rig.sb.clear().indexed(members, members.map((t) => t * 3 + 1));
      rig.dma(rig.sb.words());
      rig.runIdle();
      for (const t of members) assert.equal(rig.gpRead(t), t * 3 + 1, `INDEXED tag 0x${t.toString(16)}`);
      assert.equal(rig.read('errorFlags'), 0);
    });

    it('completion takes simulated time unless burst', () => {
      const rig = new Rig(variant);
      rig.write('intEnable', rig.irq('dma'));
      rig.sb.clear();
      for (let i = 0; i < 500; i++) rig.sb.pair('constantColor', i);
      rig.dma(rig.sb.words());
      const next = rig.card.advance(1000);
      assert.ok(next > 0 && next < Infinity);
      const left = rig.read('dmaCount');
      assert.ok(left > 0 && left < 1000, `DMACount counts down (${left})`);
      assert.equal(rig.host.level, false);
      rig.runIdle(10_000);
      assert.equal(rig.read('dmaCount'), 0);
      assert.equal(rig.host.level, true);
      assert.ok(rig.card.timeNs >= 1000 * DEFAULT_WORD_NS, 'about 30 ns per word');

      const fast = new Rig(variant, { burst: true });
      fast.write('intEnable', fast.irq('dma'));
      fast.dma(rig.sb.words());
      fast.card.advance(1);
      assert.equal(fast.host.level, true, 'burst: done within one advance');
    });

    it('burst: back-to-back buffers raise completions in rapid succession', () => {
      const rig = new Rig(variant, { burst: true });
      rig.write('intEnable', rig.irq('dma'));
      rig.sb.clear().pair('constantColor', 1);
      for (let i = 0; i < 3; i++) {
        rig.dma(rig.sb.words(), 0x1000 + i * 0x100);
        rig.card.advance(1);
        assert.equal(rig.host.level, true);
        rig.write('intFlags', rig.irq('dma'));
      }
      assert.deepEqual(rig.host.levels, [true, false, true, false, true, false]);
    });

    it('huge work never stalls the caller: advance is bounded', () => {
      const rig = new Rig(variant, { burst: true, maxWorkPerAdvance: 10_000 });
      rig.sb.clear().setupFramebuffer({ readPixel: 2, pitch: 2048 });
      for (let i = 0; i < 20; i++) rig.sb.rectangle(0, 0, 2047, 2047, { fastFill: i });
      rig.dma(rig.sb.words());
      let calls = 0;
      while (rig.card.busy && calls < 100_000) {
        rig.card.advance(1);
        assert.ok(rig.card.lastWork <= 10_000 + 4096, `work ${rig.card.lastWork}`);
        calls++;
      }
      assert.ok(calls > 100, 'split over many calls');
      assert.equal(rig.card.busy, false);
    });

    it('mode 3 / reserved bits: Message error, DMACount forced to 0, rest dropped', () => {
      for (const bad of ['mode3', 'reserved'] as const) {
        const rig = new Rig(variant, { burst: true });
        rig.write('intEnable', rig.irq('error') | rig.irq('dma'));
        const f = variant.tagFormat;
        const modeMask = ((1 << (f.mode[0] - f.mode[1] + 1)) - 1) << f.mode[1];
        const used = [f.modes.hold, f.modes.increment, f.modes.indexed];
        const mode3 = [0, 1, 2, 3].find((m) => !used.includes(m))!;
        const word = bad === 'mode3' ? ((mode3 << f.mode[1]) & modeMask) | layout.tag('constantColor') : (1 << f.reserved[1]) | layout.tag('constantColor');
        rig.sb.clear().pair('constantColor', 1).raw(word >>> 0).raw(2).pair('constantColor', 3);
        rig.dma(rig.sb.words());
        rig.runIdle();
        assert.equal(rig.read('dmaCount'), 0);
        assert.equal(rig.read('errorFlags'), rig.err('message'), bad);
        assert.equal(rig.gpRead(layout.tag('constantColor')), 1, `${bad}: the rest of the buffer is dropped`);
        assert.equal(rig.read('intFlags') & (rig.irq('error') | rig.irq('dma')), rig.irq('error'), 'Error, not DMA completion');
        const end = rig.card.trace.events().find((e) => e.kind === 'dma-end');
        assert.ok(end && end.kind === 'dma-end' && end.outcome === 'aborted');
      }
    });

    it('DMAAddress outside guest RAM: Master error naming the likely mistake', () => {
      const rig = new Rig(variant, { burst: true });
      rig.write('dmaAddress', 0xc1234000);
      rig.write('dmaCount', 10);
      assert.equal(rig.read('dmaCount'), 0);
      assert.equal(rig.read('errorFlags'), rig.err('master'));
      const ev = rig.problems().find((e) => e.kind === 'guest-error' && e.error !== '');
      assert.ok(ev && ev.kind === 'guest-error' && ev.message.includes('dma_alloc_coherent'), 'explains virtual vs DMA address');
      rig.write('errorFlags', 0xffffffff);
      rig.write('dmaAddress', rig.host.ram.length - 8);
      rig.write('dmaCount', 10);
      assert.equal(rig.read('errorFlags'), rig.err('master'));
      assert.ok(rig.problems().some((e) => e.kind === 'guest-error' && e.message.includes('bytes instead of 32-bit words')));
    });

    it('DMACount written while busy: InDMAOverwrite, ignored', () => {
      const rig = new Rig(variant);
      rig.sb.clear();
      for (let i = 0; i < 100; i++) rig.sb.pair('constantColor', i);
      rig.dma(rig.sb.words());
      rig.card.advance(100);
      const left = rig.read('dmaCount');
      rig.write('dmaCount', 5);
      rig.write('dmaAddress', 0x8000);
      assert.equal(rig.read('errorFlags'), rig.err('inDmaOverwrite'));
      assert.equal(rig.read('dmaCount'), left);
      assert.equal(rig.read('dmaAddress'), 0x1000);
      rig.runIdle();
      assert.equal(rig.gpRead(layout.tag('constantColor')), 99);
    });

    it('absurd DMACount is rejected', () => {
      const rig = new Rig(variant);
      rig.write('dmaAddress', 0x1000);
      rig.write('dmaCount', 0xffffffff);
      assert.equal(rig.read('dmaCount'), 0);
      assert.equal(rig.read('errorFlags'), rig.err('message'));
      assert.equal(rig.card.busy, false);
    });

    it('FIFO window: same format as DMA; overflow sets InFIFO; host write during DMA sets DMA error', () => {
      const rig = new Rig(variant);
      const win = variant.windows.fifo.offset;
      rig.sb.clear().hold('constantColor', [7, 8]);
      for (const w of rig.sb.words()) rig.card.mmioWrite32(0, win, w);
      rig.runIdle();
      assert.equal(rig.gpRead(layout.tag('constantColor')), 8);
      const n = variant.fifo.inputDepth + 3;
      rig.card.mmioWrite32(0, win, rig.sb.header(layout.tag('constantColor'), 'hold', n - 1));
      for (let i = 0; i < n; i++) rig.card.mmioWrite32(0, win, i);
      assert.equal(rig.read('errorFlags'), rig.err('inFifo'));
      assert.equal(rig.read('inFifoSpace'), 0);
      rig.runIdle();
      assert.equal(rig.gpRead(layout.tag('constantColor')), variant.fifo.inputDepth - 1, 'the overflowing words were lost');
      rig.write('errorFlags', 0xffffffff);
      rig.write('fifoDiscon', 1);
      rig.card.mmioWrite32(0, win, rig.sb.header(layout.tag('constantColor'), 'hold', n - 1));
      for (let i = 0; i < n; i++) rig.card.mmioWrite32(0, win, i);
      assert.equal(rig.read('errorFlags'), 0, 'with InputDisconnect the card drains instead of losing words');
      rig.runIdle();
      assert.equal(rig.gpRead(layout.tag('constantColor')), n - 1);
      rig.sb.clear().pair('constantColor', 1).pair('constantColor', 2);
      rig.dma(rig.sb.words());
      rig.gpWrite(layout.tag('constantColor'), 3);
      assert.equal(rig.read('errorFlags'), rig.err('dma'));
    });

    it('reading an empty output FIFO: OutFIFO error, returns 0', () => {
      const rig = new Rig(variant);
      assert.equal(rig.card.mmioRead32(0, variant.windows.fifo.offset), 0);
      assert.equal(rig.read('errorFlags'), rig.err('outFifo'));
      assert.equal(rig.read('intFlags') & rig.irq('error'), rig.irq('error'));
    });

    it('unsupported feature bits and non-zero no-op tags are reported as unimplemented', () => {
      const rig = new Rig(variant, { burst: true });
      const zeroOnly = variant.tags.find((t) => t.noop === 'zero')!;
      rig.sb.clear().raw(rig.sb.header(zeroOnly.tag, 'hold', 0)).raw(0).raw(rig.sb.header(zeroOnly.tag, 'hold', 0)).raw(1);
      rig.dma(rig.sb.words());
      rig.runIdle();
      const u = rig.problems('unimplemented');
      assert.equal(u.length, 1, 'only the non-zero write');
      assert.equal(rig.read('errorFlags'), rig.err('message'));
    });
  });
}

const DEFAULT_WORD_NS = 30;
