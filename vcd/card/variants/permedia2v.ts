/**
 * The default card: a reduced 3Dlabs Permedia 2v with the real chip's offsets, tag numbers and
 * encodings (see /work/shared/notes/permedia2.md, section 9, for sources). This object is the
 * single source of truth for the model, the trace, the C header and the manual.
 */
import { bitFields, type CardVariant, type ErrorDef, type FieldDef, type InterruptDef, type TagDef } from '../definition.ts';

const interrupts: readonly InterruptDef[] = [
  { bit: 0, name: 'DMA', role: 'dma', implemented: true, description: 'Input DMA finished: DMACount reached 0 (all words fetched, not necessarily drawn).' },
  { bit: 1, name: 'Sync', role: 'sync', implemented: true, description: 'A Sync command with InterruptEnable (bit 31) left the pipeline.' },
  { bit: 2, name: 'External', role: 'external', implemented: false, description: 'External interrupt input (never raised by the virtual card).' },
  { bit: 3, name: 'Error', role: 'error', implemented: true, description: 'A bit was set in ErrorFlags.' },
  { bit: 4, name: 'VRetrace', role: 'vretrace', implemented: true, description: 'Start of vertical retrace (only while VideoControl.Enable is set).' },
  { bit: 5, name: 'Scanline', role: 'scanline', implemented: false, description: 'LineCount equals InterruptLine (not modelled).' },
];

const errors: readonly ErrorDef[] = [
  { bit: 0, name: 'InFIFO', role: 'inFifo', description: 'A word was written to a full input FIFO and was lost.' },
  { bit: 1, name: 'OutFIFO', role: 'outFifo', description: 'The output FIFO was read while empty.' },
  { bit: 2, name: 'Message', role: 'message', description: 'Malformed command: unknown tag, reserved bits, tag mode 3, unsupported feature, absurd count.' },
  { bit: 3, name: 'DMA', role: 'dma', description: 'The host wrote to the input FIFO while input DMA was active.' },
  { bit: 7, name: 'Master', role: 'master', description: 'Input DMA tried to read outside guest RAM (PCI master abort); the rest of the buffer was dropped.' },
  { bit: 9, name: 'InDMAOverwrite', role: 'inDmaOverwrite', description: 'DMAAddress or DMACount was written while input DMA was still running; the write was ignored.' },
];

const xy: readonly FieldDef[] = [
  { name: 'X', bits: [11, 0], role: 'x', description: 'X, 12-bit two\'s complement.' },
  { name: 'Y', bits: [27, 16], role: 'y', description: 'Y, 12-bit two\'s complement.' },
];

const countField: readonly FieldDef[] = [{ name: 'Count', bits: [11, 0], role: 'count', description: 'Number of scanlines.' }];

const rgba: readonly FieldDef[] = [
  { name: 'R', bits: [7, 0], description: 'Red.' },
  { name: 'G', bits: [15, 8], description: 'Green.' },
  { name: 'B', bits: [23, 16], description: 'Blue.' },
  { name: 'A', bits: [31, 24], description: 'Alpha.' },
];

function colorTags(first: number, c: 'R' | 'G' | 'B'): TagDef[] {
  const lc = c.toLowerCase() as 'r' | 'g' | 'b';
  return [
    { tag: first, name: `${c}Start`, role: `${lc}Start`, format: 'color9.15', description: `${c} at the first pixel of the first scanline.` },
    { tag: first + 1, name: `d${c}dx`, role: `d${c}dx`, format: 'color9.15', description: `${c} change per pixel along a scanline.` },
    { tag: first + 2, name: `d${c}dyDom`, role: `d${c}dyDom`, format: 'color9.15', description: `${c} change per scanline along the dominant edge.` },
  ];
}

function zeroOnly(tag: number, name: string, what: string): TagDef {
  return { tag, name, noop: 'zero', format: 'raw', description: `${what} Not modelled: 0 is accepted as a no-op, any other value raises the Message error.` };
}

function stored(tag: number, name: string, what: string): TagDef {
  return { tag, name, noop: 'any', format: 'raw', description: `${what} Stored, no effect on the virtual card.` };
}

