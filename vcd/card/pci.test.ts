/** The card as a PCI function: identity from the variant, the time pump, bus mastering, sideband controls. */
import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import type { PciFunctionPort } from '../vpcib/function.ts';
import { GPU_SIDEBAND } from '../vpcib/protocol.ts';
import { layoutOf } from './layout.ts';
import { CardFunction } from './pci.ts';
import { StreamBuilder } from './stream.ts';
import { VARIANTS } from './test-helpers.ts';

const SB_BURST = GPU_SIDEBAND.find((r) => r.name === 'BURST')!.offset;

for (const variant of VARIANTS) {
  it(`${variant.id}: a DMA buffer completes in simulated time and raises INTx only with bus mastering`, async () => {
    const ram = new Uint8Array(1 << 20);
    const levels: boolean[] = [];
    let master = false;
    let now = 0;
    const fn = new CardFunction(variant, {}, () => now);
    const port: PciFunctionPort = { setIrq: (l) => levels.push(l), busMaster: () => master, guestRam: () => ram, guestRamWritten: () => {} };
    fn.connect(port);
    assert.equal(fn.identity.vendorId, variant.pci.vendorId);
    assert.deepEqual(fn.bars.map((b) => b.index), variant.bars.map((b) => b.index));
    const l = layoutOf(variant);
    const off = (role: Parameters<typeof l.reg>[0]) => l.reg(role).def.offset;
    const irqBit = (1 << variant.interrupts.find((i) => i.role === 'dma')!.bit) >>> 0;
    fn.mmioWrite32(0, off('intEnable'), irqBit);
    const words = new StreamBuilder(variant).words();
    const sb = new StreamBuilder(variant);
    sb.flatTriangle({ x: 10, y: 10, r: 0, g: 0, b: 0 }, { x: 60, y: 20, r: 0, g: 0, b: 0 }, { x: 20, y: 60, r: 0, g: 0, b: 0 }, 0xffffff);
    const w = sb.words();
    new Uint32Array(ram.buffer, 0x1000, w.length).set(w);
    assert.equal(words.length, 0);

    fn.mmioWrite32(0, off('dmaAddress'), 0x1000);
    fn.mmioWrite32(0, off('dmaCount'), w.length);
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(fn.card.trace.events().some((e) => e.kind === 'guest-error' && /pci_set_master/.test(e.message)), 'refused without bus mastering');

    master = true;
    fn.mmioWrite32(0, off('intFlags'), 0xffffffff);
    fn.mmioWrite32(0, off('dmaCount'), w.length);
    await new Promise((r) => setTimeout(r, 5));
    assert.notEqual(fn.mmioRead32(0, off('dmaCount')), 0, 'no simulated time has passed yet');
    now += 1; // 1 ms of real time at 100 %
    fn.step();
    assert.equal(fn.mmioRead32(0, off('dmaCount')), 0);
    assert.equal(levels.at(-1), true, 'DMA interrupt raised');
    assert.ok(fn.card.stats.dmaWords >= w.length, 'the words were fetched');
    fn.stop();
  });

  it(`${variant.id}: burst mode completes without simulated time; state keeps it`, async () => {
    const ram = new Uint8Array(1 << 20);
    const fn = new CardFunction(variant, {}, () => 0);
    fn.connect({ setIrq: () => {}, busMaster: () => true, guestRam: () => ram, guestRamWritten: () => {} });
    fn.sidebandWrite(SB_BURST, 1);
    assert.equal(fn.sidebandRead(SB_BURST), 1);
    const l = layoutOf(variant);
    const sb = new StreamBuilder(variant);
    sb.flatTriangle({ x: 10, y: 10, r: 0, g: 0, b: 0 }, { x: 60, y: 20, r: 0, g: 0, b: 0 }, { x: 20, y: 60, r: 0, g: 0, b: 0 }, 0xffffff);
    const w = sb.words();
    new Uint32Array(ram.buffer, 0x1000, w.length).set(w);
    fn.mmioWrite32(0, l.reg('dmaAddress').def.offset, 0x1000);
    fn.mmioWrite32(0, l.reg('dmaCount').def.offset, w.length);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(fn.mmioRead32(0, l.reg('dmaCount').def.offset), 0);
    const copy = new CardFunction(variant, {}, () => 0);
    copy.loadState(structuredClone(fn.saveState()));
    assert.equal(copy.sidebandRead(SB_BURST), 1);
    fn.stop();
    copy.stop();
  });
}
