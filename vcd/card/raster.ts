/**
 * The deterministic CPU rasterizer: trapezoids (edge DDAs in 16.16), rectangles, colour DDAs in
 * 9.15, scissor, write masks, raster ops, 8/16/32 bpp. The ONLY module that writes VRAM through
 * the graphics processor (BAR apertures write it in card.ts).
 *
 * Work is resumable at scanline granularity: a primitive that runs out of budget keeps its edge
 * and colour state in `lines > 0` and continues on the next run().
 */
import type { FieldSpec, Layout } from './layout.ts';
import type { Interrupts } from './irq.ts';
import type { TraceRing } from './trace.ts';
import type { TagRole } from './definition.ts';
import { blockPixels, gouraudPack, gouraudPack8, writeSpan } from './kernels.ts';

/** Work allowance for one advance(): simulated nanoseconds and abstract work units. */
export class Budget {
  ns = 0;
  units = 0;
}

export interface RasterCosts {
  /** Per Render / Continue command. */
  primitiveNs: number;
  /** Per scanline (or rectangle row). */
  lineNs: number;
  /** Per pixel written. */
  pixelNs: number;
}

const enum_ = { raw: 0, flat: 1, gouraud: 2, block: 3 } as const;

/** Sign-extend the 12.15-in-16.16 edge format: bits [27:0], bit 0 ignored. */
function edge(v: number): number {
  return ((v << 4) >> 4) & ~1;
}

/** Sign-extend the 9.15 colour format: bits [23:0], bits [3:0] ignored. */
function colour(v: number): number {
  return ((v << 8) >> 8) & ~0xf;
}

function sx12(v: number): number {
  return (v << 20) >> 20;
}

function get(word: number, f: FieldSpec): number {
  return (word >>> f.shift) & f.mask;
}

export interface RasterState {
  /** Scanlines left. */
  lines: number;
  /** Edge DDAs, 16.16. */
  xDom: number; xSub: number; dXDom: number; dXSub: number; y: number; dY: number;
  /** Colour on the dominant edge, 9.15. */
  rDom: number; gDom: number; bDom: number;
  /** Render word of the running primitive (FastFill etc.). */
  command: number;
}

interface FormatSpec {
  readPixel: number;
  bpp: number;
  /** DitherMode ColorFormat | extension << 8 that packs this format, -1 = none. */
  dither: number;
  /** [right shift of the 8-bit channel, position] per channel; empty = indexed. */
  r: number[];
  g: number[];
  b: number[];
}

export class Rasterizer {
  readonly v8: Uint8Array;
  readonly v16: Uint16Array;
  readonly v32: Uint32Array;
  private readonly scratch = new Uint32Array(4096);
  private readonly T: Readonly<Record<TagRole, number>>;
  private readonly F: ReturnType<typeof resolveFields>;
  private readonly primTrapezoid: number;
  private readonly primRectangle: number;
  private readonly shadeGouraud: number;
  private readonly formats: readonly FormatSpec[];

  /** Pixels written since construction (statistics). */
  pixelsDrawn = 0;
  /** Primitives started since construction (statistics). */
  primitives = 0;

  /** The running primitive (plain record: saved and loaded as it is). */
  private st: RasterState = { lines: 0, xDom: 0, xSub: 0, dXDom: 0, dXSub: 0, y: 0, dY: 0, rDom: 0, gDom: 0, bDom: 0, command: 0 };

  /** Scanlines still to draw for the running primitive (0 = idle). */
  get lines(): number {
    return this.st.lines;
  }

  /** A pixel-path register changed since the last snapshot. */
  dirty = true;
  private readonly formatOf: (FormatSpec | undefined)[] = [];
  private readonly countField: Record<'continueNewDom' | 'continueNewSub' | 'continue', FieldSpec>;

  // Pixel path, snapshotted at Render / Continue*.
  private bpp = 0;
  private pitch = 0;
  private base = 0;
  private pixels = 0;
  private clipX0 = 0;
  private clipX1 = 0;
  private clipY0 = 0;
  private clipY1 = 0;
  private write = false;
  private mode: number = enum_.raw;
  private pix = 0;
  private block = 0;
  private mask = 0;
  private op = 3;
  private fast = false;
  private rl = 0; private rs = 0; private gl = 0; private gs = 0; private bl = 0; private bs = 0;
  /** Every channel keeps 8 bits (rl = gl = bl = 0): Gouraud spans may take the clamp-free kernel. */
  private channels8 = false;
  private alpha = 0;
  private dRdx = 0; private dGdx = 0; private dBdx = 0;
  private dRdy = 0; private dGdy = 0; private dBdy = 0;

