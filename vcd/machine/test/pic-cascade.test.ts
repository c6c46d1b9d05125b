// The adapter's repair of v86's 8259 cascade, on a fake PIC laid out as v86's Pic0 (13 bytes each).
import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerPicLine, repairPicCascade } from "../v86-adapter.ts";

const MASTER = 16, SLAVE = 32, IRQ_MASK = 0, ISR = 2, IRR = 3, ELCR = 10, IRQ_VALUE = 11;

function fakeCpu(master: Partial<Record<number, number>>, slave: Partial<Record<number, number>>) {
  const mem = new Uint8Array(64);
  for (const [k, v] of Object.entries(master)) mem[MASTER + Number(k)] = v!;
  for (const [k, v] of Object.entries(slave)) mem[SLAVE + Number(k)] = v!;
  return { mem, cpu: { wasm_memory: { buffer: mem.buffer }, get_pic_addr_master: () => MASTER, get_pic_addr_slave: () => SLAVE } };
}

test("a cascade request the slave withdrew is dropped; a live one stays", () => {
  const stale = fakeCpu({ [IRQ_MASK]: 0xff, [IRR]: 0x04, [IRQ_VALUE]: 0x04 }, { [IRQ_MASK]: 0xff, [IRR]: 0 });
  repairPicCascade(stale.cpu);
  assert.equal(stale.mem[MASTER + IRR], 0);
  assert.equal(stale.mem[MASTER + IRQ_VALUE], 0);

  const live = fakeCpu({ [IRQ_MASK]: 0xff, [IRR]: 0x05 }, { [IRQ_MASK]: 0xff, [IRR]: 0x02 }); // IRQ 9 pending
  repairPicCascade(live.cpu);
  assert.equal(live.mem[MASTER + IRR], 0x05);

  const masked = fakeCpu({ [IRQ_MASK]: 0xff, [IRR]: 0x04 }, { [IRQ_MASK]: 0xfd, [IRR]: 0x02 }); // IRQ 9 masked at the slave
  repairPicCascade(masked.cpu);
  assert.equal(masked.mem[MASTER + IRR], 0, "a masked slave line requests nothing");
});

test("an in-service cascade with nothing in service at the slave is ended; a real one is kept", () => {
  const orphan = fakeCpu({ [ISR]: 0x04 | 0x01 }, { [ISR]: 0 });
  repairPicCascade(orphan.cpu);
  assert.equal(orphan.mem[MASTER + ISR], 0x01, "only IR2 is cleared");

  const real = fakeCpu({ [ISR]: 0x04 }, { [ISR]: 0x02 });
  repairPicCascade(real.cpu);
  assert.equal(real.mem[MASTER + ISR], 0x04);
});

test("lowering a level line clears its request and the cascade at once; an edge request stays latched", () => {
  // IRQ 9 (slave bit 1) level-triggered, asserted, cascaded to the master's IR2.
  const lvl = fakeCpu({ [IRQ_MASK]: 0xff, [IRR]: 0x04, [IRQ_VALUE]: 0x04 }, { [IRQ_MASK]: 0xff, [ELCR]: 0x02, [IRR]: 0x02, [IRQ_VALUE]: 0x02 });
  lowerPicLine(lvl.cpu, 9);
  assert.equal(lvl.mem[SLAVE + IRR], 0);
  assert.equal(lvl.mem[SLAVE + IRQ_VALUE], 0);
  assert.equal(lvl.mem[MASTER + IRR], 0, "nothing left to cascade");

  // IRQ 3 edge-triggered on the master: the latched request survives the line going low, as on an 8259.
  const edge = fakeCpu({ [IRQ_MASK]: 0xff, [IRR]: 0x08, [IRQ_VALUE]: 0x08 }, {});
  lowerPicLine(edge.cpu, 3);
  assert.equal(edge.mem[MASTER + IRR], 0x08);
  assert.equal(edge.mem[MASTER + IRQ_VALUE], 0);
});
