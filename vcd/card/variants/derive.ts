/**
 * A new card variant derived from an existing one by a seed (`vgpu-lab variant new`): a new device for
 * every semester, so last year's drivers do not work. The seed (any string) decides everything below;
 * the same seed and name give the same variant, byte for byte once written as JSON.
 *
 * What changes: PCI IDs and name; register offsets (each group in its own 4 KiB page, in a random
 * order, 4- or 8-byte spacing); the FIFO and GP windows and the GP stride; single-purpose field bit
 * positions in flag registers and tags (multi-bit numbers such as coordinates and timings stay where
 * the arithmetic a driver does needs them); graphics tag numbers (whole groups of 16 move, so INCREMENT
 * runs and INDEXED groups still work); interrupt and error bits; the tag-word layout and mode
 * encodings; the primitive and shading encodings; FIFO depths and VRAM size; and the two behavioural
 * choices (interrupt acknowledge, command delivery).
 * What stays: register, tag and field names (the C symbols a driver uses), the symbol prefix, the
 * pixel formats and RAMDAC, the rasterization rules.
 */
import { bitFields, type Behaviour, type CardVariant, type FieldDef, type RegisterDef, type TagDef, type TagWordFormat, type BitRange } from '../definition.ts';

/** Deterministic generator from a string seed (cyrb128 hash, sfc32 stream). */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string) {
    let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
    for (let i = 0; i < seed.length; i++) {
      const k = seed.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    this.a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
    this.b = (h2 ^ h1) >>> 0;
    this.c = (h3 ^ h1) >>> 0;
    this.d = (h4 ^ h1) >>> 0;
    for (let i = 0; i < 16; i++) this.next();
  }
  /** Uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[this.next() % list.length]!;
  }
  shuffle<T>(list: readonly T[]): T[] {
    const a = [...list];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

export interface DeriveOptions {
  /** Semester name, e.g. "2027-spring": becomes the variant id (lower case, digits and '-'). */
  name: string;
  seed: string;
  /** Forces a behavioural choice instead of letting the seed decide (the other choices stay the seed's). */
  irqAck?: Behaviour['irqAck'];
  commands?: Behaviour['commands'];
}

/** Registers whose fields are independent flags or small enumerations: their positions move. */
const MOVABLE_REGISTER_FIELDS = new Set(['VideoControl', 'ChipConfig', 'ResetStatus']);
/** Tags whose fields move (every field used through <P>TAG_*_MASK / _SHIFT / value macros). */
const MOVABLE_TAG_FIELDS = new Set(['Render', 'ColorDDAMode', 'DitherMode', 'ScissorMode', 'FBWriteMode', 'FilterMode']);
/** Enumerations whose encodings are permuted (the model looks them up by name). */
const PERMUTED_VALUES: Record<string, string> = { Render: 'PrimitiveType', ColorDDAMode: 'ShadeMode' };

const NAMES = ['Corvid', 'Lumen', 'Quill', 'Basalt', 'Cinder', 'Mistral', 'Osprey', 'Tessera', 'Vireo', 'Zephyr', 'Halcyon', 'Kestrel', 'Marlin', 'Nimbus', 'Pyxis', 'Sable'];

export function variantId(name: string): string {
  const id = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!id) throw new Error(`variant name '${name}' has no letters or digits; use e.g. 2027-spring`);
  return id;
}

function moveFields(rng: SeededRandom, fields: readonly FieldDef[], permute?: string): FieldDef[] {
  const used = new Array<boolean>(32).fill(false);
  const placed = new Map<FieldDef, BitRange>();
  // Wide fields first so that they always find room.
  const order = rng.shuffle(fields).sort((a, b) => (b.bits[0] - b.bits[1]) - (a.bits[0] - a.bits[1]));
  for (const f of order) {
    const width = f.bits[0] - f.bits[1] + 1;
    const free: number[] = [];
    for (let lo = 0; lo + width <= 32; lo++) {
      let ok = true;
      for (let b = lo; b < lo + width; b++) if (used[b]) ok = false;
      if (ok) free.push(lo);
    }
    const lo = free.length ? rng.pick(free) : f.bits[1];
    for (let b = lo; b < lo + width; b++) used[b] = true;
    placed.set(f, [lo + width - 1, lo]);
  }
  return fields.map((f) => {
    let values = f.values;
    if (values && f.name === permute) {
      const codes = rng.shuffle(Object.values(values));
      values = Object.fromEntries(Object.keys(values).map((k, i) => [k, codes[i]!]));
    }
    return { ...f, bits: placed.get(f)!, ...(values ? { values } : {}) };
  });
}

function tagWordFormat(rng: SeededRandom, tagBits: number, base: TagWordFormat): TagWordFormat {
  const widths = { tag: tagBits, mode: 2, count: 16, reserved: 32 - tagBits - 18 };
  const order = rng.shuffle(['tag', 'mode', 'count', 'reserved'] as const);
  const at: Record<string, BitRange> = {};
  let lo = 0;
  for (const k of order) {
    at[k] = [lo + widths[k] - 1, lo];
    lo += widths[k];
  }
  const codes = rng.shuffle([0, 1, 2, 3]);
  return {
    tag: at.tag!, reserved: at.reserved!, mode: at.mode!, count: at.count!,
    modes: { hold: codes[0]!, increment: codes[1]!, indexed: codes[2]! },
    indexedGroupShift: base.indexedGroupShift,
  };
}