  constructor(
    private readonly layout: Layout,
    readonly vram: Uint8Array,
    private readonly gp: Uint32Array,
    private readonly irq: Interrupts,
    private readonly trace: TraceRing,
    private readonly costs: RasterCosts,
  ) {
    this.v8 = vram;
    this.v16 = new Uint16Array(vram.buffer, vram.byteOffset, vram.byteLength >> 1);
    this.v32 = new Uint32Array(vram.buffer, vram.byteOffset, vram.byteLength >> 2);
    const T = {} as Record<TagRole, number>;
    for (const t of layout.variant.tags) if (t.role) T[t.role] = t.tag;
    this.T = T;
    this.F = resolveFields(layout);
    this.primTrapezoid = layout.tagFieldValue('render', 'primitiveType', 'trapezoid');
    this.primRectangle = layout.tagFieldValue('render', 'primitiveType', 'rectangle');
    this.shadeGouraud = layout.tagFieldValue('colorDDAMode', 'shadeMode', 'gouraud');
    this.formats = layout.variant.pixelFormats.map((f) => ({
      readPixel: f.readPixel,
      bpp: f.bytesPerPixel,
      dither: f.dither ? f.dither.colorFormat | (f.dither.extension << 8) : -1,
      r: f.channels ? [8 - (f.channels.r[0] - f.channels.r[1] + 1), f.channels.r[1]] : [],
      g: f.channels ? [8 - (f.channels.g[0] - f.channels.g[1] + 1), f.channels.g[1]] : [],
      b: f.channels ? [8 - (f.channels.b[0] - f.channels.b[1] + 1), f.channels.b[1]] : [],
    }));
    for (const f of this.formats) this.formatOf[f.readPixel] = f;
    this.countField = {
      continueNewDom: layout.tagField('continueNewDom', 'count'),
      continueNewSub: layout.tagField('continueNewSub', 'count'),
      continue: layout.tagField('continue', 'count'),
    };
  }

  /** Render command: start a trapezoid or rectangle. */
  render(cmd: number, b: Budget): void {
    const gp = this.gp, T = this.T, F = this.F;
    this.st.command = cmd;
    this.primitives++;
    b.ns -= this.costs.primitiveNs;
    const prim = get(cmd, F.primitiveType);
    if (prim === this.primTrapezoid) {
      this.st.xDom = edge(gp[T.startXDom]!);
      this.st.xSub = edge(gp[T.startXSub]!);
      this.st.dXDom = edge(gp[T.dXDom]!);
      this.st.dXSub = edge(gp[T.dXSub]!);
      this.st.y = edge(gp[T.startY]!);
      this.st.dY = edge(gp[T.dY]!);
      this.st.lines = get(gp[T.count]!, F.count);
    } else if (prim === this.primRectangle) {
      const o = gp[T.rectangleOrigin]!, s = gp[T.rectangleSize]!;
      const x = sx12(get(o, F.rectX)), y = sx12(get(o, F.rectY));
      this.st.xDom = x << 16;
      this.st.xSub = (x + get(s, F.rectW)) << 16;
      this.st.dXDom = 0;
      this.st.dXSub = 0;
      this.st.y = y << 16;
      this.st.dY = 1 << 16;
      this.st.lines = get(s, F.rectH);
    } else {
      this.st.lines = 0;
      this.irq.error('message', 'unimplemented', this.layout.tagName(T.render), cmd, `Render primitive type ${prim} (line/point) is not modelled; use trapezoids or rectangles.`);
      return;
    }
    this.st.rDom = colour(gp[T.rStart]!);
    this.st.gDom = colour(gp[T.gStart]!);
    this.st.bDom = colour(gp[T.bStart]!);
    if (this.trace.wants('render')) this.trace.push({ kind: 'render', primitive: prim === this.primRectangle ? 'rectangle' : 'trapezoid', command: cmd, lines: this.st.lines });
    this.setup();
    this.run(b);
  }

