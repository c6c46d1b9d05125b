/**
 * C header generator: register offsets, field shifts and masks, tag numbers, tag-word format,
 * interrupt and error bits, RAMDAC indices and pixel formats, all derived from a card variant.
 * Prefixes follow Linux's include/video/permedia2.h: <P>R_ registers, <P>TAG_ tags, <P>I_ RAMDAC indices.
 */
import { rangeMask, rangeMaskShifted, type CardVariant, type FieldDef } from '../definition.ts';
import { hex, macroName } from './names.ts';

function define(name: string, value: string, comment?: string): string {
  const line = `#define ${name.padEnd(48)} ${value}`;
  return comment ? `${line.padEnd(72)} /* ${comment.replace(/\*\//g, '* /')} */` : line;
}

function fields(prefix: string, list: readonly FieldDef[] | undefined): string[] {
  const out: string[] = [];
  for (const f of list ?? []) {
    const n = `${prefix}_${macroName(f.name)}`;
    out.push(define(`${n}_SHIFT`, String(f.bits[1])));
    out.push(define(`${n}_MASK`, `${hex(rangeMaskShifted(f.bits))}u`, `[${f.bits[0]}:${f.bits[1]}]`));
    for (const [vn, v] of Object.entries(f.values ?? {})) out.push(define(`${n}_${macroName(vn)}`, `(${v}u << ${f.bits[1]})`));
  }
  return out;
}

