/**
 * Card benchmark: interpreter throughput, rasterizer fill rates and MMIO cost, measured with
 * performance.now() in Node or the browser.
 */
import { Card } from './card.ts';
import type { CardHost } from './host.ts';
import { layoutOf } from './layout.ts';
import { StreamBuilder, type Vertex } from './stream.ts';
import { permedia2v } from './variants/permedia2v.ts';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note: string;
}

const RAM_BYTES = 4 << 20;
const BUF = 0x10000;

function rig(): { card: Card; ram: Uint8Array; sb: StreamBuilder } {
  const ram = new Uint8Array(RAM_BYTES);
  const host: CardHost = { guestRam: () => ram, setIrqLevel: () => {} };
  const card = new Card(permedia2v, host, { burst: true, maxWorkPerAdvance: 1 << 30 });
  return { card, ram, sb: new StreamBuilder(permedia2v) };
}

/** DMA `words` repeatedly for about `ms` milliseconds; returns [seconds, repetitions]. */
function pump(card: Card, ram: Uint8Array, words: Uint32Array, ms: number): [number, number] {
  const l = layoutOf(card.variant);
  new Uint32Array(ram.buffer, BUF, words.length).set(words);
  const addr = l.reg('dmaAddress').def.offset, count = l.reg('dmaCount').def.offset;
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    card.mmioWrite32(0, addr, BUF);
    card.mmioWrite32(0, count, words.length);
    while (card.busy) card.advance(1e9);
    reps++;
    if ((reps & 7) === 0) t = performance.now();
  }
  return [(performance.now() - t0) / 1000, reps];
}

/** Triangles of a given height (dominant edge to the opposite vertex) scattered over 1024x768. */
function triangles(sb: StreamBuilder, height: number, n: number, gouraud: boolean, seed = 1): void {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    const x = 20 + rnd() * (1000 - 2 * height), y = Math.floor(rnd() * (760 - height));
    const a: Vertex = { x, y, r: 255, g: 0, b: 0 };
    const b: Vertex = { x: x + height, y: y + Math.floor(height / 2), r: 0, g: 255, b: 0 };
    const c: Vertex = { x: x + height * 0.3, y: y + height, r: 0, g: 0, b: 255 };
    if (gouraud) sb.gouraudTriangle(a, b, c);
    else sb.flatTriangle(a, b, c, 0x00ff8040);
  }
}

export async function benchCard(ms = 400): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];

  {
    const { card, ram, sb } = rig();
    sb.setupFramebuffer({ readPixel: 2, pitch: 1024 });
    triangles(sb, 3, 1200, true);
    const words = sb.words();
    pump(card, ram, words, 50);
    const w0 = card.stats.dmaWords;
    const [sec] = pump(card, ram, words, ms);
    rows.push({ name: 'tag words through DMA + interpreter', value: (card.stats.dmaWords - w0) / sec / 1e6, unit: 'M words/s', note: 'Gouraud triangle setup streams (about 64 words per triangle), 3-pixel triangles so the interpreter dominates' });
  }

  for (const gouraud of [true, false]) {
    let pixels = 0, secs = 0, tris = 0;
    for (const height of [20, 40, 60, 80, 100]) {
      const { card, ram, sb } = rig();
      sb.setupFramebuffer({ readPixel: 2, pitch: 1024 });
      triangles(sb, height, 200, gouraud);
      const words = sb.words();
      pump(card, ram, words, 20);
      const p0 = card.stats.pixels, t0 = card.stats.primitives;
      const [sec] = pump(card, ram, words, ms / 5);
      pixels += card.stats.pixels - p0;
      tris += card.stats.primitives - t0;
      secs += sec;
    }
    rows.push({ name: `${gouraud ? 'Gouraud' : 'flat'} pixels through the rasterizer`, value: pixels / secs / 1e6, unit: 'M pixels/s', note: `32 bpp triangles of height 20..100 (paper, table 1), DMA included; ${(tris / secs / 1e3).toFixed(0)} k triangles/s` });
  }

  for (const trace of [true, false]) {
    const { card } = rig();
    if (!trace) {
      card.trace.setEnabled('mmio-read', false);
      card.trace.setEnabled('mmio-write', false);
    }
    const off = layoutOf(card.variant).reg('screenBase').def.offset;
    const n = 200_000;
    let x = 0;
    for (let i = 0; i < 10_000; i++) card.mmioWrite32(0, off, i), (x ^= card.mmioRead32(0, off));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      card.mmioWrite32(0, off, i);
      x ^= card.mmioRead32(0, off);
    }
    const ns = ((performance.now() - t0) * 1e6) / n;
    rows.push({ name: `MMIO write+read round trip (trace ${trace ? 'on' : 'off'})`, value: ns, unit: 'ns', note: `ScreenBase register${x === -1 ? '' : ''}` });
  }
  return rows;
}
