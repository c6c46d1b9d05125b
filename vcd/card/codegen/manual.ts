/**
 * Markdown datasheet generator (shape of QEMU's docs/specs/edu.rst plus a vendor manual).
 * Tables come from the variant; prose that cannot be derived is written here, naming registers
 * and tags through the variant (never a second list of names).
 */
import { VPCIB } from '../../vpcib/protocol.ts';
import { DEFAULT_OPTIONS } from '../card.ts';
import { Decoded, TagDecoder } from '../decoder.ts';
import { rangeMask, type CardVariant, type FieldDef, type RegisterRole, type TagRole } from '../definition.ts';
import { layoutOf } from '../layout.ts';
import { StreamBuilder } from '../stream.ts';
import { hex, macroName } from './names.ts';

function table(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function fieldTable(fields: readonly FieldDef[], access: string): string {
  return table(
    ['Bits', 'Field', 'Access', 'Description'],
    [...fields].sort((a, b) => b.bits[0] - a.bits[0]).map((f) => [
      f.bits[0] === f.bits[1] ? `${f.bits[0]}` : `${f.bits[0]}:${f.bits[1]}`,
      f.name,
      f.access ?? access,
      `${f.description}${f.values ? ` Values: ${Object.entries(f.values).map(([k, v]) => `${v} = ${k}`).join(', ')}.` : ''}${f.unsupported ? ' *Not modelled: non-zero raises an unimplemented Message error.*' : ''}`,
    ]),
  );
}

export function manual(v: CardVariant, source: string): string {
  const l = layoutOf(v);
  const P = v.symbolPrefix;
  const R = (role: RegisterRole) => `\`${l.reg(role).def.name}\``;
  const Roff = (role: RegisterRole) => `${R(role)} (${hex(l.reg(role).def.offset, 4)})`;
  const T = (role: TagRole) => `\`${v.tags.find((t) => t.role === role)!.name}\``;
  const I = (role: Parameters<typeof l.irq>[0]) => `\`${v.interrupts.find((i) => i.role === role)!.name}\``;
  const E = (role: Parameters<typeof l.err>[0]) => `\`${v.errors.find((e) => e.role === role)!.name}\``;
  const f = v.tagFormat;
  const ring = v.behaviour.commands === 'ring';
  const w1c = v.behaviour.irqAck === 'w1c';
  /** The register write that starts a transfer, and the condition "no command fetch outstanding". */
  const startReg = ring ? R('ringTail') : R('dmaCount');
  const idle = ring ? `${R('ringHead')} equals the tail last written to ${R('ringTail')}` : `${R('dmaCount')} reads 0`;
  const C = (role: RegisterRole) => `${P}R_${macroName(l.reg(role).def.name)}`;
  const regBar = v.bars.find((b) => b.kind === 'registers')!;
  const vramBar = v.bars.find((b) => b.kind === 'vram')!;
  const out: string[] = [];
  const h = (n: number, s: string) => out.push('', `${'#'.repeat(n)} ${s}`, '');
  const p = (...s: string[]) => out.push(...s);

  p(`# ${v.name}`, '', `*Generated from \`${source}\` by \`vcd/card/codegen/generate.ts\`. Do not edit; change the variant definition and regenerate.*`);
  p('', v.description);
  p('', `This document is the datasheet of the virtual card: everything a driver needs, nothing it must not rely on. Section numbers are stable; tests and handouts cite them. C names come from the generated header (\`${P}R_*\` registers, \`${P}TAG_*\` tags, \`${P}_INT_*\` interrupts, \`${P}_ERR_*\` errors).`);

  h(2, '1. PCI identity');
  p(table(['Item', 'Value'], [
    ['Vendor ID', hex(v.pci.vendorId, 4)],
    ['Device ID', hex(v.pci.deviceId, 4)],
    ['Revision', hex(v.pci.revision, 2)],
    ['Class code', hex(v.pci.classCode, 6)],
    ['Subsystem', `${hex(v.pci.subsystemVendorId, 4)}:${hex(v.pci.subsystemId, 4)}`],
    ['Interrupt pin', v.pci.interruptPin === 1 ? 'INTA' : String(v.pci.interruptPin)],
  ]));
  p('', 'The card honours its PCI command register as real hardware does:', '');
  p('- **Memory Space** (bit 1): while clear, the BARs do not decode: reads return all ones, writes are lost. `pci_enable_device` (or `pcim_enable_device`) sets it.');
  p(`- **Bus Master** (bit 2): ${ring ? 'the command ring is read by' : 'input DMA is'} a PCI bus master. While clear, a ${startReg} write does not start a transfer; it sets the ${E('master')} error and the ${I('error')} interrupt. Call \`pci_set_master\` in probe.`);
  p('- **Interrupt Disable** (bit 10): masks INTA; the status register\'s Interrupt Status bit (bit 3) still shows the card\'s level.');
  p('', `In the lab the card sits on the Virtual PCI Bus (\`vpcib\`): PCI domain ${VPCIB.domain.toString(16).padStart(4, '0')}, its own root bus, BARs fixed by the platform as firmware would leave them, INTA on a level-triggered legacy line shared by all virtual devices (\`IRQF_SHARED\`). Use \`pdev->irq\`; never hard-code the line or the BAR addresses.`);

  h(2, '2. BARs');
  p(table(['BAR', 'Size', 'Kind', 'Contents'], v.bars.map((b) => [String(b.index), `${hex(b.size)} (${b.size >= 1 << 20 ? `${b.size >> 20} MiB` : `${b.size >> 10} KiB`})`, `${b.kind}${b.prefetchable ? ', prefetchable' : ''}`, b.description])));
  p('', `VRAM is ${v.vramBytes >> 20} MiB, little-endian. BAR${vramBar.index} maps all of it; CPU reads and writes there are immediate and never go through the graphics processor. Accesses beyond a BAR read all ones and are ignored on write.`);
  p('', `BAR${regBar.index} map:`, '');
  const windows: string[][] = [
    [`${hex(v.windows.fifo.offset, 4)}–${hex(v.windows.fifo.offset + v.windows.fifo.size - 1, 4)}`, 'FIFO window', v.windows.fifo.description],
    [`${hex(v.windows.gp.offset, 4)}–${hex(v.windows.gp.offset + v.windows.gp.size - 1, 4)}`, 'GP registers', `${v.windows.gp.description} Offset = ${hex(v.windows.gp.offset, 4)} + tag × ${v.windows.gp.stride}.`],
  ];
  if (v.windows.bigEndianMirror) windows.push([`${hex(v.windows.bigEndianMirror.offset, 5)}–${hex(v.windows.bigEndianMirror.offset + v.windows.bigEndianMirror.size - 1, 5)}`, 'Big-endian view', v.windows.bigEndianMirror.description]);
  p(table(['Range', 'Block', 'Use'], windows));
  p('', 'All registers are 32 bits wide. Access them with aligned 32-bit `ioread32`/`iowrite32`; unaligned accesses are aligned down and reported in the trace. 8-bit writes merge into plain registers only. Offsets where no register exists read 0 and ignore writes.');

  h(2, '3. Registers');
  p('Access types: **RO** read-only (writes ignored and reported), **RW** read/write, **WO** write-only (reads 0), **W1C** write 1 to clear. Bits outside every field are reserved: they read 0 and ignore writes. "Reset" is the value after power-on and PCI reset.');
  for (const group of ['control', 'memory', 'video', 'ramdac'] as const) {
    const regs = l.registers.filter((r) => r.def.group === group);
    h(3, `3.${['control', 'memory', 'video', 'ramdac'].indexOf(group) + 1} ${group[0]!.toUpperCase()}${group.slice(1)} registers`);
    p(table(['Offset', 'Name', 'Access', 'Reset', 'C name', 'Description'], regs.map((r) => [hex(r.def.offset, 4), r.def.name, r.def.access, hex(r.reset), `\`${P}R_${macroName(r.def.name)}\``, r.def.description])));
    for (const r of regs) {
      if (!r.def.fields?.length) continue;
      p('', `**${r.def.name}** (${hex(r.def.offset, 4)})`, '', fieldTable(r.def.fields, r.def.access));
    }
  }

  h(2, '4. Command FIFO and DMA');
  h(3, '4.1 Three ways to send commands');
  p(`The graphics processor (GP) executes (tag, value) pairs in order from an input FIFO of ${v.fifo.inputDepth} entries (${Roff('inFifoSpace')} reads the free entries):`, '',
    `1. **GP register write**: writing BAR${regBar.index} offset ${hex(v.windows.gp.offset, 4)} + tag × ${v.windows.gp.stride} queues one pair. Reading that offset returns the value the GP last executed.`,
    `2. **FIFO window**: tag-format words (4.2) written to ${hex(v.windows.fifo.offset, 4)} are decoded into pairs.`,
    ring ? `3. **Command ring** (4.3): the card fetches tag-format words from a ring in guest memory. This is the fast path.` : `3. **Input DMA** (4.3): the card fetches tag-format words from guest memory. This is the fast path.`, '',
    `Writing to a full FIFO loses the word and sets ${E('inFifo')} unless ${R('fifoDiscon')}.InputDisconnect is set, in which case the card finishes queued work first. Poll ${R('inFifoSpace')} before bursts of writes. Writing commands while the card fetches from ${ring ? 'the ring' : 'a DMA buffer'} sets ${E('dma')} (the pairs are still queued, after the stream's current position).`);
  h(3, '4.2 Tag-word format');
  p(table(['Bits', 'Field', 'Meaning'], [
    [`${f.count[0]}:${f.count[1]}`, 'Count / mask', 'HOLD and INCREMENT: number of data words − 1. INDEXED: bit i set = one data word for register (group, i).'],
    [`${f.mode[0]}:${f.mode[1]}`, 'Mode', Object.entries(f.modes).map(([k, m]) => `${m} = ${k.toUpperCase()}`).join(', ') + `; ${[0, 1, 2, 3].filter((m) => !Object.values(f.modes).includes(m)).join(', ')} = reserved (malformed)`],
    [`${f.reserved[0]}:${f.reserved[1]}`, 'Reserved', 'Must be 0 (otherwise malformed).'],
    [`${f.tag[0]}:${f.tag[1]}`, 'Tag', `GP register number (0 … ${hex(rangeMask(f.tag))}).`],
  ]));
  p('', 'A header word is followed by its data words:', '',
    '- **HOLD**: all data words go to the same register (a plain pair is a HOLD header with count field 0, then the value).',
    '- **INCREMENT**: data words go to tag, tag + 1, tag + 2, …',
    `- **INDEXED**: the tag's bits above bit ${f.indexedGroupShift - 1} select a group of ${1 << f.indexedGroupShift} registers; one data word follows for each set mask bit, lowest bit first.`, '',
    `The decoder keeps its position across ${ring ? 'tail updates and the wrap of the ring' : 'DMA buffers (a header\'s data may continue in the next buffer)'}. A malformed header raises ${E('message')} and ${ring ? 'empties the ring' : 'ends the DMA buffer'} (4.3). An unknown tag raises ${E('message')}; the pair is dropped and decoding continues.`);
  if (ring) {
    h(3, '4.3 Command ring protocol');
    p(`Commands reach the card through a **command ring**: a circular buffer of tag-format words in guest memory that the card reads while the driver writes ahead of it. Two indices, in 32-bit words from the start of the ring, describe it: the card's ${Roff('ringHead')} (the next word it fetches) and the driver's ${Roff('ringTail')} (one past the last word written). The ring is empty when they are equal; both wrap to 0 at the end of the ring.`, '',
      `1. Allocate a coherent buffer of N words (\`dma_alloc_coherent\`; N ≤ ${v.dma.maxCount}).`,
      `2. Write its **bus address** (the \`dma_addr_t\` handle, not a CPU pointer) to ${Roff('ringBase')} and N to ${Roff('ringSize')}. Either write empties the ring: head and tail return to 0. Do this in probe and again after every reset; only while the ring is empty.`,
      `3. To send commands, write them at the tail (little-endian words), wrapping to index 0 after word N − 1, then write the new tail index to ${R('ringTail')}. Never let the tail catch up with the head: keep at least one word free, so at most N − 1 words are outstanding.`,
      `4. The card fetches from the head towards the tail; ${R('ringHead')} follows. When the head reaches the tail the ${I('dma')} flag is set in ${R('intFlags')} (interrupt if enabled in ${R('intEnable')}).`,
      `5. In the interrupt handler acknowledge the flags (section 8) and compare ${R('ringHead')} with the tail you wrote: every word before the head has been fetched, and its space may be reused.`, '',
      `Fetched is not drawn: to know that rendering finished use Sync (section 7).`, '',
      'Bad ring requests never hang the card:', '',
      table(['Mistake', 'Card behaviour'], [
        [`${R('ringBase')} or ${R('ringSize')} written while the ring is not empty`, `Write ignored; ${E('inDmaOverwrite')}.`],
        [`${R('ringTail')} written before ${R('ringSize')} (size 0), or ${R('ringSize')} > ${v.dma.maxCount}`, `Nothing fetched; ${E('message')}.`],
        [`${R('ringTail')} ≥ ${R('ringSize')} (a byte offset or an address instead of a word index)`, `Write ignored; ${E('message')}.`],
        ['Ring (base … base + 4 × size) not entirely inside guest RAM', `Nothing fetched; ${E('master')}. The trace explains the likely cause.`],
        ['Malformed header in the ring', `${E('message')}; the head jumps to the tail (everything written so far is dropped); no ${I('dma')} completion (the ${I('error')} interrupt reports it).`],
      ]));
  } else {
    h(3, '4.3 Input DMA protocol');
    p(`1. Allocate a coherent buffer (\`dma_alloc_coherent\`); fill it with tag-format words (little-endian).`,
      `2. Wait until ${R('dmaCount')} reads 0: only one buffer is in flight.`,
      `3. Write the buffer's **bus address** (the \`dma_addr_t\` handle, not a CPU pointer) to ${Roff('dmaAddress')}.`,
      `4. Write the number of 32-bit words (1 … ${v.dma.maxCount}) to ${Roff('dmaCount')}. This starts the transfer.`,
      `5. ${R('dmaCount')} counts down as words are fetched. When it reaches 0 the ${I('dma')} flag is set in ${R('intFlags')} (interrupt if enabled in ${R('intEnable')}).`,
      `6. In the interrupt handler acknowledge the flags (section 8) and start the next buffer.`, '',
      `DMA completion means the words were fetched, not that they were drawn. To know that rendering finished use Sync (section 7).`, '',
      'Bad DMA requests never hang the card:', '',
      table(['Mistake', 'Card behaviour'], [
        [`${R('dmaAddress')} or ${R('dmaCount')} written while DMA runs`, `Write ignored; ${E('inDmaOverwrite')}.`],
        [`${R('dmaCount')} > ${v.dma.maxCount}`, `DMA not started; ${E('message')}.`],
        ['Buffer (address … address + 4 × count) not entirely inside guest RAM', `DMA not started; ${E('master')}. The trace explains the likely cause (CPU virtual address instead of a DMA handle; byte count instead of word count).`],
        ['Malformed header in the buffer', `${E('message')}; ${R('dmaCount')} forced to 0; the rest of the buffer is dropped; no ${I('dma')} completion (the ${I('error')} interrupt reports it).`],
      ]));
  }

  h(2, '5. Graphics-processor registers (tags)');
  p(`Formats: **fixed16.16** — two's-complement 16.16 (bit 0 and bits 31:28 ignored: the chip keeps 12.15); **color9.15** — two's-complement 9.15 in bits 23:0 (bits 3:0 ignored); **count12** — unsigned 12 bits; **xy12** — X in 11:0 and Y in 27:16, 12-bit two's complement. Tags without a role are no-ops kept so that existing initialisation sequences run: "only 0" tags raise an unimplemented ${E('message')} error for any other value.`);
  p('', table(['Tag', 'Offset', 'Name', 'Format', 'Reset', 'Description'], [...v.tags].sort((a, b) => a.tag - b.tag).map((t) => [
    hex(t.tag, 3), hex(v.windows.gp.offset + t.tag * v.windows.gp.stride, 4), t.name, t.noop ? `no-op (${t.noop === 'zero' ? 'only 0' : 'any'})` : (t.format ?? 'raw'), hex(t.reset ?? 0), t.description,
  ])));
  for (const t of v.tags) if (t.fields?.length && t.role) p('', `**${t.name}** (tag ${hex(t.tag, 3)})`, '', fieldTable(t.fields, 'RW'));

  h(2, '6. Rasterization rules');
  p(`The card draws with a deterministic integer rasterizer; the same command stream always gives the same pixels.`, '',
    `**Trapezoids.** ${T('render')} with PrimitiveType = trapezoid loads the dominant edge X from ${T('startXDom')}, the subordinate edge X from ${T('startXSub')}, Y from ${T('startY')}, the slopes ${T('dXDom')}, ${T('dXSub')}, ${T('dY')}, and draws ${T('count')} scanlines. On each scanline y = floor(Y) and the pixels from min(floor(xDom), floor(xSub)) up to but not including max(floor(xDom), floor(xSub)) are drawn (the span never includes the right end; a zero-width span draws nothing). After each scanline xDom += dXDom, xSub += dXSub, Y += dY.`, '',
    `**Continuing.** ${T('continueNewSub')}(n) reloads the subordinate edge from ${T('startXSub')}/${T('dXSub')} and draws n more scanlines from the current Y and dominant edge; ${T('continueNewDom')}(n) does the same for the dominant edge; ${T('continue')}(n) keeps both. A triangle with vertices sorted by Y (v1 top, v2 middle, v3 bottom) is: dominant edge v1→v3, subordinate edge v1→v2, ${T('count')} = y2 − y1, ${T('render')}; then subordinate edge v2→v3 and ${T('continueNewSub')}(y3 − y2). Whether the subordinate edge is left or right of the dominant one does not matter.`, '',
    `**Rectangles.** PrimitiveType = rectangle fills ${T('rectangleSize')} width × height pixels from ${T('rectangleOrigin')}; x + width and y + height are exclusive. IncreaseX/IncreaseY do not change the result of a fill.`, '',
    `**Colour.** With FastFillEnable in the ${T('render')} word, pixels take ${T('fbBlockColor')} (a raw pixel value: each pixel takes its byte lane of the 32-bit word, so 16-bit colours are written twice). Otherwise, with ${T('colorDDAMode')}.UnitEnable = 0 every pixel takes ${T('color')}; with UnitEnable = 1 and ShadeMode = flat every pixel takes ${T('constantColor')}; with ShadeMode = Gouraud each channel C (R, G, B) is interpolated: C starts at CStart on the first scanline, the value on the dominant edge changes by dCdyDom per scanline, and the pixel at x has C_dom + (x − floor(xDom)) × dCdx. The output channel is clamp(C >> 15, 0, 255). Accumulators are 32-bit and wrap. Gouraud alpha is 255; flat alpha is the A byte of the colour.`, '',
    `**Pixel packing.** Colour registers hold R in bits 7:0, G in 15:8, B in 23:16, A in 31:24. With ${T('ditherMode')}.UnitEnable = 1 and a ColorFormat matching the framebuffer's pixel size (section 9), the colour is packed into the pixel format (ColorOrder = 0 puts red in the high channel: 0xAARRGGBB at 32 bpp, RRRRRGGGGGGBBBBB at 16 bpp; ColorOrder = 1 swaps red and blue). A ColorFormat that does not match raises an unimplemented ${E('message')} error and the colour is written raw. With UnitEnable = 0 the colour word is written as it is, truncated to the pixel size. No dithering is done; channels are truncated.`, '',
    `**Addressing.** The pixel size comes from ${T('fbReadPixel')}, the pitch (pixels per line) from the PackedPP field of ${T('fbReadMode')}: three 3-bit codes, pitch = Σ 2^(code + 4) over non-zero codes (640 = codes 4, 4, 3; 800 = 5, 4, 1; 1024 = 5, 4, 4). Pixel (x, y) is at VRAM byte (${T('fbWindowBase')} + y × pitch + x) × bytes per pixel. Pixels outside VRAM are dropped.`, '',
    `**Tests and write path.** Coordinates are clipped to −2048 … 2047. ${T('scissorMode')}.UserScissorEnable clips to ${T('scissorMinXY')} (inclusive) … ${T('scissorMaxXY')} (exclusive); ScreenScissorEnable clips to 0 … ${T('screenSize')} (exclusive). Nothing is written unless ${T('fbWriteMode')}.WriteEnable = 1 (reset value 0: a driver must set it). The raster operation of ${T('logicalOpMode')} (all 16 X11 operations; copy when disabled) combines the fragment with the old pixel, and only bits set in both ${T('fbSoftwareWriteMask')} and ${T('fbHardwareWriteMask')} change.`, '',
    `SubPixelCorrectionEnable is accepted and has no effect. Lines, points, stipples, textures, fog, depth, stencil, alpha blending and the triangle setup unit are not modelled.`);

  const syncField = v.tags.find((t) => t.role === 'sync')!.fields?.find((x) => x.role === 'interruptEnable');
  const syncBit = syncField ? String(syncField.bits[1]) : '?';
  h(2, '7. Sync and the output FIFO');
  p(`${T('sync')} is a marker that leaves the pipeline only after every earlier command has finished drawing. Depending on ${T('filterMode')} it writes its tag number (SyncTag bit) and/or its data word (SyncData bit) to the output FIFO (${v.fifo.outputDepth} words; ${Roff('outFifoWords')} counts them; reading the FIFO window pops one). If the data has InterruptEnable (bit ${syncBit}) set, the ${I('sync')} flag is raised.`, '',
    `Canonical wait for idle: wait until ${idle}; send ${T('filterMode')} = SyncTag, ${T('sync')} = 0; then read the FIFO window whenever ${R('outFifoWords')} ≠ 0 until the value read is the Sync tag (${hex(l.tag('sync'), 3)}). Interrupt-driven alternative: send ${T('sync')} with bit ${syncBit} and sleep until the ${I('sync')} interrupt.`, '',
    `If the output FIFO has no room for a Sync's words, the pipeline stalls there (and ${R('fifoDiscon')}.GPActive stays 1) until the driver reads the FIFO window. Reading an empty output FIFO returns 0 and sets ${E('outFifo')}.`);

  h(2, '8. Interrupts and errors');
  p(`${R('intFlags')} bits latch whenever their event happens, enabled or not. The interrupt line (INTA, level-triggered) is asserted while (${R('intFlags')} & ${R('intEnable')}) ≠ 0.`, '');
  if (w1c) {
    p(`**Acknowledge: write 1 to clear.** Clear a flag by writing 1 to it; writing 0 leaves it. A handler reads ${R('intFlags')}, ANDs with the bits it enabled, writes exactly those bits back (\`${P}_IRQ_ACK_W1C\` in the header), then handles them. Writing back all ones would also clear events it has not looked at.`, '',
      '```c', `flags = ioread32(regs + ${C('intFlags')}) & enabled;`, `iowrite32(flags, regs + ${C('intFlags')});          /* acknowledge: W1C */`, `if (flags & ${P}_INT_${macroName(v.interrupts.find((i) => i.role === 'error')!.name)}) {`, `\terr = ioread32(regs + ${C('errorFlags')});`, `\tiowrite32(err, regs + ${C('errorFlags')});      /* W1C as well */`, '}', '```', '');
  } else {
    p(`**Acknowledge: clear-on-read.** Reading ${R('intFlags')} returns the pending flags and clears all of them at once, lowering the line (\`${P}_IRQ_ACK_READ\` in the header); writes to it are ignored. A handler reads it exactly once per round, keeps the value, and handles every bit it enabled in that value — a second read returns only events that happened since. Flags the handler did not enable are cleared too. ${R('errorFlags')} works the same way.`, '',
      '```c', `flags = ioread32(regs + ${C('intFlags')}) & enabled;   /* acknowledges every pending flag */`, `if (flags & ${P}_INT_${macroName(v.interrupts.find((i) => i.role === 'error')!.name)})`, `\terr = ioread32(regs + ${C('errorFlags')});       /* read once: clears them */`, '```', '');
  }
  p(table(['Bit', 'Name', 'C name', 'Modelled', 'When set'], v.interrupts.map((i) => [String(i.bit), i.name, `\`${P}_INT_${macroName(i.name)}\``, i.implemented ? 'yes' : 'no', i.description])));
  p('', `${R('errorFlags')} bits are sticky until acknowledged (${w1c ? 'W1C' : 'clear-on-read'}). Setting any of them sets the ${I('error')} interrupt flag.`, '');
  p(table(['Bit', 'Name', 'C name', 'Meaning'], v.errors.map((e) => [String(e.bit), e.name, `\`${P}_ERR_${macroName(e.name)}\``, e.description])));
  p('', 'Every error is also recorded in the card trace as a *guest-error* (a driver mistake) or *unimplemented* (a real-chip feature the model leaves out) event naming the register, the value and what the driver probably did wrong. The card never stops or hangs on bad input.');

  h(2, '9. Display');
  p(`The visible screen starts at ${R('screenBase')} × 8 bytes with a line pitch of ${R('screenStride')} × 8 bytes, and is shown while ${R('videoControl')}.Enable = 1. Width = (${R('hTotal')} + 1 − ${R('hbEnd')}) × 8 / bytes per pixel when Data64Enable is set (× 4 otherwise); height = ${R('vTotal')} + 1 − ${R('vbEnd')}. The format comes from the RAMDAC index registers, reached by writing the index to ${R('rdIndexLow')}/${R('rdIndexHigh')} and then reading or writing ${R('rdIndexedData')}:`, '');
  p(table(['Index', 'Name', 'Reset', 'Description'], v.ramdac.map((r) => [hex(r.index, 3), r.name, hex(r.reset, 2), r.description])));
  p('', table(['Format', 'Bytes', 'FBReadPixel', 'DitherMode ColorFormat (+ext)', 'RAMDAC PixelSize, ColorFormat', 'Description'], v.pixelFormats.map((x) => [x.name, String(x.bytesPerPixel), String(x.readPixel), x.dither ? `${x.dither.colorFormat} (+${x.dither.extension})` : '—', `${x.ramdac.pixelSize}, ${hex(x.ramdac.colorFormat, 2)}`, x.description])));
  p('', `The virtual raster runs at ${v.refreshHz} Hz while the display is enabled: ${R('lineCount')} counts 0 … ${R('vTotal')} through each frame, lines 0 … ${R('vbEnd')} − 1 are vertical blank, and the ${I('vretrace')} flag is raised at the start of every frame. Timing registers without a role (sync positions, clocks) are stored only.`, '',
    `Example, 640 × 480 at 32 bpp: ${R('hTotal')} 399, ${R('hbEnd')} 80, ${R('vTotal')} 524, ${R('vbEnd')} 45, ${R('screenStride')} 320, ${R('screenBase')} 0, ${R('videoControl')} = Enable | Data64Enable, RAMDAC PixelSize 2 and ColorFormat 0x20.`);

  h(2, '10. Timing');
  p('Work takes simulated time, so a driver has to wait for interrupts or poll status like on real hardware. Default costs (the host may change them; *burst* mode completes queued work at once and raises completion interrupts back to back):', '');
  const c = DEFAULT_OPTIONS.costs;
  p(table(['Work', 'Simulated time'], [
    ['DMA word fetched', `${c.dmaWordNs} ns`], ['FIFO entry executed', `${c.fifoEntryNs} ns`], ['Render / Continue command', `${c.primitiveNs} ns`], ['Scanline', `${c.lineNs} ns`], ['Pixel written', `${c.pixelNs} ns`],
  ]));

  h(2, `11. Worked example: one Gouraud triangle ${ring ? 'through the command ring' : 'by DMA'}`);
  const sb = new StreamBuilder(v);
  sb.setupFramebuffer({ readPixel: 2, pitch: 640 });
  sb.gouraudTriangle({ x: 100, y: 50, r: 255, g: 0, b: 0 }, { x: 300, y: 150, r: 0, g: 255, b: 0 }, { x: 150, y: 250, r: 0, g: 0, b: 255 });
  sb.sync(true);
  const words = sb.words();
  const dec = new TagDecoder(l);
  const rows: string[][] = [];
  let hdr = 0;
  words.forEach((w, i) => {
    const d = dec.feed(w);
    if (d === Decoded.Header) hdr = w;
    else if (d === Decoded.Data) rows.push([String(i - 1), `${hex(hdr, 8)} ${hex(w, 8)}`, l.tagName(dec.out), `\`${P}TAG_${macroName(l.tagName(dec.out))}\``]);
  });
  p(`The triangle (100, 50) red, (300, 150) green, (150, 250) blue on a 640-pixel-wide 32 bpp framebuffer. Interrupts: ${I('dma')} and ${I('sync')}. Colours use 9.15 (255 → ${hex(255 * 32768)}), coordinates 16.16.`, '',
    '```c',
    `/* once: */`,
    `iowrite32(${P}_INT_${macroName(v.interrupts.find((i) => i.role === 'dma')!.name)} | ${P}_INT_${macroName(v.interrupts.find((i) => i.role === 'sync')!.name)} | ${P}_INT_${macroName(v.interrupts.find((i) => i.role === 'error')!.name)}, regs + ${C('intEnable')});`,
    ...(ring ? [
      `ring = dma_alloc_coherent(&pdev->dev, N * 4, &handle, GFP_KERNEL);`,
      `iowrite32(handle, regs + ${C('ringBase')});      /* the DMA handle, not ring; empties the ring */`,
      `iowrite32(N, regs + ${C('ringSize')});           /* words */`,
      `tail = 0;`,
      `/* per batch of commands (at most N - 1 words outstanding): */`,
      `ring[tail] = ${P}_HOLD(${P}TAG_${macroName(v.tags.find((t) => t.role === 'startXDom')!.name)}, 1); tail = (tail + 1) % N;`,
      `ring[tail] = ${P}_FIXED16(100);                   tail = (tail + 1) % N;   /* ... one pair per register, as listed below */`,
      `wmb();                                          /* the words before the tail */`,
      `iowrite32(tail, regs + ${C('ringTail')});        /* the card fetches up to here */`,
    ] : [
      `buf = dma_alloc_coherent(&pdev->dev, SZ_64K, &handle, GFP_KERNEL);`,
      `/* per buffer: */`,
      `n = 0;`,
      `buf[n++] = ${P}_HOLD(${P}TAG_${macroName(v.tags.find((t) => t.role === 'startXDom')!.name)}, 1);`,
      `buf[n++] = ${P}_FIXED16(100);            /* ... one pair per register, as listed below */`,
      `wait_event(wq, ioread32(regs + ${C('dmaCount')}) == 0);`,
      `iowrite32(handle, regs + ${C('dmaAddress')});   /* the DMA handle, not buf */`,
      `iowrite32(n, regs + ${C('dmaCount')});          /* words, starts DMA */`,
    ]),
    `/* interrupt handler: */`,
    ...(w1c ? [
      `flags = ioread32(regs + ${C('intFlags')}) & ioread32(regs + ${C('intEnable')});`,
      `iowrite32(flags, regs + ${C('intFlags')});      /* W1C */`,
    ] : [
      `flags = ioread32(regs + ${C('intFlags')}) & ioread32(regs + ${C('intEnable')});   /* clear-on-read: acknowledged */`,
    ]),
    `if (flags & ${P}_INT_${macroName(v.interrupts.find((i) => i.role === 'dma')!.name)}) /* ${ring ? `fetched up to ${C('ringHead')}: that space is free again` : 'buffer fetched: start the next one'} */;`,
    `if (flags & ${P}_INT_${macroName(v.interrupts.find((i) => i.role === 'sync')!.name)}) /* everything before the Sync is drawn */;`,
    '```', '',
    `The ${words.length} words of the ${ring ? 'batch' : 'buffer'} (header, data):`, '',
    table(['Word', 'Header, data', 'Register', 'C tag'], rows), '',
    `Expected: ${ring ? `${R('ringHead')} reaches the tail (${words.length} with an empty ring at 0)` : `${R('dmaCount')} reaches 0`} after about ${Math.round(words.length * c.dmaWordNs / 100) / 10} µs of simulated time plus drawing, ${I('dma')} then ${I('sync')} are raised, ${R('errorFlags')} stays 0, and the triangle is visible through BAR${vramBar.index}.`);

  h(2, '12. Not modelled');
  const unsupportedRegs = v.registers.flatMap((r) => (r.fields ?? []).filter((x) => x.unsupported).map((x) => `${r.name}.${x.name}`));
  const unsupportedTags = v.tags.flatMap((t) => (t.fields ?? []).filter((x) => x.unsupported).map((x) => `${t.name}.${x.name}`));
  const zeroTags = v.tags.filter((t) => t.noop === 'zero').map((t) => t.name);
  p(`Writing a non-zero value to any of these raises an unimplemented ${E('message')} error and is otherwise ignored:`, '',
    `- Register fields: ${unsupportedRegs.join(', ')}.`,
    `- GP register fields: ${unsupportedTags.join(', ')}.`,
    `- GP registers accepted only as 0: ${zeroTags.join(', ')}.`,
    `- Interrupts never raised: ${v.interrupts.filter((i) => !i.implemented).map((i) => i.name).join(', ')}.`, '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
