/**
 * Variant files: parse, validate against the JSON schema, then check that the card is sane (aligned,
 * nothing overlaps, every role a driver needs is reachable, the screen can still be scanned out).
 * Every problem names the JSON path, the register, field or tag, why, and how to fix it.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { rangeMask, type BitRange, type CardVariant, type FieldDef } from '../definition.ts';
import { VPCIB } from '../../vpcib/protocol.ts';
import { permedia2v } from './permedia2v.ts';
import { VARIANT_FORMAT, variantSchema } from './schema.ts';

export interface VariantProblem {
  /** JSON path, e.g. $.registers[3].offset */
  path: string;
  message: string;
  fix: string;
}

export class VariantError extends Error {
  constructor(readonly file: string, readonly problems: VariantProblem[]) {
    super(formatProblems(file, problems));
  }
}

export function formatProblems(file: string, problems: readonly VariantProblem[]): string {
  return problems.map((p) => `${file}: ${p.path}: ${p.message}\n  fix: ${p.fix}`).join('\n');
}

const hex = (v: number, d = 4) => '0x' + (v >>> 0).toString(16).padStart(d, '0');

// ------------------------------------------------------------------ roles the model and drivers need

/** Roles of the reference card: a variant needs each of them (ring variants trade the DMA pair for the ring). */
const RING_ROLES = ['ringBase', 'ringSize', 'ringHead', 'ringTail'] as const;
const DMA_ROLES = ['dmaAddress', 'dmaCount'] as const;
const BASE_REG_ROLES = permedia2v.registers.flatMap((r) => (r.role ? [r.role] : []));
const KNOWN_REG_ROLES = new Set<string>([...BASE_REG_ROLES, ...RING_ROLES]);
const BASE_TAG_ROLES = permedia2v.tags.flatMap((t) => (t.role ? [t.role] : []));
const KNOWN_TAG_ROLES = new Set<string>(BASE_TAG_ROLES);
/** Field roles the model reads, per register or tag role. */
const FIELD_ROLES = new Map<string, string[]>([
  ...permedia2v.registers.filter((r) => r.role).map((r) => [`register:${r.role}`, (r.fields ?? []).flatMap((f) => (f.role ? [f.role] : []))] as [string, string[]]),
  ...permedia2v.tags.filter((t) => t.role).map((t) => [`tag:${t.role}`, (t.fields ?? []).flatMap((f) => (f.role ? [f.role] : []))] as [string, string[]]),
]);
const KNOWN_FIELD_ROLES = new Set<string>([...[...FIELD_ROLES.values()].flat(), 'count', 'address']);
/** Field values the model looks up by name. */
const NAMED_VALUES: Array<[tagRole: string, fieldRole: string, names: string[]]> = [
  ['render', 'primitiveType', ['trapezoid', 'rectangle']],
  ['colorDDAMode', 'shadeMode', ['gouraud']],
];
const READ_HOOKS = new Set(['fifoSpace', 'outFifoCount', 'dmaRemaining', 'engineStatus', 'rasterLine', 'ramdacRead', 'readClear', 'ringHead']);
const WRITE_HOOKS = new Set(['softReset', 'interruptsChanged', 'dmaSetAddress', 'dmaStart', 'dmaControl', 'ramdacWrite', 'displayChanged', 'ringSetup', 'ringTail']);
/** Hooks a role must carry for the model to behave as the manual says. */
const ROLE_HOOKS: Record<string, { onRead?: string; onWrite?: string }> = {
  resetStatus: { onWrite: 'softReset' },
  intEnable: { onWrite: 'interruptsChanged' },
  inFifoSpace: { onRead: 'fifoSpace' },
  outFifoWords: { onRead: 'outFifoCount' },
  dmaAddress: { onWrite: 'dmaSetAddress' },
  dmaCount: { onWrite: 'dmaStart', onRead: 'dmaRemaining' },
  fifoDiscon: { onRead: 'engineStatus' },
  lineCount: { onRead: 'rasterLine' },
  rdIndexedData: { onRead: 'ramdacRead', onWrite: 'ramdacWrite' },
  ringBase: { onWrite: 'ringSetup' },
  ringSize: { onWrite: 'ringSetup' },
  ringHead: { onRead: 'ringHead' },
  ringTail: { onWrite: 'ringTail' },
};