const tags: readonly TagDef[] = [
  { tag: 0x000, name: 'StartXDom', role: 'startXDom', format: 'fixed16.16', description: 'X of the dominant edge at StartY.' },
  { tag: 0x001, name: 'dXDom', role: 'dXDom', format: 'fixed16.16', description: 'Dominant-edge X change per scanline.' },
  { tag: 0x002, name: 'StartXSub', role: 'startXSub', format: 'fixed16.16', description: 'X of the subordinate edge at the start of its trapezoid.' },
  { tag: 0x003, name: 'dXSub', role: 'dXSub', format: 'fixed16.16', description: 'Subordinate-edge X change per scanline.' },
  { tag: 0x004, name: 'StartY', role: 'startY', format: 'fixed16.16', description: 'Y of the first scanline.' },
  { tag: 0x005, name: 'dY', role: 'dY', format: 'fixed16.16', description: 'Y change per scanline: +1.0 (0x00010000) draws downwards, -1.0 upwards.' },
  { tag: 0x006, name: 'Count', role: 'count', format: 'count12', fields: countField, description: 'Scanlines drawn by the next trapezoid Render.' },
  {
    tag: 0x007, name: 'Render', role: 'render', format: 'raw', description: 'Starts a primitive with the current GP state.',
    fields: [
      { name: 'AreaStippleEnable', bits: [0, 0], unsupported: true, description: 'Area stipple.' },
      { name: 'FastFillEnable', bits: [3, 3], role: 'fastFill', description: 'Fill with FBBlockColor, bypassing the colour DDA.' },
      { name: 'PrimitiveType', bits: [7, 6], role: 'primitiveType', values: { line: 0, trapezoid: 1, point: 2, rectangle: 3 }, description: 'Primitive: trapezoid and rectangle are modelled; line and point raise an unimplemented Message error.' },
      { name: 'SyncOnBitMask', bits: [11, 11], unsupported: true, description: 'Wait for BitMaskPattern data.' },
      { name: 'SyncOnHostData', bits: [12, 12], unsupported: true, description: 'Wait for host colour data.' },
      { name: 'TextureEnable', bits: [13, 13], unsupported: true, description: 'Texture mapping.' },
      { name: 'FogEnable', bits: [14, 14], unsupported: true, description: 'Fog.' },
      { name: 'SubPixelCorrectionEnable', bits: [16, 16], description: 'Accepted; the virtual card samples interpolants at the DDA start (no correction).' },
      { name: 'ReuseBitMask', bits: [17, 17], unsupported: true, description: 'Reuse the bit mask.' },
      { name: 'RejectNegativeFace', bits: [20, 20], unsupported: true, description: 'Back-face culling.' },
      { name: 'IncreaseX', bits: [21, 21], description: 'Rectangle X direction (no visible effect for fills).' },
      { name: 'IncreaseY', bits: [22, 22], description: 'Rectangle Y direction (no visible effect for fills).' },
    ],
  },
  { tag: 0x009, name: 'ContinueNewDom', role: 'continueNewDom', format: 'count12', fields: countField, description: 'Reload the dominant edge from StartXDom/dXDom and draw Count more scanlines.' },
  { tag: 0x00a, name: 'ContinueNewSub', role: 'continueNewSub', format: 'count12', fields: countField, description: 'Reload the subordinate edge from StartXSub/dXSub and draw Count more scanlines.' },
  { tag: 0x00b, name: 'Continue', role: 'continue', format: 'count12', fields: countField, description: 'Draw Count more scanlines with both edges as they are.' },
  zeroOnly(0x014, 'RasterizerMode', 'Bit-mask and coordinate-bias options.'),
  stored(0x017, 'WaitForCompletion', 'Waits until earlier rendering is done; a serial model is always done.'),
  { tag: 0x01a, name: 'RectangleOrigin', role: 'rectangleOrigin', format: 'xy12', fields: xy, description: 'Top-left corner of the next rectangle.' },
  {
    tag: 0x01b, name: 'RectangleSize', role: 'rectangleSize', format: 'xy12', description: 'Size of the next rectangle.',
    fields: [
      { name: 'Width', bits: [11, 0], role: 'width', description: 'Width in pixels.' },
      { name: 'Height', bits: [27, 16], role: 'height', description: 'Height in pixels.' },
    ],
  },
  {
    tag: 0x030, name: 'ScissorMode', role: 'scissorMode', format: 'raw', description: 'Scissor tests applied to every fragment.',
    fields: [
      { name: 'UserScissorEnable', bits: [0, 0], role: 'userScissor', description: 'Clip to ScissorMinXY (inclusive) .. ScissorMaxXY (exclusive).' },
      { name: 'ScreenScissorEnable', bits: [1, 1], role: 'screenScissor', description: 'Clip to 0 .. ScreenSize (exclusive).' },
    ],
  },
  { tag: 0x031, name: 'ScissorMinXY', role: 'scissorMinXY', format: 'xy12', fields: xy, description: 'User scissor, inclusive minimum.' },
  { tag: 0x032, name: 'ScissorMaxXY', role: 'scissorMaxXY', format: 'xy12', fields: xy, description: 'User scissor, exclusive maximum.' },
  {
    tag: 0x033, name: 'ScreenSize', role: 'screenSize', format: 'xy12', description: 'Screen scissor size.',
    fields: [
      { name: 'Width', bits: [10, 0], role: 'width', description: 'Width in pixels.' },
      { name: 'Height', bits: [26, 16], role: 'height', description: 'Height in pixels.' },
    ],
  },
  zeroOnly(0x034, 'AreaStippleMode', 'Area stipple unit.'),
  {
    tag: 0x039, name: 'WindowOrigin', role: 'windowOrigin', format: 'xy12', description: 'Window origin offset (drivers write 0).',
    fields: [
      { name: 'X', bits: [11, 0], unsupported: true, description: 'X offset (only 0 is modelled).' },
      { name: 'Y', bits: [27, 16], unsupported: true, description: 'Y offset (only 0 is modelled).' },
    ],
  },
  zeroOnly(0x070, 'TextureAddressMode', 'Texture address unit.'),
  stored(0x0b1, 'TextureMapFormat', 'Texture map layout (drivers copy the partial products here).'),
  zeroOnly(0x0ce, 'TextureReadMode', 'Texture read unit.'),
  zeroOnly(0x0d0, 'TextureColorMode', 'Texture colour unit.'),
  zeroOnly(0x0d2, 'FogMode', 'Fog unit.'),
  ...colorTags(0x0f0, 'R'),
  ...colorTags(0x0f3, 'G'),
  ...colorTags(0x0f6, 'B'),
  stored(0x0f9, 'AStart', 'Alpha at the first pixel.'),
  stored(0x0fa, 'dAdx', 'Alpha change per pixel.'),
  stored(0x0fb, 'dAdyDom', 'Alpha change per scanline.'),
  {
    tag: 0x0fc, name: 'ColorDDAMode', role: 'colorDDAMode', format: 'raw', description: 'Colour interpolation unit.',
    fields: [
      { name: 'UnitEnable', bits: [0, 0], role: 'unitEnable', description: '0: fragments take the Color register; 1: the DDA below.' },
      { name: 'ShadeMode', bits: [1, 1], role: 'shadeMode', values: { flat: 0, gouraud: 1 }, description: 'Flat (ConstantColor) or Gouraud (RStart/dRdx/dRdyDom ...).' },
    ],
  },
  { tag: 0x0fd, name: 'ConstantColor', role: 'constantColor', format: 'raw', fields: rgba, description: 'Flat colour.' },
  { tag: 0x0fe, name: 'Color', role: 'color', format: 'raw', fields: rgba, description: 'Colour used while ColorDDAMode.UnitEnable is 0.' },
  zeroOnly(0x102, 'AlphaBlendMode', 'Alpha blending unit.'),
  {
    tag: 0x103, name: 'DitherMode', role: 'ditherMode', format: 'raw', description: 'Colour formatting: packs the fragment colour into the pixel format.',
    fields: [
      { name: 'UnitEnable', bits: [0, 0], role: 'unitEnable', description: '1: pack per ColorFormat/ColorOrder; 0: write the colour word (R in bits 7:0) truncated to the pixel size.' },
      { name: 'DitherEnable', bits: [1, 1], description: 'Accepted; the virtual card truncates instead of dithering.' },
      { name: 'ColorFormat', bits: [5, 2], role: 'colorFormat', description: 'Pixel format (see pixel formats); with ColorFormatExtension.' },
      { name: 'XOffset', bits: [7, 6], description: 'Dither matrix X offset (ignored).' },
      { name: 'YOffset', bits: [9, 8], description: 'Dither matrix Y offset (ignored).' },
      { name: 'ColorOrder', bits: [10, 10], role: 'colorOrder', values: { bgr: 0, rgb: 1 }, description: '0: red in the high channel (0xAARRGGBB); 1: red and blue swapped.' },
      { name: 'DitherMethod', bits: [11, 11], description: 'Ignored.' },
      { name: 'ForceAlpha', bits: [13, 12], unsupported: true, description: 'Force alpha.' },
      { name: 'ColorFormatExtension', bits: [16, 16], role: 'colorFormatExtension', description: 'Fifth bit of ColorFormat (565).' },
    ],
  },
  { tag: 0x104, name: 'FBSoftwareWriteMask', role: 'fbSoftwareWriteMask', format: 'mask', reset: 0xffffffff, description: 'Per-bit plane mask applied to every pixel write (1 = write).' },
  {
    tag: 0x105, name: 'LogicalOpMode', role: 'logicalOpMode', format: 'raw', description: 'Raster operation between fragment (source) and framebuffer (destination).',
    fields: [
      { name: 'Enable', bits: [0, 0], role: 'unitEnable', description: '0: copy.' },
      { name: 'LogicOp', bits: [4, 1], role: 'logicOp', values: { clear: 0, and: 1, andReverse: 2, copy: 3, andInverted: 4, noop: 5, xor: 6, or: 7, nor: 8, equiv: 9, invert: 10, orReverse: 11, copyInverted: 12, orInverted: 13, nand: 14, set: 15 }, description: 'X11 raster operation.' },
      { name: 'UseConstantFBWriteData', bits: [5, 5], unsupported: true, description: 'Use FBWriteData as source.' },
    ],
  },
  stored(0x106, 'FBWriteData', 'Constant source data.'),
  stored(0x110, 'LBReadMode', 'Local-buffer read unit (drivers copy the partial products here).'),
  zeroOnly(0x118, 'LBWriteMode', 'Local-buffer write unit.'),
  zeroOnly(0x130, 'Window', 'Window-ID test.'),
  zeroOnly(0x131, 'StencilMode', 'Stencil unit.'),
  zeroOnly(0x134, 'DepthMode', 'Depth unit.'),
  {
    tag: 0x150, name: 'FBReadMode', role: 'fbReadMode', format: 'raw', description: 'Framebuffer read unit; holds the pitch.',
    fields: [
      { name: 'PackedPP', bits: [8, 0], role: 'packedPP', description: 'Pitch as three 3-bit partial products p0 [2:0], p1 [5:3], p2 [8:6]: pitch = sum of 2^(p+4) over non-zero codes.' },
      { name: 'ReadSourceEnable', bits: [9, 9], unsupported: true, description: 'Read source pixels (copies).' },
      { name: 'ReadDestinationEnable', bits: [10, 10], description: 'Read destination pixels (the model always reads when a logic op needs it).' },
      { name: 'WindowOriginBottom', bits: [16, 16], unsupported: true, description: 'Origin at bottom-left.' },
      { name: 'PackedData', bits: [19, 19], unsupported: true, description: 'Packed data mode.' },
    ],
  },
  zeroOnly(0x151, 'FBSourceOffset', 'Copy source offset.'),
  zeroOnly(0x152, 'FBPixelOffset', 'Pixel offset added to every address.'),
  { tag: 0x156, name: 'FBWindowBase', role: 'fbWindowBase', format: 'raw', fields: [{ name: 'Base', bits: [23, 0], role: 'address', description: 'Address of pixel (0,0), in pixels.' }], description: 'Framebuffer origin.' },
  {
    tag: 0x157, name: 'FBWriteMode', role: 'fbWriteMode', format: 'raw', description: 'Framebuffer write unit.',
    fields: [
      { name: 'WriteEnable', bits: [0, 0], role: 'writeEnable', description: '1: fragments are written to VRAM. Reset value 0: nothing is drawn until a driver sets it.' },
      { name: 'UploadData', bits: [3, 3], unsupported: true, description: 'Upload to host.' },
    ],
  },
  { tag: 0x158, name: 'FBHardwareWriteMask', role: 'fbHardwareWriteMask', format: 'mask', reset: 0xffffffff, description: 'Second plane mask, ANDed with FBSoftwareWriteMask.' },
  { tag: 0x159, name: 'FBBlockColor', role: 'fbBlockColor', format: 'raw', description: 'FastFill pixel value, replicated to 32 bits (16 bpp: twice; 8 bpp: four times).' },
  {
    tag: 0x15a, name: 'FBReadPixel', role: 'fbReadPixel', format: 'raw', description: 'Pixel size of the framebuffer for rendering.',
    fields: [{ name: 'PixelSize', bits: [2, 0], role: 'pixelSize', values: { bpp8: 0, bpp16: 1, bpp32: 2, bpp4: 3, bpp24: 4 }, description: 'Only sizes listed under pixel formats are modelled.' }],
  },
  {
    tag: 0x180, name: 'FilterMode', role: 'filterMode', format: 'raw', description: 'Which tags and data reach the output FIFO.',
    fields: [
      { name: 'SyncTag', bits: [10, 10], role: 'syncTag', description: 'Sync writes its tag number to the output FIFO.' },
      { name: 'SyncData', bits: [11, 11], role: 'syncData', description: 'Sync writes its data word to the output FIFO.' },
    ],
  },
  zeroOnly(0x181, 'StatisticMode', 'Statistics unit.'),
  {
    tag: 0x188, name: 'Sync', role: 'sync', format: 'raw', description: 'Pipeline marker: leaves the pipeline after all earlier primitives are drawn.',
    fields: [{ name: 'InterruptEnable', bits: [31, 31], role: 'interruptEnable', description: 'Raise IntFlags.Sync when the marker arrives.' }],
  },
  stored(0x1b1, 'FBSourceDelta', 'Copy source delta.'),
  zeroOnly(0x1b2, 'Config', 'Shortcut setting several unit enables at once.'),
  zeroOnly(0x1e0, 'YUVMode', 'YUV unit.'),
  zeroOnly(0x260, 'DeltaMode', 'Triangle setup unit.'),
];

