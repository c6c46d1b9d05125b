// Integration: the virtual card on the Virtual PCI Bus, in the real guest under real v86.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Machine } from "../../machine/machine.ts";
import { copyDirIn, PROJECT_DIR, startNodeMachine } from "../../machine/node-host.ts";
import { permedia2v } from "../../card/variants/permedia2v.ts";
import { VPCIB } from "../protocol.ts";

const hex4 = (n: number) => n.toString(16).padStart(4, "0");
const ids = `${hex4(permedia2v.pci.vendorId)}:${hex4(permedia2v.pci.deviceId)}`;
const address = `${hex4(VPCIB.domain)}:${VPCIB.bus.toString(16).padStart(2, "0")}:00.0`;

let m: Machine;
before(async () => { m = await startNodeMachine(); });
after(async () => { await m?.destroy(); });

test("lspci shows the card in the bus's own domain, with its BARs and IRQ", async () => {
  const r = await m.exec(`lspci -nn; lspci -v -s ${address}`);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${address} .*\\[${ids}\\]`, "m"));
  assert.match(r.stdout, new RegExp(`IRQ ${VPCIB.irq}`));
  for (const b of permedia2v.bars) assert.match(r.stdout, new RegExp(`Memory at [0-9a-f]+ .*size=${b.size >= 0x100000 ? `${b.size >> 20}M` : `${b.size >> 10}K`}`));
});

test("a plain PCI driver maps BAR0, reads identity registers, DMAs tag words and takes the DMA interrupt", async () => {
  await copyDirIn(m, join(PROJECT_DIR, "kmod/samples/card-selftest"), "selftest/samples/card-selftest");
  await copyDirIn(m, join(PROJECT_DIR, "kmod/include"), "selftest/include");
  const build = await m.exec("make -C /work/selftest/samples/card-selftest 2>&1", { timeout: 600_000 });
  assert.equal(build.exitCode, 0, build.stdout);
  const r = await m.exec("dmesg -c >/dev/null; insmod selftest/samples/card-selftest/card_selftest.ko && rmmod card_selftest; dmesg");
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /FAIL/);
  for (const check of ["InFIFOSpace", "MemConfig", "DMA interrupt", "DMACount is 0", "StartY holds", "no error flags"]) {
    assert.match(r.stdout, new RegExp(`PASS ${check}`), r.stdout);
  }
  assert.match(r.stdout, /probe done: [1-9]\d* interrupts/);
  assert.match(r.stdout, /remove\(\) called/);
  assert.doesNotMatch(r.stdout, /WARNING|BUG|Oops|nobody cared/);
});

test("rmmod vgpu hot-unplugs the card (the bound driver's remove() runs) and modprobe brings it back", async () => {
  const r = await m.exec([
    "dmesg -c >/dev/null",
    "insmod selftest/samples/card-selftest/card_selftest.ko",
    "rmmod vgpu",
    "echo after-unplug; lspci -n",
    "modprobe vgpu && echo after-replug && lspci -n",
    "rmmod card_selftest; dmesg",
  ].join("; "));
  const [, afterUnplug, afterReplug] = r.stdout.split(/after-unplug|after-replug/);
  assert.doesNotMatch(afterUnplug ?? "", new RegExp(ids));
  assert.match(afterReplug ?? "", new RegExp(ids));
  assert.match(r.stdout, /remove\(\) called/);
  assert.match(r.stdout, /PASS DMA interrupt[\s\S]*PASS DMA interrupt/, "the driver binds again after re-plugging");
});

test("DMA without bus mastering is refused with an error the card reports", async () => {
  const errors = () => m.platform.card.trace.events().filter((e) => e.kind === "guest-error");
  const before = errors().length;
  // setpci clears Bus Master Enable; then a DMACount write must not start a transfer.
  const r = await m.exec(`setpci -s ${address} COMMAND=0x0002 && echo ok`);
  assert.equal(r.stdout, "ok\n", r.stderr);
  const bar0 = m.platform.bus.barAddress(0, 0);
  const w = await m.exec(`busybox devmem ${bar0 + 0x30} 32 4; busybox devmem ${bar0 + 0x30} 32`);
  assert.equal(w.exitCode, 0, w.stderr);
  const after = errors().slice(before);
  assert.ok(after.some((e) => e.kind === "guest-error" && /pci_set_master/.test(e.message)), JSON.stringify(after));
  await m.exec(`setpci -s ${address} COMMAND=0x0006`);
});