// ------------------------------------------------------------------ parsing

/** JSON.parse with the error's position as line and column. */
function parseJson(text: string): { value?: unknown; problem?: VariantProblem } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${col}`;
    }
    return { problem: { path: '$', message: `JSON syntax error${where}: ${msg}`, fix: 'fix the JSON syntax there (a missing comma or quote, a trailing comma, a comment), or regenerate the file with `npx vgpu-lab variant new`' } };
  }
}

let validate: ValidateFunction | undefined;

function schemaProblems(value: unknown): VariantProblem[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(variantSchema);
  if (validate(value)) return [];
  const out: VariantProblem[] = [];
  for (const e of validate.errors ?? []) {
    const path = '$' + e.instancePath.split('/').slice(1).map((s: string) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'enum' && path.startsWith('$.behaviour.')) {
      out.push({ path, message: `unknown behavioural choice ${JSON.stringify(valueAt(value, e.instancePath))}`, fix: `use one of ${(p.allowedValues as string[]).map((x) => `"${x}"`).join(', ')}` });
    } else if (e.keyword === 'enum') {
      out.push({ path, message: `${JSON.stringify(valueAt(value, e.instancePath))} is not allowed here`, fix: `use one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}` });
    } else if (e.keyword === 'additionalProperties') {
      out.push({ path: `${path}.${String(p.additionalProperty)}`, message: `unknown property '${String(p.additionalProperty)}'`, fix: 'remove it or correct its spelling (see vcd/card/variants/variant.schema.json)' });
    } else if (e.keyword === 'required') {
      out.push({ path, message: `missing property '${String(p.missingProperty)}'`, fix: `add '${String(p.missingProperty)}' (see vcd/card/variants/variant.schema.json)` });
    } else if (e.keyword === 'const' && path === '$.format') {
      out.push({ path, message: 'not a vgpu-lab card variant file (or another version of the format)', fix: `set "format": "${VARIANT_FORMAT}"` });
    } else {
      out.push({ path, message: `${e.message ?? 'invalid'}${e.keyword === 'type' ? ` (got ${JSON.stringify(valueAt(value, e.instancePath))})` : ''}`, fix: 'correct the value to match vcd/card/variants/variant.schema.json' });
    }
  }
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const k of pointer.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

// ------------------------------------------------------------------ the card's sanity

function overlaps(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] < b[1] && b[0] < a[1];
}

function checkFields(path: string, owner: string, fields: readonly FieldDef[] | undefined, out: VariantProblem[]): void {
  const names = new Set<string>();
  (fields ?? []).forEach((f, i) => {
    const fp = `${path}.fields[${i}]`;
    const [hi, lo] = f.bits as BitRange;
    if (hi < lo) out.push({ path: `${fp}.bits`, message: `field ${owner}.${f.name} has bits [${hi}, ${lo}]: the high bit is below the low bit`, fix: `write the range most significant bit first: [${lo}, ${hi}]` });
    if (hi > 31 || lo < 0) out.push({ path: `${fp}.bits`, message: `field ${owner}.${f.name} [${hi}:${lo}] lies outside its 32-bit register`, fix: 'keep both bit numbers within 0 … 31' });
    if (names.has(f.name)) out.push({ path: `${fp}.name`, message: `${owner} has two fields named ${f.name}`, fix: 'rename one of them (field names become C macros)' });
    names.add(f.name);
    (fields ?? []).slice(0, i).forEach((g) => {
      if (Math.max(f.bits[1], g.bits[1]) <= Math.min(f.bits[0], g.bits[0])) {
        out.push({ path: `${fp}.bits`, message: `field ${owner}.${f.name} [${f.bits[0]}:${f.bits[1]}] overlaps field ${owner}.${g.name} [${g.bits[0]}:${g.bits[1]}]`, fix: 'move one of them to bits no other field of the register uses' });
      }
    });
    for (const [vn, val] of Object.entries(f.values ?? {})) {
      if (hi >= lo && val > rangeMask(f.bits)) out.push({ path: `${fp}.values.${vn}`, message: `value ${vn} = ${val} of ${owner}.${f.name} does not fit its ${hi - lo + 1}-bit field`, fix: `use a value below ${rangeMask(f.bits) + 1} or widen the field` });
    }
    if (f.role && !KNOWN_FIELD_ROLES.has(f.role)) out.push({ path: `${fp}.role`, message: `field ${owner}.${f.name} has the unknown role '${f.role}'`, fix: `use a field role of the reference card (${[...KNOWN_FIELD_ROLES].join(', ')}) or remove it` });
  });
}

function checkRoleFields(path: string, owner: string, key: string, fields: readonly FieldDef[] | undefined, out: VariantProblem[], what: string): void {
  for (const role of FIELD_ROLES.get(key) ?? []) {
    if (!fields?.some((f) => f.role === role)) out.push({ path: `${path}.fields`, message: `${what} ${owner} has no field with role '${role}', which the card model reads`, fix: `add the field of the reference card (${permedia2vField(key, role)}) at free bits` });
  }
}

function permedia2vField(key: string, role: string): string {
  const [kind, r] = key.split(':');
  const owner = kind === 'register' ? permedia2v.registers.find((x) => x.role === r) : permedia2v.tags.find((x) => x.role === r);
  const f = owner?.fields?.find((x) => x.role === role);
  return f ? `${owner!.name}.${f.name}, bits [${f.bits[0]}:${f.bits[1]}] there` : role;
}

/** Semantic checks of a schema-valid variant. */
export function sanityProblems(v: CardVariant): VariantProblem[] {
  const out: VariantProblem[] = [];
  const regBar = v.bars.find((b) => b.kind === 'registers');
  const vramBar = v.bars.find((b) => b.kind === 'vram');
  if (!regBar) out.push({ path: '$.bars', message: 'no BAR of kind "registers"', fix: 'add the register BAR (at least 128 KiB)' });
  if (!vramBar) out.push({ path: '$.bars', message: 'no BAR of kind "vram": the screen cannot be reached', fix: 'add a "vram" BAR as large as vramBytes' });
  const seenBar = new Set<number>();
  let total = 0;
  v.bars.forEach((b, i) => {
    if (seenBar.has(b.index)) out.push({ path: `$.bars[${i}].index`, message: `BAR${b.index} is defined twice`, fix: 'give every BAR its own index 0 … 5' });
    seenBar.add(b.index);
    if (b.size & (b.size - 1)) out.push({ path: `$.bars[${i}].size`, message: `BAR${b.index} size ${hex(b.size)} is not a power of two`, fix: `use ${hex(2 ** Math.ceil(Math.log2(b.size)))}` });
    total += b.size;
  });
  if (total > VPCIB.slotWindow) out.push({ path: '$.bars', message: `the BARs need ${hex(total)} bytes, more than a Virtual PCI Bus slot's window (${hex(VPCIB.slotWindow)})`, fix: 'make the VRAM (and its BARs) smaller' });
  if (vramBar && v.vramBytes > vramBar.size) out.push({ path: '$.vramBytes', message: `VRAM of ${hex(v.vramBytes)} bytes does not fit BAR${vramBar.index} (${hex(vramBar.size)})`, fix: 'make vramBytes at most the VRAM BAR size' });
  if (v.vramBytes < 640 * 480 * 4) out.push({ path: '$.vramBytes', message: `VRAM of ${v.vramBytes} bytes cannot hold a 640 × 480 32 bpp screen`, fix: 'use at least 2 MiB (4 MiB or 8 MiB)' });

  // The register BAR: registers and windows aligned, inside it, never overlapping.
  const span = Math.min(regBar?.size ?? 0x10000, 0x10000);
  const blocks: Array<{ name: string; path: string; range: [number, number] }> = [];
  const w = v.windows;
  const win = (name: string, path: string, d: { offset: number; size: number }) => {
    if (d.offset & 3) out.push({ path: `${path}.offset`, message: `${name} at ${hex(d.offset)} is not 4-byte aligned`, fix: `move it to ${hex(d.offset & ~3)}` });
    blocks.push({ name, path, range: [d.offset, d.offset + d.size] });
  };
  win('the FIFO window', '$.windows.fifo', w.fifo);
  win('the GP register window', '$.windows.gp', w.gp);
  if (w.gp.stride & 3) out.push({ path: '$.windows.gp.stride', message: `GP stride ${w.gp.stride} is not a multiple of 4: GP registers would be unaligned`, fix: 'use 4, 8 or 16' });
  if (w.fifo.offset + w.fifo.size > span || w.gp.offset + w.gp.size > span) {
    out.push({ path: '$.windows', message: `a window ends beyond the first ${hex(span)} bytes of the register BAR`, fix: 'move the FIFO and GP windows inside the register space' });
  }
  if (w.bigEndianMirror && regBar && w.bigEndianMirror.offset + w.bigEndianMirror.size > regBar.size) out.push({ path: '$.windows.bigEndianMirror', message: 'the big-endian view ends beyond the register BAR', fix: 'remove it or make the register BAR larger' });
  const regName = new Map<string, number>();
  v.registers.forEach((r, i) => {
    const p = `$.registers[${i}]`;
    if (regName.has(r.name)) out.push({ path: `${p}.name`, message: `register ${r.name} is defined twice (also $.registers[${regName.get(r.name)}])`, fix: 'rename or remove one of them' });
    regName.set(r.name, i);
    if (r.offset & 3) out.push({ path: `${p}.offset`, message: `register ${r.name} at ${hex(r.offset)} is misaligned: registers are 32-bit words at 4-byte-aligned offsets`, fix: `use ${hex(r.offset & ~3)} or ${hex((r.offset & ~3) + 4)} if that is free` });
    if (r.offset + 4 > span) out.push({ path: `${p}.offset`, message: `register ${r.name} at ${hex(r.offset)} lies outside the register space (0 … ${hex(span - 1)})`, fix: 'move it to a free offset below ' + hex(span) });
    for (const b of blocks) if (overlaps([r.offset, r.offset + 4], b.range)) out.push({ path: `${p}.offset`, message: `register ${r.name} at ${hex(r.offset)} overlaps ${b.name} (${hex(b.range[0])} … ${hex(b.range[1] - 1)})`, fix: 'move the register to a free offset outside every window' });
    blocks.push({ name: `register ${r.name}`, path: p, range: [r.offset, r.offset + 4] });
    checkFields(p, r.name, r.fields, out);
    if (r.role && !KNOWN_REG_ROLES.has(r.role)) out.push({ path: `${p}.role`, message: `register ${r.name} has the unknown role '${r.role}'`, fix: `use one of ${[...KNOWN_REG_ROLES].join(', ')}` });
    if (r.onRead && !READ_HOOKS.has(r.onRead)) out.push({ path: `${p}.onRead`, message: `register ${r.name} has the unknown read behaviour '${r.onRead}'`, fix: `use one of ${[...READ_HOOKS].join(', ')}` });
    if (r.onWrite && !WRITE_HOOKS.has(r.onWrite)) out.push({ path: `${p}.onWrite`, message: `register ${r.name} has the unknown write behaviour '${r.onWrite}'`, fix: `use one of ${[...WRITE_HOOKS].join(', ')}` });
    const need = r.role ? ROLE_HOOKS[r.role] : undefined;
    if (need?.onRead && r.onRead !== need.onRead) out.push({ path: `${p}.onRead`, message: `register ${r.name} (role ${r.role}) must have onRead "${need.onRead}"`, fix: `set "onRead": "${need.onRead}"` });
    if (need?.onWrite && r.onWrite !== need.onWrite) out.push({ path: `${p}.onWrite`, message: `register ${r.name} (role ${r.role}) must have onWrite "${need.onWrite}"`, fix: `set "onWrite": "${need.onWrite}"` });
    if (r.role) checkRoleFields(p, r.name, `register:${r.role}`, r.fields, out, 'register');
  });
  for (let i = 0; i < blocks.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = blocks[i]!, b = blocks[j]!;
      if (a.name.startsWith('register') && b.name.startsWith('register') && overlaps(a.range, b.range)) {
        out.push({ path: `${a.path}.offset`, message: `${a.name} at ${hex(a.range[0])} overlaps ${b.name} (${b.path})`, fix: 'give it a free 4-byte-aligned offset' });
      } else if (!a.name.startsWith('register') && !b.name.startsWith('register') && overlaps(a.range, b.range)) {
        out.push({ path: a.path, message: `${a.name} overlaps ${b.name}`, fix: 'move one window so that they do not share offsets' });
      }
    }
  }

  // Roles and behaviour.
  const roles = new Map<string, number>();
  v.registers.forEach((r, i) => {
    if (!r.role) return;
    if (roles.has(r.role)) out.push({ path: `$.registers[${i}].role`, message: `registers ${v.registers[roles.get(r.role)!]!.name} and ${r.name} both have role '${r.role}'`, fix: 'keep the role on one register' });
    roles.set(r.role, i);
  });
  const needed = [...BASE_REG_ROLES.filter((r) => !(DMA_ROLES as readonly string[]).includes(r)), ...(v.behaviour.commands === 'ring' ? RING_ROLES : DMA_ROLES)];
  for (const role of needed) {
    if (!roles.has(role)) {
      const ring = (RING_ROLES as readonly string[]).includes(role), dma = (DMA_ROLES as readonly string[]).includes(role);
      out.push({ path: '$.registers', message: `missing role: no register has role '${role}'${ring ? ' (behaviour.commands is "ring")' : dma ? ' (behaviour.commands is "dma")' : ''}, so a driver cannot reach it`, fix: ring || dma ? `add the register or change behaviour.commands; \`npx vgpu-lab variant new --commands ${ring ? 'ring' : 'dma'}\` writes a consistent one` : `add a register with "role": "${role}" (as in the reference card)` });
    }
  }
  if (v.behaviour.commands === 'ring') for (const role of DMA_ROLES) if (roles.has(role)) out.push({ path: `$.registers[${roles.get(role)}].role`, message: `register ${v.registers[roles.get(role)!]!.name} has role '${role}' but behaviour.commands is "ring"`, fix: 'remove the DMA address/count registers or set behaviour.commands to "dma"' });
  for (const [role, name] of [['intFlags', 'IntFlags'], ['errorFlags', 'ErrorFlags']] as const) {
    const i = roles.get(role);
    if (i === undefined) continue;
    const r = v.registers[i]!;
    if (v.behaviour.irqAck === 'w1c' && (r.access !== 'W1C' || r.onRead === 'readClear')) {
      out.push({ path: `$.registers[${i}].access`, message: `register ${r.name} (${name}) must be W1C without a clear-on-read hook: behaviour.irqAck is "w1c"`, fix: 'set "access": "W1C" and remove "onRead", or set behaviour.irqAck to "read"' });
    }
    if (v.behaviour.irqAck === 'read' && (r.access !== 'RO' || r.onRead !== 'readClear')) {
      out.push({ path: `$.registers[${i}].onRead`, message: `register ${r.name} (${name}) must be RO with "onRead": "readClear": behaviour.irqAck is "read"`, fix: 'set "access": "RO" and "onRead": "readClear", or set behaviour.irqAck to "w1c"' });
    }
  }

  // Tags and the tag word.
  const f = v.tagFormat;
  const segs: Array<[string, BitRange]> = [['tag', f.tag], ['reserved', f.reserved], ['mode', f.mode], ['count', f.count]];
  segs.forEach(([n, r], i) => {
    if (r[0] < r[1]) out.push({ path: `$.tagFormat.${n}`, message: `tag-word ${n} bits [${r[0]}, ${r[1]}]: high bit below low bit`, fix: `write [${r[1]}, ${r[0]}]` });
    for (const [m, s] of segs.slice(0, i)) if (Math.max(r[1], s[1]) <= Math.min(r[0], s[0])) out.push({ path: `$.tagFormat.${n}`, message: `tag-word ${n} [${r[0]}:${r[1]}] overlaps ${m} [${s[0]}:${s[1]}]`, fix: 'give the four parts of the tag word disjoint bit ranges' });
  });
  const modeMax = rangeMask(f.mode);
  const codes = Object.entries(f.modes);
  codes.forEach(([k, c], i) => {
    if (c > modeMax) out.push({ path: `$.tagFormat.modes.${k}`, message: `mode encoding ${k.toUpperCase()} = ${c} does not fit the ${f.mode[0] - f.mode[1] + 1}-bit mode field`, fix: `use a value 0 … ${modeMax}` });
    for (const [k2, c2] of codes.slice(0, i)) if (c === c2) out.push({ path: `$.tagFormat.modes.${k}`, message: `modes ${k2.toUpperCase()} and ${k.toUpperCase()} share the encoding ${c}`, fix: 'give each mode its own value' });
  });
  if (f.count[0] - f.count[1] + 1 < 8) out.push({ path: '$.tagFormat.count', message: 'the count field is narrower than 8 bits: INDEXED masks and long runs do not fit', fix: 'make it at least 8 (the reference card has 16) bits wide' });
  const tagMax = f.tag[0] >= f.tag[1] ? rangeMask(f.tag) : 0;
  const tagAt = new Map<number, number>();
  const tagName = new Map<string, number>();
  const tagRoles = new Map<string, number>();
  v.tags.forEach((t, i) => {
    const p = `$.tags[${i}]`;
    if (t.tag > tagMax) out.push({ path: `${p}.tag`, message: `tag ${t.name} = ${hex(t.tag, 3)} does not fit the ${f.tag[0] - f.tag[1] + 1}-bit tag field`, fix: `use a tag number up to ${hex(tagMax, 3)} or widen tagFormat.tag` });
    if ((t.tag + 1) * w.gp.stride > w.gp.size) out.push({ path: `${p}.tag`, message: `tag ${t.name} = ${hex(t.tag, 3)} lies beyond the GP register window (${w.gp.size / w.gp.stride} registers)`, fix: 'use a smaller tag number or a larger GP window' });
    if (tagAt.has(t.tag)) out.push({ path: `${p}.tag`, message: `duplicate tag ${hex(t.tag, 3)}: ${t.name} and ${v.tags[tagAt.get(t.tag)!]!.name}`, fix: 'give one of them an unused tag number' });
    tagAt.set(t.tag, i);
    if (tagName.has(t.name)) out.push({ path: `${p}.name`, message: `tag name ${t.name} is used twice`, fix: 'rename one of them (tag names become C macros)' });
    tagName.set(t.name, i);
    if (!t.role && !t.noop) out.push({ path: p, message: `tag ${t.name} has neither a role nor a no-op rule`, fix: 'add "noop": "zero" or "any", or a role' });
    if (t.role && !KNOWN_TAG_ROLES.has(t.role)) out.push({ path: `${p}.role`, message: `tag ${t.name} has the unknown role '${t.role}'`, fix: `use one of ${[...KNOWN_TAG_ROLES].join(', ')}` });
    if (t.role) {
      if (tagRoles.has(t.role)) out.push({ path: `${p}.role`, message: `tags ${v.tags[tagRoles.get(t.role)!]!.name} and ${t.name} both have role '${t.role}'`, fix: 'keep the role on one tag' });
      tagRoles.set(t.role, i);
      checkRoleFields(p, t.name, `tag:${t.role}`, t.fields, out, 'tag');
    }
    checkFields(p, t.name, t.fields, out);
  });
  for (const role of BASE_TAG_ROLES) if (!tagRoles.has(role)) out.push({ path: '$.tags', message: `missing role: no tag has role '${role}'`, fix: `add the tag of the reference card (${permedia2v.tags.find((t) => t.role === role)!.name}) at an unused tag number` });
  for (const [tr, fr, names] of NAMED_VALUES) {
    const i = tagRoles.get(tr);
    const fd = i === undefined ? undefined : v.tags[i]!.fields?.find((x) => x.role === fr);
    for (const n of names) if (fd && fd.values?.[n] === undefined) out.push({ path: `$.tags[${i}].fields`, message: `field ${v.tags[i!]!.name}.${fd.name} has no value named '${n}'`, fix: `add "${n}" to its values` });
  }

  // Interrupts and errors.
  const bitsOf = (list: readonly { bit: number; name: string; role: string }[], what: string, path: string, required: readonly string[]) => {
    const bits = new Map<number, string>(), rs = new Set<string>();
    list.forEach((d, i) => {
      if (bits.has(d.bit)) out.push({ path: `${path}[${i}].bit`, message: `${what} ${d.name} uses bit ${d.bit}, already used by ${bits.get(d.bit)}`, fix: 'give it a free bit' });
      bits.set(d.bit, d.name);
      if (rs.has(d.role)) out.push({ path: `${path}[${i}].role`, message: `two ${what}s have role '${d.role}'`, fix: 'keep each role once' });
      rs.add(d.role);
    });
    for (const r of required) if (!rs.has(r)) out.push({ path, message: `missing role: no ${what} has role '${r}'`, fix: `add it at a free bit` });
  };
  bitsOf(v.interrupts, 'interrupt', '$.interrupts', permedia2v.interrupts.map((i) => i.role));
  bitsOf(v.errors, 'error', '$.errors', permedia2v.errors.map((e) => e.role));
  for (const [role, list, what] of [['intFlags', v.interrupts, 'interrupt'], ['intEnable', v.interrupts, 'interrupt'], ['errorFlags', v.errors, 'error']] as const) {
    const i = roles.get(role);
    if (i === undefined) continue;
    const r = v.registers[i]!;
    for (const d of list) {
      const fd = r.fields?.find((x) => x.name === d.name);
      if (!fd || fd.bits[0] !== d.bit || fd.bits[1] !== d.bit) out.push({ path: `$.registers[${i}].fields`, message: `register ${r.name} has no field ${d.name} at bit ${d.bit}, where the ${what} list puts it`, fix: `make its fields match the ${what} bits (${d.name}: [${d.bit}, ${d.bit}])` });
    }
  }

  // The screen: a 32 bpp format the RAMDAC can show.
  if (!v.pixelFormats.some((p) => p.name === 'x8r8g8b8')) out.push({ path: '$.pixelFormats', message: 'no x8r8g8b8 pixel format: the screen cannot be scanned out at 32 bpp', fix: 'keep the pixel formats of the reference card' });
  for (const role of ['pixelSize', 'colorFormat'] as const) if (!v.ramdac.some((r) => r.role === role)) out.push({ path: '$.ramdac', message: `missing role: no RAMDAC index register has role '${role}'`, fix: 'keep the RAMDAC registers of the reference card' });
  return out;
}

/** Checks a variant file's text. Returns the variant or throws a VariantError listing every problem. */
export function parseVariant(text: string, file: string): CardVariant {
  const { value, problem } = parseJson(text);
  if (problem) throw new VariantError(file, [problem]);
  const schema = schemaProblems(value);
  if (schema.length) throw new VariantError(file, schema);
  const { format: _format, ...variant } = value as CardVariant & { format: string };
  const sane = sanityProblems(variant);
  if (sane.length) throw new VariantError(file, sane);
  return variant;
}

/** The JSON text of a variant file: stable key order, two-space indent, one trailing newline. */
export function variantJson(v: CardVariant): string {
  return JSON.stringify({ format: VARIANT_FORMAT, ...v }, null, 2) + '\n';
}
