/**
 * The types of a card variant.
 *
 * A variant is ONE typed value (see variants/permedia2v.ts). The model, the trace names, the
 * generated C header and the generated manual are all derived from it. The model never uses a
 * literal offset or tag number: it looks registers, tags and fields up by their semantic role.
 */

/** Access rule of a register or of some of its bits. */
export type Access = 'RO' | 'RW' | 'WO' | 'W1C';

/** Bit range, most significant bit first: [hi, lo]. */
export type BitRange = readonly [hi: number, lo: number];

/** Semantic roles of fields that the model reads. A role is scoped by its register or tag. */
export type FieldRole =
  | 'beingReset'
  | 'count'
  | 'inputDisconnect'
  | 'outputDisconnect'
  | 'engineActive'
  | 'videoEnable'
  | 'data64'
  | 'lineCount'
  | 'x'
  | 'y'
  | 'width'
  | 'height'
  | 'primitiveType'
  | 'fastFill'
  | 'userScissor'
  | 'screenScissor'
  | 'unitEnable'
  | 'shadeMode'
  | 'colorFormat'
  | 'colorFormatExtension'
  | 'colorOrder'
  | 'logicOp'
  | 'packedPP'
  | 'writeEnable'
  | 'pixelSize'
  | 'syncTag'
  | 'syncData'
  | 'interruptEnable'
  | 'address';

export interface FieldDef {
  readonly name: string;
  readonly bits: BitRange;
  readonly description: string;
  readonly role?: FieldRole;
  /** Overrides the register's access rule for these bits. */
  readonly access?: Access;
  /** A non-zero value is accepted but not modelled: 'unimplemented' event + Message error. */
  readonly unsupported?: boolean;
  /** Named encodings of the field. */
  readonly values?: Readonly<Record<string, number>>;
}

/** Semantic roles of control/video registers. */
export type RegisterRole =
  | 'resetStatus'
  | 'intEnable'
  | 'intFlags'
  | 'inFifoSpace'
  | 'outFifoWords'
  | 'dmaAddress'
  | 'dmaCount'
  | 'errorFlags'
  | 'dmaControl'
  | 'fifoDiscon'
  | 'chipConfig'
  | 'memConfig'
  | 'screenBase'
  | 'screenStride'
  | 'hTotal'
  | 'hbEnd'
  | 'vTotal'
  | 'vbEnd'
  | 'videoControl'
  | 'lineCount'
  | 'rdIndexLow'
  | 'rdIndexHigh'
  | 'rdIndexedData'
  | 'ringBase'
  | 'ringSize'
  | 'ringHead'
  | 'ringTail';

/** Side effects of reading a register (the stored value is replaced by the hook's result). */
export type ReadHookId =
  | 'fifoSpace'
  | 'outFifoCount'
  | 'dmaRemaining'
  | 'engineStatus'
  | 'rasterLine'
  | 'ramdacRead'
  /** Returns the stored bits and clears them (clear-on-read acknowledge). */
  | 'readClear'
  /** The ring's read pointer (words). */
  | 'ringHead';

/** Side effects of writing a register (run after the access rule updated the stored value). */
export type WriteHookId =
  | 'softReset'
  | 'interruptsChanged'
  | 'dmaSetAddress'
  | 'dmaStart'
  | 'dmaControl'
  | 'ramdacWrite'
  | 'displayChanged'
  /** RingBase / RingSize written: the ring is (re)defined, head and tail return to 0. */
  | 'ringSetup'
  /** RingTail written: the card fetches words until its head reaches the tail. */
  | 'ringTail';

export type RegisterGroup = 'control' | 'memory' | 'video' | 'ramdac';

export interface RegisterDef {
  readonly name: string;
  /** Byte offset in the register BAR. */
  readonly offset: number;
  readonly access: Access;
  readonly reset: number;
  readonly group: RegisterGroup;
  readonly description: string;
  readonly role?: RegisterRole;
  readonly onRead?: ReadHookId;
  readonly onWrite?: WriteHookId;
  /** Bits not covered by a field are reserved: writes ignored, read as 0. No fields = all 32 bits. */
  readonly fields?: readonly FieldDef[];
}