/** Interrupt and error descriptions of a ring variant (the others speak of DMAAddress/DMACount). */
const RING_DESCRIPTIONS: Record<string, string> = {
  'irq:dma': 'Command ring drained: RingHead reached RingTail (all words fetched, not necessarily drawn).',
  'err:dma': 'The host wrote to the input FIFO while the card was fetching from the command ring.',
  'err:master': 'The command ring lies outside guest RAM, or Bus Master Enable is off (PCI master abort); nothing was fetched.',
  'err:inDmaOverwrite': 'RingBase or RingSize was written while the ring was not empty; the write was ignored.',
};

/** The ring registers that replace DMAAddress/DMACount in a ring variant. */
function ringRegisters(): RegisterDef[] {
  return [
    { name: 'RingBase', offset: 0, access: 'RW', reset: 0, group: 'control', role: 'ringBase', onWrite: 'ringSetup', description: 'Bus address of the command ring (the dma_addr_t of a coherent buffer). Writing it empties the ring: RingHead and RingTail return to 0.', fields: [{ name: 'Address', bits: [31, 2], role: 'address', description: 'Word-aligned guest-physical byte address.' }] },
    { name: 'RingSize', offset: 0, access: 'RW', reset: 0, group: 'control', role: 'ringSize', onWrite: 'ringSetup', description: 'Length of the ring in 32-bit words. Writing it empties the ring: RingHead and RingTail return to 0.', fields: [{ name: 'Words', bits: [15, 0], role: 'count', description: 'Words (1 … 65535).' }] },
    { name: 'RingHead', offset: 0, access: 'RO', reset: 0, group: 'control', role: 'ringHead', onRead: 'ringHead', description: 'Index (in words) of the next word the card fetches; it follows RingTail and wraps to 0 at the end of the ring. The ring is empty (all fetched) when it equals RingTail.', fields: [{ name: 'Index', bits: [15, 0], description: 'Words.' }] },
    { name: 'RingTail', offset: 0, access: 'RW', reset: 0, group: 'control', role: 'ringTail', onWrite: 'ringTail', description: 'Index (in words) one past the last word the driver wrote to the ring, wrapping to 0 at its end. Writing it makes the card fetch up to it.', fields: [{ name: 'Index', bits: [15, 0], description: 'Words.' }] },
  ];
}

