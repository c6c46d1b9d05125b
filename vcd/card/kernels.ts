/**
 * Span kernels: pure functions over typed arrays, integer math only, no allocation.
 * Colours are 9.15 fixed point (int32); the 8-bit channel is clamp(c >> 15, 0, 255).
 */

/** Gouraud span: packs n pixels starting at out[off]. Channel c lands at (c8 >> cl) << cs. */
export function gouraudPack(
  out: Uint32Array, off: number, n: number,
  r: number, dr: number, g: number, dg: number, b: number, db: number,
  rl: number, rs: number, gl: number, gs: number, bl: number, bs: number, alpha: number,
): void {
  const end = off + n;
  for (let i = off; i < end; i++) {
    let rc = r >> 15;
    let gc = g >> 15;
    let bc = b >> 15;
    rc = rc < 0 ? 0 : rc > 255 ? 255 : rc;
    gc = gc < 0 ? 0 : gc > 255 ? 255 : gc;
    bc = bc < 0 ? 0 : bc > 255 ? 255 : bc;
    out[i] = alpha | ((rc >> rl) << rs) | ((gc >> gl) << gs) | ((bc >> bl) << bs);
    r = (r + dr) | 0;
    g = (g + dg) | 0;
    b = (b + db) | 0;
  }
}

/** Largest 9.15 value whose channel is 255: a span whose ends lie in [0, C255] needs no clamping (colours are linear). */
const C255 = (256 << 15) - 1;

/**
 * Gouraud span of 8-bit channels (32 bpp), the hot path: when both ends are in range, every pixel between them is,
 * and the clamps go. Same result as gouraudPack with rl = gl = bl = 0.
 */
export function gouraudPack8(
  out: Uint32Array, off: number, n: number,
  r: number, dr: number, g: number, dg: number, b: number, db: number,
  rs: number, gs: number, bs: number, alpha: number,
): void {
  const last = n - 1;
  const re = r + last * dr, ge = g + last * dg, be = b + last * db;
  if (r < 0 || r > C255 || re < 0 || re > C255 || g < 0 || g > C255 || ge < 0 || ge > C255 ||
      b < 0 || b > C255 || be < 0 || be > C255) {
    gouraudPack(out, off, n, r, dr, g, dg, b, db, 0, rs, 0, gs, 0, bs, alpha);
    return;
  }
  const end = off + n;
  for (let i = off; i < end; i++) {
    out[i] = alpha | ((r >> 15) << rs) | ((g >> 15) << gs) | ((b >> 15) << bs);
    r = (r + dr) | 0;
    g = (g + dg) | 0;
    b = (b + db) | 0;
  }
}

/** X11 raster operation of source s and destination d. */
export function logicOp(op: number, s: number, d: number): number {
  switch (op) {
    case 0: return 0;
    case 1: return s & d;
    case 2: return s & ~d;
    case 3: return s;
    case 4: return ~s & d;
    case 5: return d;
    case 6: return s ^ d;
    case 7: return s | d;
    case 8: return ~(s | d);
    case 9: return ~(s ^ d);
    case 10: return ~d;
    case 11: return s | ~d;
    case 12: return ~s;
    case 13: return ~s | d;
    case 14: return ~(s & d);
    default: return -1;
  }
}

/**
 * General write: src[0..n) are pixel values for pixels p..p+n of a `bpp`-byte framebuffer;
 * applies the raster operation and the plane mask (1 = write).
 */
export function writeSpan(
  v8: Uint8Array, v16: Uint16Array, v32: Uint32Array, bpp: number,
  p: number, n: number, src: Uint32Array, op: number, mask: number,
): void {
  const keep = ~mask;
  if (bpp === 4) {
    for (let i = 0; i < n; i++) {
      const d = v32[p + i]!;
      v32[p + i] = (d & keep) | (logicOp(op, src[i]!, d) & mask);
    }
  } else if (bpp === 2) {
    for (let i = 0; i < n; i++) {
      const d = v16[p + i]!;
      v16[p + i] = (d & keep) | (logicOp(op, src[i]!, d) & mask);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const d = v8[p + i]!;
      v8[p + i] = (d & keep) | (logicOp(op, src[i]!, d) & mask);
    }
  }
}

/** FastFill lanes: pixel p of a bpp-byte format takes its byte lane of the 32-bit block colour. */
export function blockPixels(out: Uint32Array, n: number, p: number, bpp: number, block: number): void {
  const bits = bpp * 8;
  const pixMask = bpp === 4 ? 0xffffffff : (1 << bits) - 1;
  for (let i = 0; i < n; i++) out[i] = (block >>> ((((p + i) * bpp) & 3) * 8)) & pixMask;
}