/** Graphics-processor (GP) register roles: what the interpreter does with a tag. */
export type TagRole =
  | 'startXDom'
  | 'dXDom'
  | 'startXSub'
  | 'dXSub'
  | 'startY'
  | 'dY'
  | 'count'
  | 'render'
  | 'continueNewDom'
  | 'continueNewSub'
  | 'continue'
  | 'rectangleOrigin'
  | 'rectangleSize'
  | 'scissorMode'
  | 'scissorMinXY'
  | 'scissorMaxXY'
  | 'screenSize'
  | 'windowOrigin'
  | 'rStart'
  | 'dRdx'
  | 'dRdyDom'
  | 'gStart'
  | 'dGdx'
  | 'dGdyDom'
  | 'bStart'
  | 'dBdx'
  | 'dBdyDom'
  | 'colorDDAMode'
  | 'constantColor'
  | 'color'
  | 'ditherMode'
  | 'fbSoftwareWriteMask'
  | 'logicalOpMode'
  | 'fbReadMode'
  | 'fbWindowBase'
  | 'fbWriteMode'
  | 'fbHardwareWriteMask'
  | 'fbBlockColor'
  | 'fbReadPixel'
  | 'filterMode'
  | 'sync';

/** How a value of a GP register is encoded (documentation and C helpers). */
export type ValueFormat = 'fixed16.16' | 'color9.15' | 'count12' | 'xy12' | 'mask' | 'raw';

export interface TagDef {
  readonly tag: number;
  readonly name: string;
  readonly description: string;
  readonly role?: TagRole;
  readonly format?: ValueFormat;
  /** Tags without a role are accepted as no-ops: 'zero' = only 0 is accepted, 'any' = any value. */
  readonly noop?: 'zero' | 'any';
  /** Value after reset (default 0). */
  readonly reset?: number;
  readonly fields?: readonly FieldDef[];
}

/** The tag-word ("host in") format used by the FIFO window and by DMA. */
export interface TagWordFormat {
  readonly tag: BitRange;
  /** Must be zero; otherwise the word is malformed (Message error). */
  readonly reserved: BitRange;
  readonly mode: BitRange;
  /** HOLD/INCREMENT: number of data words − 1. INDEXED: register mask. */
  readonly count: BitRange;
  readonly modes: { readonly hold: number; readonly increment: number; readonly indexed: number };
  /** INDEXED: the tag's bits above this shift select a group of 2^shift registers. */
  readonly indexedGroupShift: number;
}

export type InterruptRole = 'dma' | 'sync' | 'external' | 'error' | 'vretrace' | 'scanline';

export interface InterruptDef {
  readonly bit: number;
  readonly name: string;
  readonly role: InterruptRole;
  readonly implemented: boolean;
  readonly description: string;
}

export type ErrorRole = 'inFifo' | 'outFifo' | 'message' | 'dma' | 'master' | 'inDmaOverwrite';

export interface ErrorDef {
  readonly bit: number;
  readonly name: string;
  readonly role: ErrorRole;
  readonly description: string;
}

export type DisplayFormat = 'x8r8g8b8' | 'r5g6b5' | 'c8';

export interface PixelFormatDef {
  readonly name: DisplayFormat;
  readonly bytesPerPixel: 1 | 2 | 4;
  /** FBReadPixel encoding selecting this pixel size for the rasterizer. */
  readonly readPixel: number;
  /** DitherMode ColorFormat (+ ColorFormatExtension) that packs colours this way; absent = no packing. */
  readonly dither?: { readonly colorFormat: number; readonly extension: number };
  /** RAMDAC PixelSize + ColorFormat index-register values that display this format. */
  readonly ramdac: { readonly pixelSize: number; readonly colorFormat: number };
  /** Channel positions in the pixel with ColorOrder = 0; absent = indexed colour. */
  readonly channels?: { readonly r: BitRange; readonly g: BitRange; readonly b: BitRange };
  readonly description: string;
}

export type RamdacRole = 'pixelSize' | 'colorFormat';

export interface RamdacRegisterDef {
  readonly index: number;
  readonly name: string;
  readonly reset: number;
  readonly role?: RamdacRole;
  readonly description: string;
}