  /** ContinueNewDom / ContinueNewSub / Continue: draw more scanlines from the running state. */
  continueWith(reloadDom: boolean, reloadSub: boolean, role: 'continueNewDom' | 'continueNewSub' | 'continue', data: number, b: Budget): void {
    const gp = this.gp, T = this.T;
    b.ns -= this.costs.primitiveNs;
    if (reloadDom) {
      this.st.xDom = edge(gp[T.startXDom]!);
      this.st.dXDom = edge(gp[T.dXDom]!);
    }
    if (reloadSub) {
      this.st.xSub = edge(gp[T.startXSub]!);
      this.st.dXSub = edge(gp[T.dXSub]!);
    }
    this.st.lines = get(data, this.countField[role]);
    if (this.trace.wants('render')) this.trace.push({ kind: 'render', primitive: 'continue', command: data, lines: this.st.lines });
    this.setup();
    this.run(b);
  }

  /** Snapshot the pixel path: fully when a pixel-path register or the FastFill bit changed. */
  private setup(): void {
    const fast = get(this.st.command, this.F.fastFill);
    if (this.dirty || fast !== this.lastFastFill || this.bpp === 0) {
      this.lastFastFill = fast;
      this.fullSetup();
    }
    if (this.mode === enum_.gouraud) {
      const gp = this.gp, T = this.T;
      this.dRdx = colour(gp[T.dRdx]!); this.dGdx = colour(gp[T.dGdx]!); this.dBdx = colour(gp[T.dBdx]!);
      this.dRdy = colour(gp[T.dRdyDom]!); this.dGdy = colour(gp[T.dGdyDom]!); this.dBdy = colour(gp[T.dBdyDom]!);
    }
  }

  private lastFastFill = -1;

  private fullSetup(): void {
    const gp = this.gp, T = this.T, F = this.F;
    this.dirty = false;
    const rp = get(gp[T.fbReadPixel]!, F.pixelSize);
    const fmt = this.formatOf[rp];
    if (!fmt) {
      this.irq.error('message', 'unimplemented', this.layout.tagName(T.fbReadPixel), gp[T.fbReadPixel]!, `FBReadPixel pixel size ${rp} is not modelled; the primitive is dropped. Supported: ${this.layout.variant.pixelFormats.map((f) => `${f.readPixel} (${f.name})`).join(', ')}.`);
      this.st.lines = 0;
      this.bpp = 0;
      return;
    }
    const bpp = fmt.bpp;
    this.bpp = bpp;
    const pp = get(gp[T.fbReadMode]!, F.packedPP);
    let pitch = 0;
    for (let i = 0; i < 3; i++) {
      const code = (pp >>> (3 * i)) & 7;
      if (code) pitch += 1 << (code + 4);
    }
    this.pitch = pitch;
    this.base = get(gp[T.fbWindowBase]!, F.windowBase);
    this.pixels = Math.floor(this.vram.byteLength / bpp);
    let x0 = -2048, x1 = 2048, y0 = -2048, y1 = 2048;
    const sm = gp[T.scissorMode]!;
    if (get(sm, F.userScissor)) {
      const mn = gp[T.scissorMinXY]!, mx = gp[T.scissorMaxXY]!;
      x0 = Math.max(x0, sx12(get(mn, F.minX)));
      y0 = Math.max(y0, sx12(get(mn, F.minY)));
      x1 = Math.min(x1, sx12(get(mx, F.maxX)));
      y1 = Math.min(y1, sx12(get(mx, F.maxY)));
    }
    if (get(sm, F.screenScissor)) {
      const ss = gp[T.screenSize]!;
      x0 = Math.max(x0, 0);
      y0 = Math.max(y0, 0);
      x1 = Math.min(x1, get(ss, F.screenW));
      y1 = Math.min(y1, get(ss, F.screenH));
    }
    this.clipX0 = x0; this.clipX1 = x1; this.clipY0 = y0; this.clipY1 = y1;
    this.write = get(gp[T.fbWriteMode]!, F.writeEnable) !== 0;
    if (!this.write && this.st.lines > 0) {
      this.irq.notice('guest-error', this.layout.tagName(T.fbWriteMode), gp[T.fbWriteMode]!, 'Primitive drawn with FBWriteMode.WriteEnable = 0: nothing reaches VRAM. Set FBWriteMode to 1 during initialisation.');
    }
    const pixMask = bpp === 4 ? 0xffffffff : (1 << (bpp * 8)) - 1;
    this.mask = (gp[T.fbSoftwareWriteMask]! & gp[T.fbHardwareWriteMask]! & pixMask) >>> 0;
    const lo = gp[T.logicalOpMode]!;
    this.op = get(lo, F.logicEnable) ? get(lo, F.logicOp) : 3;
    this.fast = bpp === 4 && this.op === 3 && this.mask === 0xffffffff;

    // Colour source and packing.
    const dm = gp[T.ditherMode]!;
    let packed = false;
    if (get(dm, F.ditherEnable)) {
      const want = get(dm, F.colorFormat) | (get(dm, F.colorFormatExt) << 8);
      if (want === fmt.dither && fmt.r.length) {
        packed = true;
        const swap = get(dm, F.colorOrder) !== 0;
        const r = swap ? fmt.b : fmt.r, bl = swap ? fmt.r : fmt.b;
        this.rl = r[0]!; this.rs = r[1]!; this.gl = fmt.g[0]!; this.gs = fmt.g[1]!; this.bl = bl[0]!; this.bs = bl[1]!;
      } else {
        this.irq.error('message', 'unimplemented', this.layout.tagName(T.ditherMode), dm, `DitherMode colour format ${want & 0xff}${want >> 8 ? ' (extended)' : ''} does not match the ${bpp * 8} bpp FBReadPixel format; colours are written raw.`);
      }
    }
    if (!packed) {
      this.rl = 0; this.rs = 0; this.gl = 0; this.gs = 8; this.bl = 0; this.bs = 16;
    }
    this.channels8 = this.rl === 0 && this.gl === 0 && this.bl === 0;
    const withAlpha = bpp === 4;
    const cdm = gp[T.colorDDAMode]!;
    if (get(this.st.command, F.fastFill)) {
      this.mode = enum_.block;
      this.block = gp[T.fbBlockColor]!;
    } else if (!get(cdm, F.ddaEnable)) {
      this.mode = enum_.raw;
      this.pix = this.pack(gp[T.color]!, withAlpha) & pixMask;
    } else if (get(cdm, F.shadeMode) === this.shadeGouraud) {
      this.mode = enum_.gouraud;
      this.alpha = withAlpha ? 0xff000000 | 0 : 0;
    } else {
      this.mode = enum_.flat;
      this.pix = this.pack(gp[T.constantColor]!, withAlpha) & pixMask;
    }
  }

