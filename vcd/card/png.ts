/**
 * A tiny dependency-free PNG encoder (Node and browser). By default the image data is wrapped in
 * zlib "stored" (uncompressed) deflate blocks; pass a real deflate (e.g. node:zlib deflateSync)
 * through the `deflate` argument for smaller files.
 */
import type { DisplayFormat } from './definition.ts';

/** Produces a complete zlib stream (header, deflate data, Adler-32) from bytes. */
export type ZlibDeflate = (data: Uint8Array) => Uint8Array;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return crc >>> 0;
}

function adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib stream made of stored deflate blocks (no compression). */
export function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + data.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let i = 0; i < blocks; i++) {
    const start = i * 65535;
    const len = Math.min(65535, data.length - start);
    out[o++] = i === blocks - 1 ? 1 : 0;
    out[o++] = len & 0xff;
    out[o++] = len >>> 8;
    out[o++] = ~len & 0xff;
    out[o++] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), o);
    o += len;
  }
  const ad = adler32(data);
  out[o++] = ad >>> 24;
  out[o++] = (ad >>> 16) & 0xff;
  out[o++] = (ad >>> 8) & 0xff;
  out[o++] = ad & 0xff;
  return out;
}

/** Encodes 8-bit RGBA pixels (width * height * 4 bytes) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array, deflate: ZlibDeflate = zlibStored): Uint8Array {
  const raw = new Uint8Array((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', deflate(raw)), chunk('IEND', new Uint8Array(0))];
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  const out = new Uint8Array(8 + chunks.reduce((n, c) => n + c.length, 0));
  out.set(sig, 0);
  let o = 8;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export interface FramebufferView {
  baseBytes: number;
  strideBytes: number;
  width: number;
  height: number;
  format: DisplayFormat | 'unknown';
}

/** Converts a framebuffer region of VRAM to RGBA bytes (out-of-range pixels are black). */
export function framebufferToRgba(vram: Uint8Array, v: FramebufferView): Uint8Array {
  const out = new Uint8Array(v.width * v.height * 4);
  for (let y = 0; y < v.height; y++) {
    for (let x = 0; x < v.width; x++) {
      const o = (y * v.width + x) * 4;
      let r = 0, g = 0, b = 0;
      if (v.format === 'x8r8g8b8') {
        const a = v.baseBytes + y * v.strideBytes + x * 4;
        if (a + 4 <= vram.length) {
          b = vram[a]!;
          g = vram[a + 1]!;
          r = vram[a + 2]!;
        }
      } else if (v.format === 'r5g6b5') {
        const a = v.baseBytes + y * v.strideBytes + x * 2;
        if (a + 2 <= vram.length) {
          const p = vram[a]! | (vram[a + 1]! << 8);
          r = ((p >>> 11) & 31) * 255 / 31 | 0;
          g = ((p >>> 5) & 63) * 255 / 63 | 0;
          b = (p & 31) * 255 / 31 | 0;
        }
      } else {
        const a = v.baseBytes + y * v.strideBytes + x;
        r = g = b = a < vram.length ? vram[a]! : 0;
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
  }
  return out;
}
