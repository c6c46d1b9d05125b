/**
 * The Virtual PCI Bus (VPCIB) port interface: how the guest's `vpcib` host-bridge module reaches the
 * emulator's virtual devices. One typed table; `kmod/include/generated/vpcib_hw.h` is generated from it.
 *
 * The bus is a PCI root bus of its own (domain `domain`, bus number `bus`) with one memory window.
 * Each virtual device sits in a slot (device number = slot index, function 0) with BARs fixed inside
 * the window, as firmware would leave them. A slot's config space only answers while the slot is
 * plugged (SLOT_CTRL.PRESENT), which the guest's device module sets on load and clears on unload.
 */

export interface PortRegister {
  readonly name: string;
  readonly offset: number;
  readonly access: "R" | "W" | "RW";
  readonly doc: string;
}

export const VPCIB = {
  /** First I/O port of the interface (0x7000–0x7FFF is free in v86). */
  portBase: 0x7000,
  portCount: 0x40,
  magic: 0x42435056, // "VPCB", little-endian
  version: 1,
  /** PCI domain (segment) of the bus; domain 0 is v86's own bus. */
  domain: 1,
  /** Root bus number: not 0, so the firmware's PIRQ routing table (bus 0 only) never claims our slots. */
  bus: 0x10,
  /** Legacy interrupt line of INTA (free on v86's PIC when ACPI is off), level-triggered. */
  irq: 9,
  /** Memory window for all BARs on the bus. */
  memBase: 0xd0000000,
  memSize: 0x04000000,
  /** Each slot owns a naturally aligned part of the window. */
  slotWindow: 0x02000000,
  slots: 2,
} as const;

export const VPCIB_REGISTERS: readonly PortRegister[] = [
  { name: "MAGIC", offset: 0x00, access: "R", doc: `Reads VPCIB_MAGIC ("VPCB") when the emulator provides the bus.` },
  { name: "VERSION", offset: 0x04, access: "R", doc: "Interface version." },
  { name: "INFO", offset: 0x08, access: "R", doc: "[7:0] INTx interrupt line, [15:8] root bus number, [23:16] number of slots." },
  { name: "DOMAIN", offset: 0x0c, access: "R", doc: "PCI domain number of the bus." },
  { name: "MEM_BASE", offset: 0x10, access: "R", doc: "Physical base of the bus's memory window." },
  { name: "MEM_SIZE", offset: 0x14, access: "R", doc: "Size of the memory window in bytes." },
  { name: "CFG_ADDR", offset: 0x18, access: "RW", doc: "Config access address: [19:12] devfn, [11:2] dword offset of the register (bits 1:0 ignored)." },
  { name: "CFG_DATA", offset: 0x1c, access: "RW", doc: "Config data of the dword at CFG_ADDR; byte and word accesses use ports CFG_DATA + (offset & 3)." },
  { name: "SLOT_SEL", offset: 0x20, access: "RW", doc: "Selects the slot the SLOT_* and SB_* registers refer to." },
  { name: "SLOT_ID", offset: 0x24, access: "R", doc: "[15:0] vendor, [31:16] device of the selected slot's device; 0xffffffff when the slot is empty." },
  { name: "SLOT_CLASS", offset: 0x28, access: "R", doc: "[31:8] class code, [7:0] revision of the selected slot's device." },
  { name: "SLOT_CTRL", offset: 0x2c, access: "RW", doc: "Bit 0 PRESENT: 1 plugs the device (config space answers), 0 unplugs and resets it." },
  { name: "SB_ADDR", offset: 0x30, access: "RW", doc: "Sideband register index of the selected slot (emulator controls, not part of the device)." },
  { name: "SB_DATA", offset: 0x34, access: "RW", doc: "Sideband register value." },
];

export const SLOT_CTRL_PRESENT = 1;

/** Emulator-side controls of the graphics card, reached through the sideband registers (not the card's own registers). */
export const GPU_SIDEBAND: readonly PortRegister[] = [
  { name: "BURST", offset: 0, access: "RW", doc: "1: complete DMA buffers back to back without simulated time (completion interrupts in rapid succession)." },
  { name: "TIME_SCALE", offset: 1, access: "RW", doc: "Simulated-time speed in percent of real time (100 = real time); higher completes work sooner." },
  { name: "IRQ_TIMING", offset: 2, access: "RW", doc: "When a raised interrupt reaches the CPU: 0 prompt (end of the emulator slice), 1 adversarial (first instruction boundary after the register write that raised it), 2 random (seeded, between the two)." },
  { name: "IRQ_SEED", offset: 3, access: "RW", doc: "Seed of the random interrupt timing; writing it restarts the sequence." },
  { name: "MODULE_INFO", offset: 4, access: "W", doc: "Word stream telling the host where a module's code is, for naming a deadlock: VGPU_MODINFO_LOAD, text base, text size, name, symbol count, then per symbol address and name; or VGPU_MODINFO_GONE, name. A name is its length in bytes, then its bytes four to a word, little-endian." },
];

/** Interrupt timing modes, by their IRQ_TIMING value. */
export const IRQ_TIMING_MODES = ["prompt", "adversarial", "random"] as const;

/** First words of the records on the MODULE_INFO stream. */
export const MODINFO = { load: 0x4d4f444c /* "LDOM" */, gone: 0x4d4f4447 /* "GDOM" */ } as const;

export function portOf(name: string): number {
  const r = VPCIB_REGISTERS.find((x) => x.name === name);
  if (!r) throw new Error(`no VPCIB register ${name}`);
  return VPCIB.portBase + r.offset;
}