  /** Packs an RGBA colour word (R in bits 7:0) with the current channel layout. */
  private pack(c: number, withAlpha: boolean): number {
    const r = c & 0xff, g = (c >>> 8) & 0xff, b = (c >>> 16) & 0xff;
    const a = withAlpha ? (c >>> 24) << 24 : 0;
    return (a | ((r >> this.rl) << this.rs) | ((g >> this.gl) << this.gs) | ((b >> this.bl) << this.bs)) >>> 0;
  }

  /** Draws scanlines of the running primitive until it ends or the budget runs out. */
  run(b: Budget): void {
    const st = this.st;
    let lines = st.lines;
    if (lines <= 0) return;
    let xDom = st.xDom, xSub = st.xSub, y = st.y;
    let rDom = st.rDom, gDom = st.gDom, bDom = st.bDom;
    const dXDom = st.dXDom, dXSub = st.dXSub, dY = st.dY;
    const dRdy = this.dRdy, dGdy = this.dGdy, dBdy = this.dBdy;
    const lineNs = this.costs.lineNs, pixelNs = this.costs.pixelNs;
    const cx0 = this.clipX0, cx1 = this.clipX1, cy0 = this.clipY0, cy1 = this.clipY1;
    const base = this.base, pitch = this.pitch, pixels = this.pixels, write = this.write;
    let ns = b.ns, units = b.units;
    while (lines > 0 && ns > 0 && units > 0) {
      const yi = y >> 16;
      const xd = xDom >> 16, xs = xSub >> 16;
      let n = 0;
      if (write && yi >= cy0 && yi < cy1) {
        const row = base + yi * pitch;
        let lo = xd < xs ? xd : xs;
        let hi = xd < xs ? xs : xd;
        if (lo < cx0) lo = cx0;
        if (lo < -row) lo = -row;
        if (hi > cx1) hi = cx1;
        if (hi > pixels - row) hi = pixels - row;
        if (hi > lo) {
          n = hi - lo;
          this.span(row + lo, n, lo - xd, rDom, gDom, bDom);
          this.pixelsDrawn += n;
        }
      }
      units -= n + 1;
      ns -= n * pixelNs + lineNs;
      xDom = (xDom + dXDom) | 0;
      xSub = (xSub + dXSub) | 0;
      y = (y + dY) | 0;
      rDom = (rDom + dRdy) | 0;
      gDom = (gDom + dGdy) | 0;
      bDom = (bDom + dBdy) | 0;
      lines--;
    }
    b.ns = ns;
    b.units = units;
    st.lines = lines;
    st.xDom = xDom; st.xSub = xSub; st.y = y;
    st.rDom = rDom; st.gDom = gDom; st.bDom = bDom;
  }

