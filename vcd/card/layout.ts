/**
 * The compiled form of a card variant: dispatch tables and role lookups, built once per variant
 * object and shared by every card of that variant. Everything the model knows about offsets,
 * tag numbers and bit positions comes from here.
 */
import {
  rangeMask,
  rangeMaskShifted,
  type Access,
  type CardVariant,
  type ErrorRole,
  type FieldDef,
  type FieldRole,
  type InterruptRole,
  type PixelFormatDef,
  type RegisterDef,
  type RegisterRole,
  type TagDef,
  type TagRole,
} from './definition.ts';

/** A field located in its register: value = (word >>> shift) & mask. */
export interface FieldSpec {
  readonly shift: number;
  readonly mask: number;
}

/** What the interpreter does after storing a GP register. */
export const TagAction = { Store: 0, Render: 1, ContinueNewDom: 2, ContinueNewSub: 3, Continue: 4, Sync: 5, PixelPath: 6 } as const;
export type TagAction = (typeof TagAction)[keyof typeof TagAction];

const ACTION_OF: Partial<Record<TagRole, TagAction>> = {
  render: TagAction.Render,
  continueNewDom: TagAction.ContinueNewDom,
  continueNewSub: TagAction.ContinueNewSub,
  continue: TagAction.Continue,
  sync: TagAction.Sync,
};

/** Tags whose value the rasterizer snapshots per primitive: writing them invalidates the snapshot. */
const PIXEL_PATH: ReadonlySet<TagRole> = new Set<TagRole>([
  'scissorMode', 'scissorMinXY', 'scissorMaxXY', 'screenSize', 'colorDDAMode', 'constantColor', 'color', 'ditherMode',
  'fbSoftwareWriteMask', 'logicalOpMode', 'fbReadMode', 'fbWindowBase', 'fbWriteMode', 'fbHardwareWriteMask', 'fbBlockColor', 'fbReadPixel',
]);

export interface CompiledRegister {
  readonly def: RegisterDef;
  readonly index: number;
  /** Bits a plain write stores (RW and WO). */
  readonly writeMask: number;
  /** Bits cleared by writing 1. */
  readonly w1cMask: number;
  /** Bits that read as 0 (WO). */
  readonly hiddenMask: number;
  /** Bits whose non-zero value is accepted but not modelled. */
  readonly unsupportedMask: number;
  /** Reset value restricted to the defined bits. */
  readonly reset: number;
}

export interface Layout {
  readonly variant: CardVariant;
  readonly registers: readonly CompiledRegister[];
  /** Register BAR dword index (offset >> 2, first 64 KiB) -> register index, -1 = none. */
  readonly regAt: Int16Array;
  readonly regSpan: number;
  /** Number of tag values (2^tag bits). */
  readonly tagCount: number;
  /** Tag -> index into variant.tags, -1 = unknown. */
  readonly tagIndex: Int16Array;
  readonly tagAction: Uint8Array;
  readonly tagUnsupported: Uint32Array;
  readonly tagReset: Uint32Array;
  reg(role: RegisterRole): CompiledRegister;
  hasReg(role: RegisterRole): boolean;
  tag(role: TagRole): number;
  regField(role: RegisterRole, field: FieldRole): FieldSpec;
  tagField(role: TagRole, field: FieldRole): FieldSpec;
  /** Enumeration value of a tag field, e.g. ('render', 'primitiveType', 'rectangle'). */
  tagFieldValue(role: TagRole, field: FieldRole, name: string): number;
  irq(role: InterruptRole): number;
  err(role: ErrorRole): number;
  errName(mask: number): string;
  /** Pixel format whose FBReadPixel encoding is `readPixel`. */
  formatByReadPixel(readPixel: number): PixelFormatDef | undefined;
  /** Decodes a register value into named fields. */
  decodeRegister(index: number, value: number): Record<string, number>;
  tagName(tag: number): string;
}

function accessMasks(def: { access: Access; fields?: readonly FieldDef[] }): { write: number; w1c: number; hidden: number; unsupported: number; defined: number } {
  const fields: readonly FieldDef[] = def.fields && def.fields.length ? def.fields : [{ name: 'Value', bits: [31, 0], description: '' }];
  let write = 0, w1c = 0, hidden = 0, unsupported = 0, defined = 0;
  for (const f of fields) {
    const m = rangeMaskShifted(f.bits);
    const a = f.access ?? def.access;
    defined |= m;
    if (a === 'RW' || a === 'WO') write |= m;
    if (a === 'W1C') w1c |= m;
    if (a === 'WO') hidden |= m;
    if (f.unsupported) unsupported |= m;
  }
  return { write: write >>> 0, w1c: w1c >>> 0, hidden: hidden >>> 0, unsupported: unsupported >>> 0, defined: defined >>> 0 };
}

function findField(owner: string, fields: readonly FieldDef[] | undefined, role: FieldRole): FieldSpec {
  const f = fields?.find((x) => x.role === role);
  if (!f) throw new Error(`card variant: ${owner} has no field with role '${role}'`);
  return { shift: f.bits[1], mask: rangeMask(f.bits) };
}

