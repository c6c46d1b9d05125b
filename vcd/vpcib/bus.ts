/**
 * The Virtual PCI Bus, emulator side: config space of the virtual devices, their fixed BAR windows,
 * the shared INTx line, plug and unplug, all behind the port interface of protocol.ts. The guest's
 * `kmod/vpcib` module turns this into a PCI root bus the kernel's PCI core enumerates.
 */
import type { Hardware } from "../machine/v86-adapter.ts";
import type { PciFunctionPort, VirtualPciFunction } from "./function.ts";
import { SLOT_CTRL_PRESENT, VPCIB, VPCIB_REGISTERS } from "./protocol.ts";

/** What the bus needs of the emulator (a subset of the v86 adapter's Hardware). */
export type BusHost = Pick<Hardware, "mmio" | "ports" | "setIrq" | "guestRam" | "guestRamWritten">;

const CMD_MEMORY = 1 << 1;
const CMD_MASTER = 1 << 2;
const CMD_INTX_DISABLE = 1 << 10;
const CMD_WRITABLE = 0x0001 | CMD_MEMORY | CMD_MASTER | 0x0040 | 0x0100 | CMD_INTX_DISABLE;
const STATUS_INTERRUPT = 1 << 3;
const BAR0 = 0x10;

const REG = Object.fromEntries(VPCIB_REGISTERS.map((r) => [r.name, r.offset])) as Record<string, number>;

interface Slot {
  fn: VirtualPciFunction;
  config: Uint8Array;
  /** Fixed physical address of each BAR (by BAR index). */
  barBase: number[];
  /** BARs whose last write was the all-ones sizing probe. */
  probing: boolean[];
  present: boolean;
  pin: boolean;
}

export interface BusState {
  slots: Array<{ present: boolean; config: Uint8Array; probing: boolean[]; pin: boolean; fn: unknown } | null>;
  cfgAddr: number;
  slotSel: number;
  sbAddr: number;
}

export class VirtualPciBus {
  private readonly slots: (Slot | null)[] = new Array(VPCIB.slots).fill(null);
  private cfgAddr = 0;
  private slotSel = 0;
  private sbAddr = 0;
  private line = false;

  constructor(private readonly host: BusHost) {
    host.ports(VPCIB.portBase, VPCIB.portCount, {
      read8: (p) => this.portRead(p - VPCIB.portBase, 1),
      read16: (p) => this.portRead(p - VPCIB.portBase, 2),
      read32: (p) => this.portRead(p - VPCIB.portBase, 4),
      write8: (p, v) => this.portWrite(p - VPCIB.portBase, v, 1),
      write16: (p, v) => this.portWrite(p - VPCIB.portBase, v, 2),
      write32: (p, v) => this.portWrite(p - VPCIB.portBase, v, 4),
    });
  }

  /** Puts a device in a slot (unplugged until the guest plugs it) and maps its BAR windows. */
  insert(slotIndex: number, fn: VirtualPciFunction): void {
    if (slotIndex < 0 || slotIndex >= VPCIB.slots || this.slots[slotIndex]) throw new Error(`VPCIB slot ${slotIndex} is not free`);
    const barBase: number[] = [];
    let next = VPCIB.memBase + slotIndex * VPCIB.slotWindow;
    const end = next + VPCIB.slotWindow;
    for (const b of [...fn.bars].sort((a, c) => c.size - a.size)) {
      if (b.size & (b.size - 1) || b.size < 0x20000) throw new Error(`${fn.name}: BAR${b.index} size 0x${b.size.toString(16)} must be a power of two of at least 128 KiB`);
      next = Math.ceil(next / b.size) * b.size;
      if (next + b.size > end) throw new Error(`${fn.name}: BARs do not fit the slot window`);
      barBase[b.index] = next;
      next += b.size;
    }
    const slot: Slot = { fn, config: new Uint8Array(256), barBase, probing: [], present: false, pin: false };
    this.slots[slotIndex] = slot;
    this.resetConfig(slot);
    for (const b of fn.bars) {
      const bar = b.index;
      const live = () => slot.present && (slot.config[4]! & CMD_MEMORY) !== 0;
      this.host.mmio(barBase[bar]!, b.size, {
        read8: (o) => (live() ? fn.mmioRead8(bar, o) : 0xff),
        write8: (o, v) => { if (live()) fn.mmioWrite8(bar, o, v); },
        read32: (o) => (live() ? fn.mmioRead32(bar, o) : -1),
        write32: (o, v) => { if (live()) fn.mmioWrite32(bar, o, v); },
      });
    }
    const port: PciFunctionPort = {
      setIrq: (level) => { slot.pin = level; this.updateStatus(slot); this.updateLine(); },
      busMaster: () => slot.present && (slot.config[4]! & CMD_MASTER) !== 0,
      guestRam: () => this.host.guestRam(),
      guestRamWritten: (s, e) => this.host.guestRamWritten(s, e),
    };
    fn.connect(port);
  }