  /** One clipped span of n pixels at framebuffer pixel p; dx = first pixel x - floor(xDom). */
  private span(p: number, n: number, dx: number, r: number, g: number, b: number): void {
    const mode = this.mode;
    if (this.fast) {
      if (mode === enum_.gouraud && this.channels8) {
        gouraudPack8(this.v32, p, n, (r + Math.imul(dx, this.dRdx)) | 0, this.dRdx, (g + Math.imul(dx, this.dGdx)) | 0, this.dGdx, (b + Math.imul(dx, this.dBdx)) | 0, this.dBdx,
          this.rs, this.gs, this.bs, this.alpha);
      } else if (mode === enum_.gouraud) {
        gouraudPack(this.v32, p, n, (r + Math.imul(dx, this.dRdx)) | 0, this.dRdx, (g + Math.imul(dx, this.dGdx)) | 0, this.dGdx, (b + Math.imul(dx, this.dBdx)) | 0, this.dBdx,
          this.rl, this.rs, this.gl, this.gs, this.bl, this.bs, this.alpha);
      } else {
        this.v32.fill(mode === enum_.block ? this.block : this.pix, p, p + n);
      }
      return;
    }
    const src = this.scratch;
    if (mode === enum_.gouraud) {
      gouraudPack(src, 0, n, (r + Math.imul(dx, this.dRdx)) | 0, this.dRdx, (g + Math.imul(dx, this.dGdx)) | 0, this.dGdx, (b + Math.imul(dx, this.dBdx)) | 0, this.dBdx,
        this.rl, this.rs, this.gl, this.gs, this.bl, this.bs, this.alpha);
    } else if (mode === enum_.block) {
      blockPixels(src, n, p, this.bpp, this.block);
    } else {
      src.fill(this.pix, 0, n);
    }
    writeSpan(this.v8, this.v16, this.v32, this.bpp, p, n, src, this.op, this.mask);
  }

  abort(): void {
    this.st.lines = 0;
    this.dirty = true;
  }

  save(): RasterState {
    return { ...this.st };
  }

  load(s: RasterState): void {
    this.st = { ...s };
    this.dirty = true;
    if (s.lines > 0) {
      this.setup();
      this.st.lines = s.lines;
    }
  }
}

function resolveFields(l: Layout) {
  return {
    primitiveType: l.tagField('render', 'primitiveType'),
    fastFill: l.tagField('render', 'fastFill'),
    count: l.tagField('count', 'count'),
    rectX: l.tagField('rectangleOrigin', 'x'),
    rectY: l.tagField('rectangleOrigin', 'y'),
    rectW: l.tagField('rectangleSize', 'width'),
    rectH: l.tagField('rectangleSize', 'height'),
    userScissor: l.tagField('scissorMode', 'userScissor'),
    screenScissor: l.tagField('scissorMode', 'screenScissor'),
    minX: l.tagField('scissorMinXY', 'x'),
    minY: l.tagField('scissorMinXY', 'y'),
    maxX: l.tagField('scissorMaxXY', 'x'),
    maxY: l.tagField('scissorMaxXY', 'y'),
    screenW: l.tagField('screenSize', 'width'),
    screenH: l.tagField('screenSize', 'height'),
    ddaEnable: l.tagField('colorDDAMode', 'unitEnable'),
    shadeMode: l.tagField('colorDDAMode', 'shadeMode'),
    ditherEnable: l.tagField('ditherMode', 'unitEnable'),
    colorFormat: l.tagField('ditherMode', 'colorFormat'),
    colorFormatExt: l.tagField('ditherMode', 'colorFormatExtension'),
    colorOrder: l.tagField('ditherMode', 'colorOrder'),
    logicEnable: l.tagField('logicalOpMode', 'unitEnable'),
    logicOp: l.tagField('logicalOpMode', 'logicOp'),
    packedPP: l.tagField('fbReadMode', 'packedPP'),
    windowBase: l.tagField('fbWindowBase', 'address'),
    writeEnable: l.tagField('fbWriteMode', 'writeEnable'),
    pixelSize: l.tagField('fbReadPixel', 'pixelSize'),
  };
}
