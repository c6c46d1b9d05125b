/**
 * Command-stream builder: encodes tag-format words for a variant by role, plus the triangle and
 * rectangle setup a driver performs. Used by tests, the benchmark and the manual's example.
 */
import { rangeMask, type CardVariant, type FieldRole, type TagRole } from './definition.ts';
import { layoutOf, type Layout } from './layout.ts';

/** Real number -> 16.16 edge format. */
export function fixed16(v: number): number {
  return Math.round(v * 65536) | 0;
}

/** Real number (colour 0..255) -> 9.15 colour format (24 bits). */
export function color915(c: number): number {
  return (Math.round(c * 32768) & 0xffffff) >>> 0;
}

/** FBReadMode PackedPP encoding for a pitch in pixels, or -1 if the pitch has none. */
export function packedPP(pitch: number): number {
  for (let a = 0; a < 8; a++)
    for (let b = 0; b < 8; b++)
      for (let c = 0; c < 8; c++) {
        const p = (a ? 1 << (a + 4) : 0) + (b ? 1 << (b + 4) : 0) + (c ? 1 << (c + 4) : 0);
        if (p === pitch) return a | (b << 3) | (c << 6);
      }
  return -1;
}

export interface Vertex {
  x: number;
  y: number;
  r: number;
  g: number;
  b: number;
}

export class StreamBuilder {
  readonly layout: Layout;
  private buf = new Uint32Array(256);
  length = 0;

  constructor(readonly variant: CardVariant) {
    this.layout = layoutOf(variant);
  }

  tag(role: TagRole): number {
    return this.layout.tag(role);
  }

  /** A tag-format header word. */
  header(tag: number, mode: 'hold' | 'increment' | 'indexed', countOrMask: number): number {
    const f = this.variant.tagFormat;
    return (((tag & rangeMask(f.tag)) << f.tag[1]) | ((f.modes[mode] & rangeMask(f.mode)) << f.mode[1]) | ((countOrMask & rangeMask(f.count)) << f.count[1])) >>> 0;
  }

  /** Field values -> register word, by field role. */
  word(role: TagRole, fields: Partial<Record<FieldRole, number>>): number {
    let w = 0;
    for (const [fr, v] of Object.entries(fields) as [FieldRole, number][]) {
      const f = this.layout.tagField(role, fr);
      w |= (v & f.mask) << f.shift;
    }
    return w >>> 0;
  }

  /** Named enumeration value of a field. */
  value(role: TagRole, field: FieldRole, name: string): number {
    return this.layout.tagFieldValue(role, field, name);
  }

  raw(word: number): this {
    if (this.length === this.buf.length) {
      const n = new Uint32Array(this.buf.length * 2);
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.length++] = word >>> 0;
    return this;
  }

  /** One (tag, data) pair: HOLD header with count 1. */
  pair(role: TagRole, value: number): this {
    return this.raw(this.header(this.tag(role), 'hold', 0)).raw(value);
  }

  hold(role: TagRole, values: readonly number[]): this {
    this.raw(this.header(this.tag(role), 'hold', values.length - 1));
    for (const v of values) this.raw(v);
    return this;
  }

  increment(tag: number, values: readonly number[]): this {
    this.raw(this.header(tag, 'increment', values.length - 1));
    for (const v of values) this.raw(v);
    return this;
  }

  /** INDEXED: tags must share a group; values in ascending tag order. */
  indexed(tags: readonly number[], values: readonly number[]): this {
    const shift = this.variant.tagFormat.indexedGroupShift;
    let mask = 0;
    for (const t of tags) mask |= 1 << (t & ((1 << shift) - 1));
    this.raw(this.header(tags[0]!, 'indexed', mask));
    for (const v of values) this.raw(v);
    return this;
  }

  /** Typical initialisation of the pixel path for a pixel format (by FBReadPixel code). */
  setupFramebuffer(opts: { readPixel: number; pitch: number; windowBase?: number }): this {
    const fmt = this.variant.pixelFormats.find((f) => f.readPixel === opts.readPixel);
    if (!fmt) throw new Error(`no pixel format with readPixel ${opts.readPixel}`);
    this.pair('fbReadPixel', this.word('fbReadPixel', { pixelSize: opts.readPixel }));
    this.pair('fbReadMode', this.word('fbReadMode', { packedPP: packedPP(opts.pitch) }));
    this.pair('fbWindowBase', opts.windowBase ?? 0);
    this.pair('fbWriteMode', this.word('fbWriteMode', { writeEnable: 1 }));
    this.pair('logicalOpMode', 0);
    this.pair('scissorMode', 0);
    this.pair('fbSoftwareWriteMask', 0xffffffff);
    this.pair('fbHardwareWriteMask', 0xffffffff);
    if (fmt.dither) {
      this.pair('ditherMode', this.word('ditherMode', { unitEnable: 1, colorFormat: fmt.dither.colorFormat, colorFormatExtension: fmt.dither.extension }));
    } else this.pair('ditherMode', 0);
    this.pair('dY', fixed16(1));
    return this;
  }

