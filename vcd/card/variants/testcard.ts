/**
 * A test variant: the same behaviour as permedia2v with different PCI IDs, reversed register
 * offsets, permuted tag numbers, interrupt and error bits, another tag-word mode encoding, FIFO
 * window, GP stride, FIFO depths and VRAM size. The behavioural tests run against both variants,
 * so anything hard-wired outside the definition fails here.
 */
import { bitFields, type CardVariant, type RegisterDef } from '../definition.ts';
import { permedia2v } from './permedia2v.ts';

const base = permedia2v;
const offsets = base.registers.map((r) => r.offset).reverse();
const irqBit: Record<string, number> = { dma: 4, sync: 0, external: 2, error: 1, vretrace: 3, scanline: 5 };
const permuteTag = (t: number) => t ^ 0x155;

const interrupts = base.interrupts.map((d) => ({ ...d, bit: irqBit[d.role]! }));
const errors = base.errors.map((e) => ({ ...e, bit: e.bit + 16 }));

function remap(r: RegisterDef, i: number): RegisterDef {
  const offset = offsets[i]!;
  if (r.role === 'intEnable' || r.role === 'intFlags') return { ...r, offset, fields: bitFields(interrupts) };
  if (r.role === 'errorFlags') return { ...r, offset, fields: bitFields(errors) };
  return { ...r, offset };
}

export const testcard: CardVariant = {
  ...base,
  id: 'testcard',
  name: 'vgpu-lab test card',
  description: 'Permuted layout of the default card, used only by tests.',
  symbolPrefix: 'TC',
  pci: { vendorId: 0x1234, deviceId: 0xbeef, revision: 0x07, classCode: 0x038000, subsystemVendorId: 0x1234, subsystemId: 0x0001, interruptPin: 1 },
  bars: [
    { index: 0, size: 0x10000, kind: 'registers', prefetchable: false, description: 'Registers.' },
    { index: 1, size: 0x400000, kind: 'vram', prefetchable: true, description: 'VRAM.' },
  ],
  vramBytes: 0x400000,
  fifo: { inputDepth: 64, outputDepth: 4 },
  windows: {
    fifo: { offset: 0x2800, size: 0x400, description: 'Tag-format FIFO window.' },
    gp: { offset: 0xc000, size: 0x4000, stride: 16, description: 'GP registers.' },
  },
  tagFormat: { tag: [9, 0], reserved: [13, 10], mode: [15, 14], count: [31, 16], modes: { hold: 2, increment: 0, indexed: 1 }, indexedGroupShift: 4 },
  registers: base.registers.map(remap),
  tags: base.tags.map((t) => ({ ...t, tag: permuteTag(t.tag) })),
  interrupts,
  errors,
};