export function deriveVariant(base: CardVariant, o: DeriveOptions): CardVariant {
  const id = variantId(o.name);
  const rng = new SeededRandom(`${o.seed}\u0000vgpu-lab variant 1`);
  const seedAck = rng.pick(['w1c', 'read'] as const);
  const seedCommands = rng.pick(['dma', 'ring'] as const);
  const behaviour: Behaviour = { irqAck: o.irqAck ?? seedAck, commands: o.commands ?? seedCommands };

  // PCI identity: never the base card's vendor, so a driver for it finds no device.
  let vendorId = rng.int(0x1000, 0xfffe);
  if (vendorId === base.pci.vendorId) vendorId ^= 0x0101;
  const deviceId = rng.int(0x0001, 0xfffe);
  const pci = { ...base.pci, vendorId, deviceId, revision: rng.int(1, 0x1f), subsystemVendorId: vendorId, subsystemId: rng.int(0x0001, 0xfffe) };
  const model = `${rng.pick(NAMES)} ${rng.int(10, 99) * 100}`;

  // Sizes.
  const vramBytes = rng.pick([4, 8]) << 20;
  const fifo = { inputDepth: rng.pick([64, 128, 256, 512]), outputDepth: rng.pick([4, 8, 16]) };

  // Tag word, tags (groups of 16 move together; the top group stays free so an all-ones tag is unknown).
  const tagBits = rng.pick([10, 11]);
  const tagFormat = tagWordFormat(rng, tagBits, base.tagFormat);
  const shift = base.tagFormat.indexedGroupShift;
  const groups = [...new Set(base.tags.map((t) => t.tag >> shift))].sort((a, b) => a - b);
  const targets = rng.shuffle(Array.from({ length: (1 << (tagBits - shift)) - 1 }, (_, i) => i));
  const groupMap = new Map(groups.map((g, i) => [g, targets[i]!]));
  const tags: TagDef[] = base.tags.map((t) => {
    const moved: TagDef = { ...t, tag: (groupMap.get(t.tag >> shift)! << shift) | (t.tag & ((1 << shift) - 1)) };
    return t.fields && MOVABLE_TAG_FIELDS.has(t.name) ? { ...moved, fields: moveFields(rng, t.fields, PERMUTED_VALUES[t.name]) } : moved;
  }).sort((a, b) => a.tag - b.tag);

  // Interrupt and error bits.
  const irqBits = rng.shuffle(Array.from({ length: 16 }, (_, i) => i));
  const ringText = behaviour.commands === 'ring' ? RING_DESCRIPTIONS : {};
  const interrupts = base.interrupts.map((d, i) => ({ ...d, bit: irqBits[i]!, description: ringText[`irq:${d.role}`] ?? d.description })).sort((a, b) => a.bit - b.bit);
  const errBits = rng.shuffle(Array.from({ length: 32 }, (_, i) => i));
  const errors = base.errors.map((e, i) => ({ ...e, bit: errBits[i]!, description: ringText[`err:${e.role}`] ?? e.description })).sort((a, b) => a.bit - b.bit);

  // Register BAR: GP window aligned to its size, the FIFO window, one 4 KiB page per register group.
  const span = 0x10000, page = 0x1000;
  const stride = rng.pick([4, 8, 16]);
  const gpSize = (1 << tagBits) * stride;
  const gpOffset = rng.int(0, span / gpSize - 1) * gpSize;
  const freePages = Array.from({ length: span / page }, (_, i) => i * page).filter((p) => p + page <= gpOffset || p >= gpOffset + gpSize);
  const pages = rng.shuffle(freePages);
  const fifoPage = pages.shift()!;
  const fifoWindow = { ...base.windows.fifo, offset: fifoPage + rng.int(0, 1) * 0x800, size: 0x800 };
  const spacing = rng.pick([4, 8]);
  const groupPage = new Map((['control', 'memory', 'video', 'ramdac'] as const).map((g) => [g, pages.shift()!]));

  const ackRegs = (r: RegisterDef): RegisterDef => {
    const read = behaviour.irqAck === 'read';
    if (r.role === 'intFlags') {
      return read
        ? { ...r, access: 'RO', onRead: 'readClear', onWrite: undefined, description: 'Pending interrupts; flags latch even when disabled. Reading returns the pending flags and clears them (clear-on-read acknowledge).', fields: bitFields(interrupts) }
        : { ...r, fields: bitFields(interrupts) };
    }
    if (r.role === 'errorFlags') {
      return read
        ? { ...r, access: 'RO', onRead: 'readClear', description: 'Sticky error bits; reading returns them and clears them (clear-on-read). Setting any bit sets IntFlags.Error.', fields: bitFields(errors) }
        : { ...r, fields: bitFields(errors) };
    }
    if (r.role === 'intEnable') return { ...r, fields: bitFields(interrupts) };
    if (r.role === 'inFifoSpace') return { ...r, reset: fifo.inputDepth };
    if (r.role === 'memConfig') {
      return { ...r, reset: ((r.reset & ~(3 << 29)) | (((vramBytes >> 21) - 1) << 29)) >>> 0 };
    }
    return r;
  };
  let regs: RegisterDef[] = base.registers.map(ackRegs);
  if (behaviour.commands === 'ring') {
    const i = regs.findIndex((r) => r.role === 'dmaAddress');
    regs = regs.filter((r) => r.role !== 'dmaAddress' && r.role !== 'dmaCount');
    regs.splice(i < 0 ? regs.length : i, 0, ...ringRegisters());
  }
  regs = regs.map((r) => {
    const clean = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as RegisterDef;
    return r.fields && MOVABLE_REGISTER_FIELDS.has(r.name) ? { ...clean, fields: moveFields(rng, r.fields) } : clean;
  });
  const placedRegs: RegisterDef[] = [];
  for (const [group, at] of groupPage) {
    const list = regs.filter((r) => r.group === group);
    const slots = rng.shuffle(Array.from({ length: page / spacing }, (_, i) => i)).slice(0, list.length);
    list.forEach((r, i) => placedRegs.push({ ...r, offset: at + slots[i]! * spacing }));
  }
  placedRegs.sort((a, b) => a.offset - b.offset);

  const bars = base.bars.map((b) => (b.kind === 'registers' ? b : { ...b, size: vramBytes }));
  const variant: CardVariant = {
    id,
    name: `vgpu-lab ${model} (${o.name})`,
    description: `The ${o.name} card of the lab: a ${base.name} relative with its own PCI identity, register map, tags, bits and encodings; interrupts are acknowledged by ${behaviour.irqAck === 'w1c' ? 'writing 1 to clear' : 'reading (clear-on-read)'}, commands reach it through ${behaviour.commands === 'dma' ? 'one DMA buffer at a time (address and count)' : 'a command ring (head and tail)'}.`,
    symbolPrefix: base.symbolPrefix,
    pci,
    bars,
    vramBytes,
    fifo,
    windows: {
      fifo: fifoWindow,
      gp: { ...base.windows.gp, offset: gpOffset, size: gpSize, stride },
      ...(base.windows.bigEndianMirror ? { bigEndianMirror: base.windows.bigEndianMirror } : {}),
    },
    dma: base.dma,
    behaviour,
    tagFormat,
    registers: placedRegs,
    tags,
    interrupts,
    errors,
    pixelFormats: base.pixelFormats,
    ramdac: base.ramdac,
    refreshHz: base.refreshHz,
    origin: { from: base.id, seed: o.seed },
  };
  return variant;
}