  /** The fixed physical address of a device's BAR. */
  barAddress(slotIndex: number, bar: number): number {
    const s = this.slots[slotIndex];
    if (!s || s.barBase[bar] === undefined) throw new Error(`no BAR${bar} in VPCIB slot ${slotIndex}`);
    return s.barBase[bar]!;
  }

  isPresent(slotIndex: number): boolean {
    return this.slots[slotIndex]?.present ?? false;
  }

  /** Config space as the guest sees it (all ones for an empty or unplugged slot). */
  configRead(devfn: number, offset: number, size: 1 | 2 | 4): number {
    const s = this.slotOf(devfn);
    if (!s || offset + size > 256) return size === 4 ? 0xffffffff : (1 << (size * 8)) - 1;
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.configByte(s, offset + i) << (8 * i);
    return v >>> 0;
  }

  configWrite(devfn: number, offset: number, value: number, size: 1 | 2 | 4): void {
    const s = this.slotOf(devfn);
    if (!s || offset + size > 256) return;
    if (offset >= BAR0 && offset < BAR0 + 24) {
      // BARs are fixed where the firmware put them: a write of all ones starts sizing, anything else ends it.
      const bar = (offset - BAR0) >> 2;
      s.probing[bar] = size === 4 && value >>> 0 === 0xffffffff;
      return;
    }
    for (let i = 0; i < size; i++) {
      const at = offset + i, byte = (value >>> (8 * i)) & 0xff;
      if (at === 4 || at === 5) {
        const cmd = ((s.config[4]! | s.config[5]! << 8) & ~(0xff << (8 * (at - 4)))) | byte << (8 * (at - 4));
        const w = cmd & CMD_WRITABLE;
        s.config[4] = w & 0xff;
        s.config[5] = w >> 8;
      } else if (at === 6 || at === 7) {
        continue; // status: nothing to clear (no error bits are ever set)
      } else if (at === 0x0c || at === 0x0d || at === 0x3c) {
        s.config[at] = byte;
      }
    }
    if (offset <= 5 && offset + size > 4) this.updateLine();
  }

  private configByte(s: Slot, at: number): number {
    if (at >= BAR0 && at < BAR0 + 24) {
      const bar = (at - BAR0) >> 2;
      const def = s.fn.bars.find((b) => b.index === bar);
      if (!def) return 0;
      const flags = def.prefetchable ? 8 : 0;
      const v = (s.probing[bar] ? (~(def.size - 1) | flags) : (s.barBase[bar]! | flags)) >>> 0;
      return (v >>> (8 * (at & 3))) & 0xff;
    }
    return s.config[at]!;
  }

  private slotOf(devfn: number): Slot | null {
    if (devfn & 7) return null;
    const s = this.slots[devfn >> 3];
    return s && s.present ? s : null;
  }

  private resetConfig(s: Slot): void {
    const c = s.config, id = s.fn.identity;
    c.fill(0);
    const put16 = (at: number, v: number) => { c[at] = v & 0xff; c[at + 1] = (v >> 8) & 0xff; };
    put16(0, id.vendorId);
    put16(2, id.deviceId);
    c[8] = id.revision;
    c[9] = id.classCode & 0xff;
    c[10] = (id.classCode >> 8) & 0xff;
    c[11] = (id.classCode >> 16) & 0xff;
    put16(0x2c, id.subsystemVendorId);
    put16(0x2e, id.subsystemId);
    c[0x3c] = id.interruptPin ? VPCIB.irq : 0xff;
    c[0x3d] = id.interruptPin;
    s.probing = [];
  }

  private updateStatus(s: Slot): void {
    s.config[6] = s.pin ? s.config[6]! | STATUS_INTERRUPT : s.config[6]! & ~STATUS_INTERRUPT;
  }

