/** Display description from video timing + RAMDAC, and the PNG encoder. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { encodePng, framebufferToRgba } from './png.ts';
import { Rig, VARIANTS } from './test-helpers.ts';

function ramdac(rig: Rig, index: number, value?: number): number {
  rig.write('rdIndexLow', index & 0xff);
  rig.write('rdIndexHigh', index >> 8);
  if (value !== undefined) rig.write('rdIndexedData', value);
  return rig.read('rdIndexedData');
}

for (const variant of VARIANTS) {
  describe(`display (${variant.id})`, () => {
    it('640x480 at 32 bpp from the timing registers, then 565 from the RAMDAC', () => {
      const rig = new Rig(variant);
      assert.equal(rig.card.display().enabled, false, 'off after reset');
      rig.write('hTotal', 399);
      rig.write('hbEnd', 80);
      rig.write('vTotal', 524);
      rig.write('vbEnd', 45);
      rig.write('screenStride', 320);
      rig.write('screenBase', 0x100);
      rig.write('videoControl', 1 | (1 << 16));
      const fmt32 = variant.pixelFormats.find((f) => f.name === 'x8r8g8b8')!;
      const d = rig.card.display();
      assert.deepEqual(d, { enabled: true, width: 640, height: 480, strideBytes: 2560, baseBytes: 0x800, format: 'x8r8g8b8', bytesPerPixel: fmt32.bytesPerPixel });
      const ps = variant.ramdac.find((r) => r.role === 'pixelSize')!.index;
      const cf = variant.ramdac.find((r) => r.role === 'colorFormat')!.index;
      const fmt16 = variant.pixelFormats.find((f) => f.name === 'r5g6b5')!;
      assert.equal(ramdac(rig, ps, fmt16.ramdac.pixelSize), fmt16.ramdac.pixelSize);
      ramdac(rig, cf, fmt16.ramdac.colorFormat);
      assert.equal(rig.card.display().format, 'r5g6b5');
      assert.equal(rig.card.display().width, 1280, 'same line length in bytes, half the bytes per pixel');
      ramdac(rig, cf, 0x99);
      assert.equal(rig.card.display().format, 'unknown');
      assert.equal(rig.card.display().enabled, false);
    });

    it('unknown RAMDAC index reads 0 and is reported', () => {
      const rig = new Rig(variant);
      let free = 0x300;
      while (variant.ramdac.some((r) => r.index === free)) free++;
      assert.equal(ramdac(rig, free, 0x55), 0);
      assert.ok(rig.problems('unimplemented').length >= 2);
    });
  });
}

it('PNG encoder (stored deflate) round-trips through zlib', () => {
  const vram = new Uint8Array(64);
  new Uint32Array(vram.buffer).set([0x00ff0000, 0x0000ff00, 0x000000ff, 0x00ffffff, 0, 0x00808080]);
  const rgba = framebufferToRgba(vram, { baseBytes: 0, strideBytes: 12, width: 3, height: 2, format: 'x8r8g8b8' });
  assert.deepEqual(Array.from(rgba.subarray(0, 12)), [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
  const png = encodePng(3, 2, rgba);
  assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  const dv = new DataView(png.buffer, png.byteOffset);
  let o = 8;
  const idat: Uint8Array[] = [];
  while (o < png.length) {
    const len = dv.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    if (type === 'IDAT') idat.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, 2 * (3 * 4 + 1));
  assert.deepEqual(Array.from(raw.subarray(1, 13)), Array.from(rgba.subarray(0, 12)));
  assert.deepEqual(Array.from(raw.subarray(14, 26)), Array.from(rgba.subarray(12, 24)));
});
