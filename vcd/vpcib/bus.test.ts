// The Virtual PCI Bus over a fake emulator: config space, fixed BARs, plug/unplug, INTx, bus mastering, state.
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { VirtualPciBus, type BusHost } from "./bus.ts";
import type { PciFunctionPort, VirtualPciFunction } from "./function.ts";
import { portOf, VPCIB } from "./protocol.ts";

type Handlers = Parameters<BusHost["ports"]>[2];
type Mmio = Parameters<BusHost["mmio"]>[2];

class FakeHost implements BusHost {
  ports_: Handlers | null = null;
  windows: Array<{ base: number; size: number; h: Mmio }> = [];
  irq: Array<[number, boolean]> = [];
  mmio(base: number, size: number, h: Mmio) { this.windows.push({ base, size, h }); }
  ports(_base: number, _count: number, h: Handlers) { this.ports_ = h; }
  setIrq(line: number, level: boolean) { this.irq.push([line, level]); }
  guestRam() { return new Uint8Array(4096); }
  guestRamWritten() {}
  in32(port: number) { return this.ports_!.read32!(port) >>> 0; }
  out32(port: number, v: number) { this.ports_!.write32!(port, v); }
  cfg32(devfn: number, off: number) { this.out32(portOf("CFG_ADDR"), devfn << 12 | off); return this.in32(portOf("CFG_DATA")); }
  cfgW32(devfn: number, off: number, v: number) { this.out32(portOf("CFG_ADDR"), devfn << 12 | off); this.ports_!.write32!(portOf("CFG_DATA"), v); }
  cfg8(devfn: number, off: number) { this.out32(portOf("CFG_ADDR"), devfn << 12 | off & ~3); return this.ports_!.read8!(portOf("CFG_DATA") + (off & 3)); }
  plug(slot: number, on: boolean) { this.out32(portOf("SLOT_SEL"), slot); this.out32(portOf("SLOT_CTRL"), on ? 1 : 0); }
  mmio32(addr: number) { const w = this.windows.find((x) => addr >= x.base && addr < x.base + x.size)!; return w.h.read32(addr - w.base) >>> 0; }
  mmioW32(addr: number, v: number) { const w = this.windows.find((x) => addr >= x.base && addr < x.base + x.size)!; w.h.write32(addr - w.base, v); }
}

class FakeDevice implements VirtualPciFunction {
  readonly name = "fake";
  readonly identity = { vendorId: 0x1234, deviceId: 0xbeef, revision: 2, classCode: 0x038000, subsystemVendorId: 0x1234, subsystemId: 1, interruptPin: 1 };
  readonly bars = [{ index: 0, size: 0x20000, prefetchable: false }, { index: 1, size: 0x800000, prefetchable: true }];
  port!: PciFunctionPort;
  regs = new Map<string, number>();
  resets = 0;
  sb = 0;
  connect(p: PciFunctionPort) { this.port = p; }
  mmioRead32(bar: number, off: number) { return this.regs.get(`${bar}:${off}`) ?? 0; }
  mmioWrite32(bar: number, off: number, v: number) { this.regs.set(`${bar}:${off}`, v); }
  mmioRead8() { return 0; }
  mmioWrite8() {}
  reset() { this.resets++; this.regs.clear(); }
  sidebandRead() { return this.sb; }
  sidebandWrite(_r: number, v: number) { this.sb = v; }
  saveState() { return { regs: [...this.regs], sb: this.sb }; }
  loadState(s: unknown) { const st = s as { regs: [string, number][]; sb: number }; this.regs = new Map(st.regs); this.sb = st.sb; }
}

function setup() {
  const host = new FakeHost();
  const bus = new VirtualPciBus(host);
  const dev = new FakeDevice();
  bus.insert(0, dev);
  return { host, bus, dev };
}