  /** INTA of every slot is wired to one level-triggered legacy line. */
  private updateLine(): void {
    let level = false;
    for (const s of this.slots) {
      if (s && s.present && s.pin && !(s.config[5]! << 8 & CMD_INTX_DISABLE) && s.fn.identity.interruptPin) level = true;
    }
    if (level !== this.line) {
      this.line = level;
      this.host.setIrq(VPCIB.irq, level);
    }
  }

  private setPresent(s: Slot, present: boolean): void {
    if (s.present === present) return;
    s.fn.reset();
    this.resetConfig(s);
    s.present = present;
    this.updateStatus(s);
    this.updateLine();
  }

  // ---------------------------------------------------------------- the port interface

  private portRead(off: number, size: 1 | 2 | 4): number {
    const cfg = REG.CFG_DATA!;
    if (off >= cfg && off < cfg + 4) {
      const lane = off - cfg;
      return this.configRead((this.cfgAddr >>> 12) & 0xff, (this.cfgAddr & 0xffc) + lane, size);
    }
    if (size !== 4 || off & 3) return size === 1 ? 0xff : 0xffff;
    const sel = this.slots[this.slotSel] ?? null;
    switch (off) {
      case REG.MAGIC: return VPCIB.magic;
      case REG.VERSION: return VPCIB.version;
      case REG.INFO: return VPCIB.irq | VPCIB.bus << 8 | VPCIB.slots << 16;
      case REG.DOMAIN: return VPCIB.domain;
      case REG.MEM_BASE: return VPCIB.memBase;
      case REG.MEM_SIZE: return VPCIB.memSize;
      case REG.CFG_ADDR: return this.cfgAddr;
      case REG.SLOT_SEL: return this.slotSel;
      case REG.SLOT_ID: return sel ? (sel.fn.identity.vendorId | sel.fn.identity.deviceId << 16) >>> 0 : 0xffffffff;
      case REG.SLOT_CLASS: return sel ? ((sel.fn.identity.classCode << 8) | sel.fn.identity.revision) >>> 0 : 0xffffffff;
      case REG.SLOT_CTRL: return sel?.present ? SLOT_CTRL_PRESENT : 0;
      case REG.SB_ADDR: return this.sbAddr;
      case REG.SB_DATA: return sel?.fn.sidebandRead?.(this.sbAddr) ?? 0xffffffff;
      default: return 0xffffffff;
    }
  }

  private portWrite(off: number, value: number, size: 1 | 2 | 4): void {
    const cfg = REG.CFG_DATA!;
    if (off >= cfg && off < cfg + 4) {
      const lane = off - cfg;
      this.configWrite((this.cfgAddr >>> 12) & 0xff, (this.cfgAddr & 0xffc) + lane, value, size);
      return;
    }
    if (size !== 4 || off & 3) return;
    const sel = this.slots[this.slotSel] ?? null;
    switch (off) {
      case REG.CFG_ADDR: this.cfgAddr = value & 0xffffc; break;
      case REG.SLOT_SEL: this.slotSel = value >>> 0; break;
      case REG.SLOT_CTRL: if (sel) this.setPresent(sel, (value & SLOT_CTRL_PRESENT) !== 0); break;
      case REG.SB_ADDR: this.sbAddr = value >>> 0; break;
      case REG.SB_DATA: sel?.fn.sidebandWrite?.(this.sbAddr, value >>> 0); break;
    }
  }

  // ---------------------------------------------------------------- state

  saveState(): BusState {
    return {
      slots: this.slots.map((s) => s && { present: s.present, config: s.config.slice(), probing: [...s.probing], pin: s.pin, fn: s.fn.saveState() }),
      cfgAddr: this.cfgAddr, slotSel: this.slotSel, sbAddr: this.sbAddr,
    };
  }

  loadState(st: BusState): void {
    this.cfgAddr = st.cfgAddr;
    this.slotSel = st.slotSel;
    this.sbAddr = st.sbAddr;
    st.slots.forEach((saved, i) => {
      const s = this.slots[i];
      if (!s || !saved) return;
      s.present = saved.present;
      s.config.set(saved.config.subarray(0, 256));
      s.probing = [...saved.probing];
      s.pin = saved.pin;
      s.fn.loadState(saved.fn);
    });
    // The restored PIC already holds the line's level; only our record of it needs to follow.
    this.line = this.slots.some((s) => s && s.present && s.pin && !(s.config[5]! << 8 & CMD_INTX_DISABLE));
  }
}
