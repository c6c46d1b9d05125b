/** Public API of the virtual card (for the v86 adapter, the inspector and tools). */
export { Card, DEFAULT_OPTIONS, CARD_STATE_VERSION, type CardOptions, type CardCosts, type CardState } from './card.ts';
export type { CardHost } from './host.ts';
export type { DisplayInfo } from './video.ts';
export type * from './definition.ts';
export { rangeMask, rangeMaskShifted, fieldValue } from './definition.ts';
export { layoutOf, decodeTag, type Layout } from './layout.ts';
export { TraceRing, ALL_TRACE_KINDS, type TraceEvent, type TraceKind, type ProblemClass } from './trace.ts';
export { StreamBuilder, fixed16, color915, packedPP, type Vertex } from './stream.ts';
export { encodePng, framebufferToRgba, zlibStored, type ZlibDeflate, type FramebufferView } from './png.ts';
export { permedia2v } from './variants/permedia2v.ts';
export { testcard } from './variants/testcard.ts';