export const permedia2v: CardVariant = {
  id: 'permedia2v',
  name: '3Dlabs Permedia 2v (vgpu-lab reduced model)',
  description: 'Permedia 2 graphics processor with integrated 3Dlabs RD RAMDAC; the subset a driver needs to draw flat and Gouraud triangles and rectangles by DMA.',
  symbolPrefix: 'PM2',
  pci: { vendorId: 0x3d3d, deviceId: 0x0009, revision: 0x01, classCode: 0x038000, subsystemVendorId: 0x3d3d, subsystemId: 0x0100, interruptPin: 1 },
  bars: [
    { index: 0, size: 0x20000, kind: 'registers', prefetchable: false, description: 'Control registers, FIFO window and GP registers (little-endian view at 0, byte-swapped view at 0x10000).' },
    { index: 1, size: 0x800000, kind: 'vram', prefetchable: false, description: 'Framebuffer aperture one: all of VRAM.' },
    { index: 2, size: 0x800000, kind: 'vram-alias', prefetchable: false, description: 'Framebuffer aperture two: the same VRAM.' },
  ],
  vramBytes: 0x800000,
  fifo: { inputDepth: 256, outputDepth: 8 },
  windows: {
    fifo: { offset: 0x2000, size: 0x800, description: 'Write: tag-format words into the input FIFO (same format as DMA). Read: pop one word from the output FIFO.' },
    gp: { offset: 0x8000, size: 0x8000, stride: 8, description: 'Graphics-processor registers: a write queues (tag, value) in the input FIFO; a read returns the current value.' },
    bigEndianMirror: { offset: 0x10000, size: 0x10000, description: 'The same registers with 32-bit values byte-swapped.' },
  },
  dma: { maxCount: 0xffff, addressAlign: 4 },
  behaviour: { irqAck: 'w1c', commands: 'dma' },
  tagFormat: {
    tag: [10, 0],
    reserved: [13, 11],
    mode: [15, 14],
    count: [31, 16],
    modes: { hold: 0, increment: 1, indexed: 2 },
    indexedGroupShift: 4,
  },
  registers: [
    { name: 'ResetStatus', offset: 0x0000, access: 'RW', reset: 0, group: 'control', role: 'resetStatus', onWrite: 'softReset', description: 'Any write resets the graphics processor, FIFOs, DMA, IntFlags and ErrorFlags (instantly).', fields: [{ name: 'BeingReset', bits: [31, 31], access: 'RO', role: 'beingReset', description: '1 while a reset is in progress; always 0 on the virtual card.' }] },
    { name: 'IntEnable', offset: 0x0008, access: 'RW', reset: 0, group: 'control', role: 'intEnable', onWrite: 'interruptsChanged', description: 'Interrupt enable mask; the line is asserted while (IntFlags & IntEnable) != 0.', fields: bitFields(interrupts) },
    { name: 'IntFlags', offset: 0x0010, access: 'W1C', reset: 0, group: 'control', role: 'intFlags', onWrite: 'interruptsChanged', description: 'Pending interrupts; flags latch even when disabled. Write 1 to clear.', fields: bitFields(interrupts) },
    { name: 'InFIFOSpace', offset: 0x0018, access: 'RO', reset: 256, group: 'control', role: 'inFifoSpace', onRead: 'fifoSpace', description: 'Free input-FIFO entries.' },
    { name: 'OutFIFOWords', offset: 0x0020, access: 'RO', reset: 0, group: 'control', role: 'outFifoWords', onRead: 'outFifoCount', description: 'Words waiting in the output FIFO.' },
    { name: 'DMAAddress', offset: 0x0028, access: 'RW', reset: 0, group: 'control', role: 'dmaAddress', onWrite: 'dmaSetAddress', description: 'Bus address of the next input-DMA buffer (the dma_addr_t of a coherent buffer).', fields: [{ name: 'Address', bits: [31, 2], role: 'address', description: 'Word-aligned guest-physical byte address.' }] },
    { name: 'DMACount', offset: 0x0030, access: 'RW', reset: 0, group: 'control', role: 'dmaCount', onWrite: 'dmaStart', onRead: 'dmaRemaining', description: 'Write N (32-bit words) to start input DMA from DMAAddress; reads the words not yet fetched; 0 = idle.', fields: [{ name: 'Count', bits: [15, 0], role: 'count', description: 'Words.' }] },
    { name: 'ErrorFlags', offset: 0x0038, access: 'W1C', reset: 0, group: 'control', role: 'errorFlags', description: 'Sticky error bits; write 1 to clear. Setting any bit sets IntFlags.Error.', fields: bitFields(errors) },
    { name: 'VClkCtl', offset: 0x0040, access: 'RW', reset: 0, group: 'control', description: 'Video clock control (stored).' },
    { name: 'ApertureOne', offset: 0x0050, access: 'RW', reset: 0, group: 'control', description: 'Aperture one byte control.', fields: [{ name: 'ByteControl', bits: [1, 0], unsupported: true, description: 'Byte swapping of BAR1 (only 0 is modelled).' }] },
    { name: 'ApertureTwo', offset: 0x0058, access: 'RW', reset: 0, group: 'control', description: 'Aperture two byte control.', fields: [{ name: 'ByteControl', bits: [1, 0], unsupported: true, description: 'Byte swapping of BAR2 (only 0 is modelled).' }] },
    { name: 'DMAControl', offset: 0x0060, access: 'RW', reset: 0, group: 'control', role: 'dmaControl', description: 'Input DMA options; drivers write 0.', fields: [{ name: 'BigEndian', bits: [0, 0], unsupported: true, description: 'Big-endian DMA words.' }, { name: 'AGP', bits: [1, 1], unsupported: true, description: 'AGP DMA.' }] },
    {
      name: 'FIFODiscon', offset: 0x0068, access: 'RW', reset: 0, group: 'control', role: 'fifoDiscon', onRead: 'engineStatus', description: 'FIFO disconnect control and graphics-processor status.',
      fields: [
        { name: 'InputDisconnect', bits: [0, 0], role: 'inputDisconnect', description: 'A write to a full input FIFO waits (the model drains work) instead of being lost.' },
        { name: 'OutputDisconnect', bits: [1, 1], role: 'outputDisconnect', description: 'Stored.' },
        { name: 'GPActive', bits: [31, 31], access: 'RO', role: 'engineActive', description: '1 while the graphics processor has queued or unfinished work.' },
      ],
    },
    {
      name: 'ChipConfig', offset: 0x0070, access: 'RW', reset: 0, group: 'control', role: 'chipConfig', description: 'Chip configuration (stored; VGA is never enabled).',
      fields: [
        { name: 'BaseClassZero', bits: [0, 0], description: 'Stored.' },
        { name: 'VGAEnable', bits: [1, 1], description: 'Stored; no VGA on the virtual card.' },
        { name: 'VGAFixed', bits: [2, 2], description: 'Stored.' },
        { name: 'PCIRetryDisable', bits: [5, 5], description: 'Stored.' },
        { name: 'ShortReset', bits: [7, 7], description: 'Stored.' },
      ],
    },
    { name: 'MemControl', offset: 0x1040, access: 'RW', reset: 0, group: 'memory', description: 'Memory control (stored).' },
    { name: 'BootAddress', offset: 0x1080, access: 'RW', reset: 0, group: 'memory', description: 'Boot address (stored).' },
    {
      name: 'MemConfig', offset: 0x10c0, access: 'RW', reset: 0xe0000000, group: 'memory', role: 'memConfig', description: 'SGRAM configuration; NumberBanks gives the VRAM size.',
      fields: [
        { name: 'Timings', bits: [28, 0], description: 'SGRAM timings (stored).' },
        { name: 'NumberBanks', bits: [30, 29], access: 'RO', description: 'VRAM size = (NumberBanks + 1) x 2 MiB.' },
        { name: 'Burst', bits: [31, 31], description: 'Burst mode (stored).' },
      ],
    },
    { name: 'BypassWriteMask', offset: 0x1100, access: 'RW', reset: 0xffffffff, group: 'memory', description: 'Byte-lane mask for aperture writes (stored; apertures always write all bits).' },
    { name: 'FramebufferWriteMask', offset: 0x1140, access: 'RW', reset: 0xffffffff, group: 'memory', description: 'Byte-lane mask for GP writes (stored; use FBHardwareWriteMask).' },
    { name: 'ScreenBase', offset: 0x3000, access: 'RW', reset: 0, group: 'video', role: 'screenBase', onWrite: 'displayChanged', description: 'Start of the visible frame in VRAM, in 64-bit units.', fields: [{ name: 'Base', bits: [19, 0], description: 'Bytes / 8.' }] },
    { name: 'ScreenStride', offset: 0x3008, access: 'RW', reset: 0, group: 'video', role: 'screenStride', onWrite: 'displayChanged', description: 'Distance between displayed lines, in 64-bit units.', fields: [{ name: 'Stride', bits: [19, 0], description: 'Bytes / 8.' }] },
    { name: 'HTotal', offset: 0x3010, access: 'RW', reset: 0, group: 'video', role: 'hTotal', onWrite: 'displayChanged', description: 'Line length in 64-bit units (Data64Enable) minus 1.', fields: [{ name: 'Value', bits: [10, 0], description: 'Total - 1.' }] },
    { name: 'HgEnd', offset: 0x3018, access: 'RW', reset: 0, group: 'video', description: 'Horizontal gate end (stored; drivers write HbEnd).', fields: [{ name: 'Value', bits: [10, 0], description: 'Units.' }] },
    { name: 'HbEnd', offset: 0x3020, access: 'RW', reset: 0, group: 'video', role: 'hbEnd', onWrite: 'displayChanged', description: 'Horizontal blank length (front porch + sync + back porch).', fields: [{ name: 'Value', bits: [10, 0], description: 'Units.' }] },
    { name: 'HsStart', offset: 0x3028, access: 'RW', reset: 0, group: 'video', description: 'Horizontal sync start (stored).', fields: [{ name: 'Value', bits: [10, 0], description: 'Units.' }] },
    { name: 'HsEnd', offset: 0x3030, access: 'RW', reset: 0, group: 'video', description: 'Horizontal sync end (stored).', fields: [{ name: 'Value', bits: [10, 0], description: 'Units.' }] },
    { name: 'VTotal', offset: 0x3038, access: 'RW', reset: 0, group: 'video', role: 'vTotal', onWrite: 'displayChanged', description: 'Lines per frame minus 1.', fields: [{ name: 'Value', bits: [10, 0], description: 'Lines - 1.' }] },
    { name: 'VbEnd', offset: 0x3040, access: 'RW', reset: 0, group: 'video', role: 'vbEnd', onWrite: 'displayChanged', description: 'Vertical blank lines; lines 0 .. VbEnd-1 of a frame are blank.', fields: [{ name: 'Value', bits: [10, 0], description: 'Lines.' }] },
    { name: 'VsStart', offset: 0x3048, access: 'RW', reset: 0, group: 'video', description: 'Vertical sync start (stored).', fields: [{ name: 'Value', bits: [10, 0], description: 'Lines.' }] },
    { name: 'VsEnd', offset: 0x3050, access: 'RW', reset: 0, group: 'video', description: 'Vertical sync end (stored).', fields: [{ name: 'Value', bits: [10, 0], description: 'Lines.' }] },
    {
      name: 'VideoControl', offset: 0x3058, access: 'RW', reset: 0, group: 'video', role: 'videoControl', onWrite: 'displayChanged', description: 'Display enable and sync options.',
      fields: [
        { name: 'Enable', bits: [0, 0], role: 'videoEnable', description: 'Display on; also runs the virtual raster (VRetrace interrupt, LineCount).' },
        { name: 'BlankActiveLow', bits: [1, 1], description: 'Stored.' },
        { name: 'LineDouble', bits: [2, 2], unsupported: true, description: 'Line doubling.' },
        { name: 'HSyncCtl', bits: [4, 3], description: 'Stored.' },
        { name: 'VSyncCtl', bits: [6, 5], description: 'Stored.' },
        { name: 'Data64Enable', bits: [16, 16], role: 'data64', description: 'Horizontal timings count 64-bit units (else 32-bit).' },
      ],
    },
    { name: 'InterruptLine', offset: 0x3060, access: 'RW', reset: 0, group: 'video', description: 'Scanline for the Scanline interrupt (stored; not modelled).', fields: [{ name: 'Line', bits: [10, 0], description: 'Line.' }] },
    { name: 'LineCount', offset: 0x3070, access: 'RO', reset: 0, group: 'video', role: 'lineCount', onRead: 'rasterLine', description: 'Current raster line of the virtual 60 Hz display; 0 .. VbEnd-1 is vertical blank.', fields: [{ name: 'Line', bits: [10, 0], role: 'lineCount', description: 'Line.' }] },
    { name: 'FifoControl', offset: 0x3078, access: 'RW', reset: 0, group: 'video', description: 'Video FIFO thresholds (stored).' },
    { name: 'PaletteWriteAddress', offset: 0x4000, access: 'RW', reset: 0, group: 'ramdac', description: 'Palette index (stored; no palette model).', fields: [{ name: 'Index', bits: [7, 0], description: 'Index.' }] },
    { name: 'PaletteData', offset: 0x4008, access: 'RW', reset: 0, group: 'ramdac', description: 'Palette data (stored).', fields: [{ name: 'Data', bits: [7, 0], description: 'Data.' }] },
    { name: 'PixelMask', offset: 0x4010, access: 'RW', reset: 0xff, group: 'ramdac', description: 'Pixel read mask (stored).', fields: [{ name: 'Mask', bits: [7, 0], description: 'Mask.' }] },
    { name: 'RDIndexLow', offset: 0x4020, access: 'RW', reset: 0, group: 'ramdac', role: 'rdIndexLow', description: 'RAMDAC index register number, bits 7:0.', fields: [{ name: 'Index', bits: [7, 0], description: 'Low byte.' }] },
    { name: 'RDIndexHigh', offset: 0x4028, access: 'RW', reset: 0, group: 'ramdac', role: 'rdIndexHigh', description: 'RAMDAC index register number, bits 15:8.', fields: [{ name: 'Index', bits: [7, 0], description: 'High byte.' }] },
    { name: 'RDIndexedData', offset: 0x4030, access: 'RW', reset: 0, group: 'ramdac', role: 'rdIndexedData', onRead: 'ramdacRead', onWrite: 'ramdacWrite', description: 'Reads/writes the RAMDAC index register selected by RDIndexHigh:RDIndexLow.', fields: [{ name: 'Data', bits: [7, 0], description: 'Data.' }] },
    { name: 'RDIndexControl', offset: 0x4038, access: 'RW', reset: 0, group: 'ramdac', description: 'Index auto-increment (stored; not modelled).', fields: [{ name: 'AutoIncrement', bits: [0, 0], unsupported: true, description: 'Auto-increment.' }] },
  ],
  tags,
  interrupts,
  errors,
  pixelFormats: [
    { name: 'x8r8g8b8', bytesPerPixel: 4, readPixel: 2, dither: { colorFormat: 0, extension: 0 }, ramdac: { pixelSize: 2, colorFormat: 0x20 }, channels: { r: [23, 16], g: [15, 8], b: [7, 0] }, description: '32 bpp true colour, 0xXXRRGGBB.' },
    { name: 'r5g6b5', bytesPerPixel: 2, readPixel: 1, dither: { colorFormat: 0, extension: 1 }, ramdac: { pixelSize: 1, colorFormat: 0x70 }, channels: { r: [15, 11], g: [10, 5], b: [4, 0] }, description: '16 bpp true colour.' },
    { name: 'c8', bytesPerPixel: 1, readPixel: 0, ramdac: { pixelSize: 0, colorFormat: 0x2e }, description: '8 bpp colour index (FastFill and raw writes only; displayed as grey).' },
  ],
  ramdac: [
    { index: 0x000, name: 'MiscControl', reset: 0, description: 'DAC width and pixel-path options (stored).' },
    { index: 0x001, name: 'SyncControl', reset: 0, description: 'Sync polarity (stored).' },
    { index: 0x002, name: 'DACControl', reset: 0, description: 'DAC power (stored).' },
    { index: 0x003, name: 'PixelSize', reset: 2, role: 'pixelSize', description: 'Displayed pixel size: 0 = 8, 1 = 16, 2 = 32 bpp.' },
    { index: 0x004, name: 'ColorFormat', reset: 0x20, role: 'colorFormat', description: 'Displayed colour format: 0x20 = 8888, 0x70 = 565, 0x2E = CI8.' },
    { index: 0x200, name: 'DClkControl', reset: 0, description: 'Pixel clock control (stored).' },
    { index: 0x201, name: 'DClk0PreScale', reset: 0, description: 'Pixel clock M (stored).' },
    { index: 0x202, name: 'DClk0FeedbackScale', reset: 0, description: 'Pixel clock N (stored).' },
    { index: 0x203, name: 'DClk0PostScale', reset: 0, description: 'Pixel clock P (stored).' },
  ],
  refreshHz: 60,
};