function decodeFields(fields: readonly FieldDef[] | undefined, value: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (fields) for (const f of fields) out[f.name] = ((value >>> f.bits[1]) & rangeMask(f.bits)) >>> 0;
  return out;
}

const cache = new WeakMap<CardVariant, Layout>();

export function layoutOf(v: CardVariant): Layout {
  let l = cache.get(v);
  if (!l) {
    l = compile(v);
    cache.set(v, l);
  }
  return l;
}

function compile(v: CardVariant): Layout {
  const regSpan = 0x10000;
  const regAt = new Int16Array(regSpan >> 2).fill(-1);
  const registers: CompiledRegister[] = v.registers.map((def, index) => {
    if (def.offset & 3 || def.offset >= regSpan) throw new Error(`card variant: register ${def.name} offset 0x${def.offset.toString(16)} invalid`);
    if (regAt[def.offset >> 2] !== -1) throw new Error(`card variant: register ${def.name} overlaps another register`);
    regAt[def.offset >> 2] = index;
    const m = accessMasks(def);
    return { def, index, writeMask: m.write, w1cMask: m.w1c, hiddenMask: m.hidden, unsupportedMask: m.unsupported, reset: (def.reset & m.defined) >>> 0 };
  });
  const byRole = new Map<RegisterRole, CompiledRegister>();
  for (const r of registers) if (r.def.role) byRole.set(r.def.role, r);

  const tagBits = v.tagFormat.tag[0] - v.tagFormat.tag[1] + 1;
  const tagCount = 1 << tagBits;
  const tagIndex = new Int16Array(tagCount).fill(-1);
  const tagAction = new Uint8Array(tagCount);
  const tagUnsupported = new Uint32Array(tagCount);
  const tagReset = new Uint32Array(tagCount);
  const tagByRole = new Map<TagRole, TagDef>();
  v.tags.forEach((t, i) => {
    if (t.tag < 0 || t.tag >= tagCount) throw new Error(`card variant: tag ${t.name} out of range`);
    if (tagIndex[t.tag] !== -1) throw new Error(`card variant: tag ${t.name} duplicates tag 0x${t.tag.toString(16)}`);
    if (!t.role && !t.noop) throw new Error(`card variant: tag ${t.name} has neither a role nor a no-op rule`);
    tagIndex[t.tag] = i;
    if (t.role) {
      tagByRole.set(t.role, t);
      tagAction[t.tag] = ACTION_OF[t.role] ?? (PIXEL_PATH.has(t.role) ? TagAction.PixelPath : TagAction.Store);
    }
    tagUnsupported[t.tag] = t.noop === 'zero' ? 0xffffffff : accessMasks({ access: 'RW', fields: t.fields }).unsupported;
    tagReset[t.tag] = (t.reset ?? 0) >>> 0;
  });

  const irqBits = new Map<InterruptRole, number>();
  for (const i of v.interrupts) irqBits.set(i.role, (1 << i.bit) >>> 0);
  const errBits = new Map<ErrorRole, number>();
  for (const e of v.errors) errBits.set(e.role, (1 << e.bit) >>> 0);

  const tagDef = (role: TagRole): TagDef => {
    const t = tagByRole.get(role);
    if (!t) throw new Error(`card variant ${v.id}: no tag with role '${role}'`);
    return t;
  };
  const regDef = (role: RegisterRole): CompiledRegister => {
    const r = byRole.get(role);
    if (!r) throw new Error(`card variant ${v.id}: no register with role '${role}'`);
    return r;
  };

  return {
    variant: v,
    registers,
    regAt,
    regSpan,
    tagCount,
    tagIndex,
    tagAction,
    tagUnsupported,
    tagReset,
    reg: regDef,
    hasReg: (role) => byRole.has(role),
    tag: (role) => tagDef(role).tag,
    regField: (role, field) => findField(regDef(role).def.name, regDef(role).def.fields, field),
    tagField: (role, field) => findField(tagDef(role).name, tagDef(role).fields, field),
    tagFieldValue: (role, field, name) => {
      const f = tagDef(role).fields?.find((x) => x.role === field);
      const value = f?.values?.[name];
      if (value === undefined) throw new Error(`card variant ${v.id}: tag role ${role} field ${field} has no value '${name}'`);
      return value;
    },
    irq: (role) => irqBits.get(role) ?? 0,
    err: (role) => errBits.get(role) ?? 0,
    errName: (mask) => v.errors.filter((e) => mask & (1 << e.bit)).map((e) => e.name).join('|'),
    formatByReadPixel: (rp) => v.pixelFormats.find((f) => f.readPixel === rp),
    decodeRegister: (index, value) => decodeFields(registers[index]?.def.fields, value),
    tagName: (tag) => {
      const i = tag >= 0 && tag < tagCount ? tagIndex[tag]! : -1;
      return i >= 0 ? v.tags[i]!.name : `tag 0x${tag.toString(16)}`;
    },
  };
}

/** Decodes a GP register value into named fields (for traces and inspectors). */
export function decodeTag(v: CardVariant, tag: number, value: number): Record<string, number> {
  return decodeFields(v.tags.find((t) => t.tag === tag)?.fields, value);
}