  /** Gouraud-shaded triangle in two trapezoids (dominant edge = the one spanning all of Y). */
  gouraudTriangle(a: Vertex, b: Vertex, c: Vertex): this {
    const [v1, v2, v3] = [a, b, c].sort((p, q) => p.y - q.y) as [Vertex, Vertex, Vertex];
    if (v3.y === v1.y) return this;
    const area = (v1.x - v3.x) * (v2.y - v3.y) - (v2.x - v3.x) * (v1.y - v3.y);
    const ddx = (k: 'r' | 'g' | 'b') => (area === 0 ? 0 : ((v1[k] - v3[k]) * (v2.y - v3.y) - (v2[k] - v3[k]) * (v1.y - v3.y)) / area);
    const ddy = (k: 'r' | 'g' | 'b') => (v3[k] - v1[k]) / (v3.y - v1.y);
    this.pair('colorDDAMode', this.word('colorDDAMode', { unitEnable: 1, shadeMode: this.value('colorDDAMode', 'shadeMode', 'gouraud') }));
    this.pair('rStart', color915(v1.r)).pair('dRdx', color915(ddx('r'))).pair('dRdyDom', color915(ddy('r')));
    this.pair('gStart', color915(v1.g)).pair('dGdx', color915(ddx('g'))).pair('dGdyDom', color915(ddy('g')));
    this.pair('bStart', color915(v1.b)).pair('dBdx', color915(ddx('b'))).pair('dBdyDom', color915(ddy('b')));
    return this.edges(v1, v2, v3);
  }

  /** Flat triangle with ConstantColor (R in bits 7:0). */
  flatTriangle(a: Vertex, b: Vertex, c: Vertex, rgba: number): this {
    const [v1, v2, v3] = [a, b, c].sort((p, q) => p.y - q.y) as [Vertex, Vertex, Vertex];
    if (v3.y === v1.y) return this;
    this.pair('colorDDAMode', this.word('colorDDAMode', { unitEnable: 1, shadeMode: this.value('colorDDAMode', 'shadeMode', 'flat') }));
    this.pair('constantColor', rgba);
    return this.edges(v1, v2, v3);
  }

  private edges(v1: Vertex, v2: Vertex, v3: Vertex): this {
    this.pair('startXDom', fixed16(v1.x)).pair('dXDom', fixed16((v3.x - v1.x) / (v3.y - v1.y)));
    this.pair('startXSub', fixed16(v1.x)).pair('dXSub', fixed16(v2.y === v1.y ? 0 : (v2.x - v1.x) / (v2.y - v1.y)));
    this.pair('startY', fixed16(v1.y)).pair('dY', fixed16(1));
    this.pair('count', Math.round(v2.y - v1.y));
    this.pair('render', this.word('render', { primitiveType: this.value('render', 'primitiveType', 'trapezoid') }));
    if (v3.y > v2.y) {
      this.pair('startXSub', fixed16(v2.x)).pair('dXSub', fixed16((v3.x - v2.x) / (v3.y - v2.y)));
      this.pair('continueNewSub', Math.round(v3.y - v2.y));
    }
    return this;
  }

  /** Rectangle; fastFill uses FBBlockColor (a raw pixel value, replicated to 32 bits). */
  rectangle(x: number, y: number, w: number, h: number, opts: { fastFill?: number; color?: number } = {}): this {
    if (opts.color !== undefined) {
      this.pair('colorDDAMode', this.word('colorDDAMode', { unitEnable: 1, shadeMode: this.value('colorDDAMode', 'shadeMode', 'flat') }));
      this.pair('constantColor', opts.color);
    }
    if (opts.fastFill !== undefined) this.pair('fbBlockColor', opts.fastFill);
    this.pair('rectangleOrigin', this.word('rectangleOrigin', { x, y }));
    this.pair('rectangleSize', this.word('rectangleSize', { width: w, height: h }));
    const fast = opts.fastFill !== undefined ? this.word('render', { fastFill: 1 }) : 0;
    return this.pair('render', this.word('render', { primitiveType: this.value('render', 'primitiveType', 'rectangle') }) | fast);
  }

  /** Sync with InterruptEnable. */
  sync(interrupt: boolean): this {
    return this.pair('sync', interrupt ? this.word('sync', { interruptEnable: 1 }) : 0);
  }

  words(): Uint32Array {
    return this.buf.slice(0, this.length);
  }

  clear(): this {
    this.length = 0;
    return this;
  }
}