describe("VirtualPciBus", () => {
  it("identifies itself on the port interface", () => {
    const { host } = setup();
    assert.equal(host.in32(portOf("MAGIC")), VPCIB.magic);
    assert.equal(host.in32(portOf("INFO")) & 0xff, VPCIB.irq);
    assert.equal(host.in32(portOf("MEM_BASE")), VPCIB.memBase);
    host.out32(portOf("SLOT_SEL"), 0);
    assert.equal(host.in32(portOf("SLOT_ID")), 0xbeef1234);
    assert.equal(host.in32(portOf("SLOT_CLASS")) >>> 8, 0x038000);
    host.out32(portOf("SLOT_SEL"), 1);
    assert.equal(host.in32(portOf("SLOT_ID")), 0xffffffff, "empty slot");
  });

  it("hides config space until the slot is plugged, and resets the device on plug and unplug", () => {
    const { host, dev } = setup();
    assert.equal(host.cfg32(0, 0), 0xffffffff);
    host.plug(0, true);
    assert.equal(host.cfg32(0, 0), 0xbeef1234);
    assert.equal(host.cfg8(0, 0x3d), 1, "INTA");
    assert.equal(host.cfg8(0, 0x3c), VPCIB.irq);
    assert.equal(host.cfg32(1 << 3, 0), 0xffffffff, "slot 1 is empty");
    assert.equal(host.cfg32(1, 0), 0xffffffff, "function 1 does not exist");
    host.plug(0, false);
    assert.equal(host.cfg32(0, 0), 0xffffffff);
    assert.equal(dev.resets, 2);
  });

  it("keeps BARs fixed, answers the sizing probe, and decodes MMIO only with Memory Space enabled", () => {
    const { host, bus, dev } = setup();
    host.plug(0, true);
    const bar0 = host.cfg32(0, 0x10), bar1 = host.cfg32(0, 0x14);
    assert.equal(bar0, bus.barAddress(0, 0));
    assert.equal((bar1 & ~0xf) >>> 0, bus.barAddress(0, 1));
    assert.equal(bar1 & 8, 8, "prefetchable flag");
    assert.equal(bar1 % 0x800000, 8, "naturally aligned");
    host.cfgW32(0, 0x10, 0xffffffff);
    assert.equal(host.cfg32(0, 0x10), (~(0x20000 - 1)) >>> 0);
    host.cfgW32(0, 0x10, 0x12340000);
    assert.equal(host.cfg32(0, 0x10), bar0, "a write cannot move the BAR");
    host.mmioW32(bar0 + 8, 42);
    assert.equal(dev.regs.size, 0, "memory decode off: write dropped");
    assert.equal(host.mmio32(bar0 + 8), 0xffffffff);
    host.cfgW32(0, 4, 2);
    host.mmioW32(bar0 + 8, 42);
    assert.equal(host.mmio32(bar0 + 8), 42);
  });

  it("routes INTx to the level line, honours INTx-disable, shows Interrupt Status, gates bus mastering", () => {
    const { host, dev } = setup();
    dev.port.setIrq(true);
    assert.deepEqual(host.irq, [], "unplugged: no interrupt");
    host.plug(0, true);
    dev.port.setIrq(true);
    assert.deepEqual(host.irq.at(-1), [VPCIB.irq, true]);
    assert.equal(host.cfg32(0, 4) >>> 16 & 8, 8, "status.interrupt");
    host.cfgW32(0, 4, 1 << 10);
    assert.deepEqual(host.irq.at(-1), [VPCIB.irq, false], "INTx disabled");
    host.cfgW32(0, 4, 0);
    assert.deepEqual(host.irq.at(-1), [VPCIB.irq, true]);
    dev.port.setIrq(false);
    assert.deepEqual(host.irq.at(-1), [VPCIB.irq, false]);
    assert.equal(dev.port.busMaster(), false);
    host.cfgW32(0, 4, 4);
    assert.equal(dev.port.busMaster(), true);
  });

  it("passes sideband registers to the device and round-trips its state", () => {
    const { host, bus, dev } = setup();
    host.plug(0, true);
    host.cfgW32(0, 4, 6);
    host.out32(portOf("SB_ADDR"), 0);
    host.out32(portOf("SB_DATA"), 7);
    assert.equal(dev.sb, 7);
    const saved = structuredClone(bus.saveState());
    const b = setup();
    b.bus.loadState(saved);
    assert.equal(b.host.cfg32(0, 0), 0xbeef1234, "plugged after restore");
    assert.equal(b.host.cfg32(0, 4) & 0xffff, 6);
    assert.equal(b.dev.sb, 7);
  });
});