export type BarKind = 'registers' | 'vram' | 'vram-alias';

export interface BarDef {
  readonly index: number;
  readonly size: number;
  readonly kind: BarKind;
  readonly prefetchable: boolean;
  readonly description: string;
}

/** PCI identity: the bus's own type (vendor, device, class, subsystem, interrupt pin). */
export type { PciIdentity } from '../vpcib/function.ts';
import type { PciIdentity } from '../vpcib/function.ts';

/** A window in the register BAR that is not a plain register. */
export interface WindowDef {
  readonly offset: number;
  readonly size: number;
  readonly description: string;
}

/**
 * Behavioural choices: they change how a driver must be written, not only its constants.
 * - irqAck 'w1c': IntFlags and ErrorFlags bits are cleared by writing 1 to them (the Permedia's way);
 *   'read': reading IntFlags or ErrorFlags returns the pending bits and clears them.
 * - commands 'dma': one buffer at a time through DMAAddress/DMACount (the Permedia's way);
 *   'ring': a circular buffer of tag-format words at RingBase (RingSize words) that the card reads from
 *   RingHead while the driver advances RingTail.
 */
export interface Behaviour {
  readonly irqAck: 'w1c' | 'read';
  readonly commands: 'dma' | 'ring';
}

export const IRQ_ACK_CHOICES: readonly Behaviour['irqAck'][] = ['w1c', 'read'];
export const COMMAND_CHOICES: readonly Behaviour['commands'][] = ['dma', 'ring'];

/** Where a variant came from (JSON variants made by `vgpu-lab variant new`; never shown to students). */
export interface VariantOrigin {
  readonly from: string;
  readonly seed: string;
}

export interface CardVariant {
  /** Short identifier, e.g. "permedia2v"; used in saved states. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Prefix of generated C symbols, e.g. "PM2" gives PM2R_*, PM2TAG_*, PM2_INT_*. */
  readonly symbolPrefix: string;
  readonly pci: PciIdentity;
  readonly bars: readonly BarDef[];
  readonly vramBytes: number;
  readonly fifo: { readonly inputDepth: number; readonly outputDepth: number };
  /** Register-BAR windows: tag-format FIFO window, GP register window, optional big-endian mirror. */
  readonly windows: {
    readonly fifo: WindowDef;
    readonly gp: WindowDef & { readonly stride: number };
    readonly bigEndianMirror?: WindowDef;
  };
  /** Largest DMACount (dma) or RingSize (ring), in words; bus-address alignment in bytes. */
  readonly dma: { readonly maxCount: number; readonly addressAlign: number };
  readonly behaviour: Behaviour;
  readonly tagFormat: TagWordFormat;
  readonly registers: readonly RegisterDef[];
  readonly tags: readonly TagDef[];
  readonly interrupts: readonly InterruptDef[];
  readonly errors: readonly ErrorDef[];
  readonly pixelFormats: readonly PixelFormatDef[];
  readonly ramdac: readonly RamdacRegisterDef[];
  /** Virtual display refresh rate (vertical retrace frequency). */
  readonly refreshHz: number;
  readonly origin?: VariantOrigin;
}

/** Mask of a bit range, unshifted (e.g. [7:6] -> 0x3). */
export function rangeMask(r: BitRange): number {
  const width = r[0] - r[1] + 1;
  return width >= 32 ? 0xffffffff : (1 << width) - 1 >>> 0;
}

/** Mask of a bit range in place (e.g. [7:6] -> 0xC0). */
export function rangeMaskShifted(r: BitRange): number {
  return (rangeMask(r) << r[1]) >>> 0;
}

export function fieldValue(r: BitRange, word: number): number {
  return ((word >>> r[1]) & rangeMask(r)) >>> 0;
}

/** Fields of a register derived from a list of single-bit definitions (interrupts, errors). */
export function bitFields(list: readonly { bit: number; name: string; description: string }[], access?: Access): FieldDef[] {
  return list.map((d) => ({ name: d.name, bits: [d.bit, d.bit] as const, description: d.description, ...(access ? { access } : {}) }));
}