export function cHeader(v: CardVariant, source: string): string {
  const P = v.symbolPrefix;
  const guard = `${P}_${macroName(v.id)}_REGS_H`;
  const L: string[] = [];
  L.push(`/* SPDX-License-Identifier: BSD-2-Clause */`);
  L.push(`/*`, ` * ${v.name}: register definitions.`, ` * Generated from ${source} by vcd/card/codegen/generate.ts. Do not edit.`, ` */`);
  L.push(`#ifndef ${guard}`, `#define ${guard}`, '');

  L.push('/* PCI identity */');
  L.push(define(`${P}_PCI_VENDOR_ID`, hex(v.pci.vendorId, 4)));
  L.push(define(`${P}_PCI_DEVICE_ID`, hex(v.pci.deviceId, 4)));
  L.push(define(`${P}_PCI_REVISION`, hex(v.pci.revision, 2)));
  L.push(define(`${P}_PCI_CLASS`, hex(v.pci.classCode, 6)));
  L.push(define(`${P}_PCI_SUBSYSTEM_VENDOR_ID`, hex(v.pci.subsystemVendorId, 4)));
  L.push(define(`${P}_PCI_SUBSYSTEM_ID`, hex(v.pci.subsystemId, 4)), '');

  L.push('/* BARs */');
  for (const b of v.bars) {
    L.push(define(`${P}_BAR_${macroName(b.kind)}`, String(b.index), b.description));
    L.push(define(`${P}_BAR${b.index}_SIZE`, `${hex(b.size)}u`));
  }
  L.push(define(`${P}_VRAM_SIZE`, `${hex(v.vramBytes)}u`));
  L.push(define(`${P}_INPUT_FIFO_DEPTH`, String(v.fifo.inputDepth)));
  L.push(define(`${P}_OUTPUT_FIFO_DEPTH`, String(v.fifo.outputDepth)));
  L.push(define(`${P}_FIFO_WINDOW`, hex(v.windows.fifo.offset, 4), v.windows.fifo.description));
  L.push(define(`${P}_GP_BASE`, hex(v.windows.gp.offset, 4), 'GP register offset = base + tag * stride'));
  L.push(define(`${P}_GP_STRIDE`, String(v.windows.gp.stride)));
  L.push(define(`${P}_GP_OFFSET(tag)`, `(${P}_GP_BASE + (tag) * ${P}_GP_STRIDE)`));
  if (v.windows.bigEndianMirror) L.push(define(`${P}_BIG_ENDIAN_MIRROR`, hex(v.windows.bigEndianMirror.offset, 5)));
  L.push(define(`${P}_DMA_MAX_COUNT`, hex(v.dma.maxCount), v.behaviour.commands === 'ring' ? 'words in the command ring (RingSize)' : 'words per DMA buffer'), '');

  L.push('/* Behavioural choices: one of each pair is defined (test with #ifdef) */');
  if (v.behaviour.irqAck === 'w1c') L.push(define(`${P}_IRQ_ACK_W1C`, '1', 'IntFlags/ErrorFlags: write 1 to a bit to clear it'));
  else L.push(define(`${P}_IRQ_ACK_READ`, '1', 'IntFlags/ErrorFlags: reading returns the bits and clears them'));
  if (v.behaviour.commands === 'dma') L.push(define(`${P}_CMD_DMA`, '1', 'commands by DMA: address, then count starts one buffer'));
  else L.push(define(`${P}_CMD_RING`, '1', 'commands by ring: base and size once, then advance the tail'));
  L.push('');

  L.push('/* Control, memory, video and RAMDAC registers (BAR0 offsets) */');
  for (const r of v.registers) {
    const n = `${P}R_${macroName(r.name)}`;
    L.push(define(n, hex(r.offset, 4), `${r.access}, reset ${hex(r.reset)}`));
    L.push(...fields(n, r.fields));
  }
  L.push('');

  L.push('/* Interrupt bits (IntEnable / IntFlags) */');
  for (const i of v.interrupts) L.push(define(`${P}_INT_${macroName(i.name)}`, `(1u << ${i.bit})`, i.description));
  L.push('', '/* Error bits (ErrorFlags) */');
  for (const e of v.errors) L.push(define(`${P}_ERR_${macroName(e.name)}`, `(1u << ${e.bit})`, e.description));
  L.push('');

  const f = v.tagFormat;
  L.push('/* Tag-word format (FIFO window and DMA buffers) */');
  L.push(define(`${P}_TAGWORD_TAG_SHIFT`, String(f.tag[1])));
  L.push(define(`${P}_TAGWORD_TAG_MASK`, `${hex(rangeMask(f.tag))}u`));
  L.push(define(`${P}_TAGWORD_RESERVED_MASK`, `${hex(rangeMaskShifted(f.reserved))}u`, 'must be zero'));
  L.push(define(`${P}_TAGWORD_MODE_SHIFT`, String(f.mode[1])));
  for (const [m, val] of Object.entries(f.modes)) L.push(define(`${P}_TAGWORD_MODE_${macroName(m)}`, String(val)));
  const reservedMode = [0, 1, 2, 3].find((m) => !Object.values(f.modes).includes(m));
  if (reservedMode !== undefined) L.push(define(`${P}_TAGWORD_MODE_RESERVED`, String(reservedMode), 'malformed: the card rejects it'));
  L.push(define(`${P}_TAGWORD_COUNT_SHIFT`, String(f.count[1]), 'HOLD/INCREMENT: words - 1; INDEXED: mask'));
  L.push(define(`${P}_TAGWORD_COUNT_MASK`, `${hex(rangeMask(f.count))}u`));
  L.push(define(`${P}_TAGWORD_INDEXED_GROUP_SHIFT`, String(f.indexedGroupShift)));
  L.push(define(`${P}_TAGWORD(tag, mode, count)`, `((((tag) & ${P}_TAGWORD_TAG_MASK) << ${P}_TAGWORD_TAG_SHIFT) | ((unsigned)(mode) << ${P}_TAGWORD_MODE_SHIFT) | (((count) & ${P}_TAGWORD_COUNT_MASK) << ${P}_TAGWORD_COUNT_SHIFT))`));
  L.push(define(`${P}_HOLD(tag, n)`, `${P}_TAGWORD(tag, ${P}_TAGWORD_MODE_HOLD, (n) - 1)`, 'header for n words to one register'));
  L.push(define(`${P}_INCREMENT(tag, n)`, `${P}_TAGWORD(tag, ${P}_TAGWORD_MODE_INCREMENT, (n) - 1)`));
  L.push(define(`${P}_INDEXED(tag, mask)`, `${P}_TAGWORD(tag, ${P}_TAGWORD_MODE_INDEXED, mask)`));
  L.push('');

  L.push('/* Fixed-point helpers */');
  L.push(define(`${P}_FIXED16(i)`, '((unsigned)((int)(i) * 65536))', 'integer -> 16.16 edge value'));
  L.push(define(`${P}_COLOR915(c)`, '((unsigned)((int)(c) * 32768) & 0xffffffu)', 'integer colour -> 9.15 colour value'));
  L.push('');

  L.push('/* Graphics-processor tags (register offset = <P>_GP_OFFSET(tag)) */');
  for (const t of v.tags) {
    const n = `${P}TAG_${macroName(t.name)}`;
    L.push(define(n, hex(t.tag, 3), t.noop ? `no-op (${t.noop === 'zero' ? 'only 0' : 'any value'})` : t.format));
    L.push(define(`${P}R_${macroName(t.name)}`, hex(v.windows.gp.offset + t.tag * v.windows.gp.stride, 4)));
    L.push(...fields(n, t.fields));
  }
  L.push('');

  L.push('/* RAMDAC index registers (via RDIndexLow/High + RDIndexedData) */');
  for (const r of v.ramdac) L.push(define(`${P}I_${macroName(r.name)}`, hex(r.index, 3), r.description));
  L.push('');

  L.push('/* Pixel formats */');
  for (const p of v.pixelFormats) {
    const n = `${P}_FMT_${macroName(p.name)}`;
    L.push(define(`${n}_BYTES`, String(p.bytesPerPixel), p.description));
    L.push(define(`${n}_READ_PIXEL`, String(p.readPixel), 'FBReadPixel'));
    if (p.dither) {
      L.push(define(`${n}_DITHER_FORMAT`, String(p.dither.colorFormat), 'DitherMode ColorFormat'));
      L.push(define(`${n}_DITHER_EXTENSION`, String(p.dither.extension), 'DitherMode ColorFormatExtension'));
    }
    L.push(define(`${n}_RD_PIXEL_SIZE`, hex(p.ramdac.pixelSize, 2)));
    L.push(define(`${n}_RD_COLOR_FORMAT`, hex(p.ramdac.colorFormat, 2)));
  }
  L.push('', `#endif /* ${guard} */`, '');
  return L.join('\n');
}
