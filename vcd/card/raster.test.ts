/**
 * Golden command streams -> framebuffer hashes, plus pixel-exact checks of the rasterization rules.
 * Each scene runs on every variant and must give the same image. PNGs of the goldens are written to
 * $TMPDIR/vcd-goldens/ for people to look at. To accept new images: UPDATE_GOLDENS=1 prints hashes.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { encodePng, framebufferToRgba } from './png.ts';
import type { StreamBuilder } from './stream.ts';
import { fnv1a, Rig, VARIANTS, ALL_VARIANTS } from './test-helpers.ts';

const PITCH = 128;
const ROWS = 128;
const OUT = join(tmpdir(), 'vcd-goldens');

interface Scene {
  name: string;
  bpp: 2 | 4;
  windowBase?: number;
  pitch?: number;
  build(sb: StreamBuilder): void;
  check?(px: (x: number, y: number) => number): void;
}

const RED = { r: 255, g: 0, b: 0 }, GREEN = { r: 0, g: 255, b: 0 }, BLUE = { r: 0, g: 0, b: 255 };

const scenes: Scene[] = [
  {
    name: 'flat-triangle-32',
    bpp: 4,
    build: (sb) => sb.flatTriangle({ x: 10, y: 5, ...RED }, { x: 100, y: 40, ...RED }, { x: 30, y: 90, ...RED }, 0x00ff8040),
    check: (px) => {
      assert.equal(px(40, 40), 0x004080ff, 'ConstantColor R=0x40 G=0x80 B=0xFF packs as 0xAARRGGBB');
      assert.equal(px(5, 40), 0, 'left of the dominant edge stays clear');
      assert.equal(px(105, 40), 0, 'right of the middle vertex stays clear');
      assert.equal(px(40, 95), 0, 'below the last scanline stays clear');
    },
  },
  {
    name: 'gouraud-triangle-32',
    bpp: 4,
    build: (sb) => sb.gouraudTriangle({ x: 10, y: 5, ...RED }, { x: 100, y: 40, ...GREEN }, { x: 30, y: 90, ...BLUE }),
    check: (px) => {
      const top = px(12, 7);
      assert.ok(((top >>> 16) & 0xff) >= 240 && (top & 0xff) <= 10, `top vertex is red, got ${top.toString(16)}`);
      const mid = px(95, 40);
      assert.ok(((mid >>> 8) & 0xff) > 200, `near the green vertex green dominates, got ${mid.toString(16)}`);
      const bot = px(30, 88);
      assert.ok((bot & 0xff) > 200, `near the blue vertex blue dominates, got ${bot.toString(16)}`);
    },
  },
  {
    name: 'gouraud-sub-left-32',
    bpp: 4,
    build: (sb) => sb.gouraudTriangle({ x: 60, y: 5, ...RED }, { x: 5, y: 50, ...GREEN }, { x: 110, y: 100, ...BLUE }),
    check: (px) => {
      const near = px(8, 50);
      assert.ok(((near >>> 8) & 0xff) > 200, `middle vertex on the left (right-to-left spans) is green, got ${near.toString(16)}`);
      assert.equal(px(4, 50), 0);
    },
  },
  {
    name: 'flat-top-and-bottom-32',
    bpp: 4,
    build: (sb) => {
      sb.gouraudTriangle({ x: 10, y: 10, ...RED }, { x: 100, y: 10, ...GREEN }, { x: 50, y: 60, ...BLUE });
      sb.flatTriangle({ x: 60, y: 70, ...RED }, { x: 20, y: 120, ...RED }, { x: 120, y: 120, ...RED }, 0x0000ff00);
    },
    check: (px) => {
      assert.notEqual(px(50, 10), 0, 'first scanline of a flat-top triangle is drawn');
      assert.equal(px(70, 119), 0x0000ff00, 'flat-bottom triangle is green');
      assert.equal(px(70, 120), 0, 'the bottom edge scanline itself is not drawn');
    },
  },
  {
    name: 'rectangles-32',
    bpp: 4,
    build: (sb) => {
      sb.rectangle(10, 10, 5, 7, { fastFill: 0x00123456 });
      sb.rectangle(20, 30, 60, 40, { color: 0x000000ff });
      sb.pair('colorDDAMode', sb.word('colorDDAMode', { unitEnable: 1, shadeMode: sb.value('colorDDAMode', 'shadeMode', 'gouraud') }));
      sb.pair('rStart', 0).pair('dRdx', 0x8000 * 5).pair('dRdyDom', 0);
      sb.pair('gStart', 0).pair('dGdx', 0).pair('dGdyDom', 0x8000 * 8);
      sb.pair('bStart', 0x8000 * 128).pair('dBdx', 0).pair('dBdyDom', 0);
      sb.rectangle(40, 80, 64, 32);
    },
    check: (px) => {
      assert.equal(px(10, 10), 0x00123456, 'FastFill writes FBBlockColor raw');
      assert.equal(px(14, 16), 0x00123456, 'last pixel of a 5x7 rectangle');
      assert.equal(px(15, 10), 0, 'x + width is exclusive');
      assert.equal(px(10, 17), 0, 'y + height is exclusive');
      assert.equal(px(9, 10), 0);
      assert.equal(px(50, 50), 0x00ff0000, 'ConstantColor red');
      assert.equal(px(40 + 10, 80 + 3), (0xff000000 | (50 << 16) | (24 << 8) | 128) >>> 0, 'Gouraud rectangle: C = start + dx*dCdx + dy*dCdy');
      assert.equal(px(40 + 63, 80), (0xff000000 | (255 << 16) | 128) >>> 0, 'colour clamps at 255');
    },
  },
  {
    name: 'scissor-32',
    bpp: 4,
    build: (sb) => {
      sb.pair('scissorMinXY', sb.word('scissorMinXY', { x: 20, y: 20 }));
      sb.pair('scissorMaxXY', sb.word('scissorMaxXY', { x: 90, y: 70 }));
      sb.pair('screenSize', sb.word('screenSize', { width: 100, height: 100 }));
      sb.pair('scissorMode', sb.word('scissorMode', { userScissor: 1 }));
      sb.gouraudTriangle({ x: 0, y: 0, ...RED }, { x: 127, y: 10, ...GREEN }, { x: 10, y: 127, ...BLUE });
      sb.pair('scissorMode', sb.word('scissorMode', { screenScissor: 1 }));
      sb.rectangle(-10, 110, 200, 10, { fastFill: 0x00ffffff });
      sb.rectangle(95, 0, 50, 5, { fastFill: 0x00ffffff });
    },
    check: (px) => {
      assert.equal(px(19, 30), 0, 'left of ScissorMinX');
      assert.notEqual(px(20, 30), 0, 'ScissorMinXY is inclusive');
      assert.equal(px(90, 21), 0, 'ScissorMaxXY is exclusive');
      assert.equal(px(30, 70), 0, 'below ScissorMaxY');
      assert.equal(px(30, 110), 0, 'screen scissor: y >= ScreenSize.height');
      assert.equal(px(99, 2), 0x00ffffff, 'screen scissor keeps x < width');
      assert.equal(px(100, 2), 0, 'screen scissor clips x >= width');
    },
  },
  {
    name: 'masks-xor-32',
    bpp: 4,
    build: (sb) => {
      sb.rectangle(0, 0, 64, 64, { fastFill: 0x00f0f0f0 });
      sb.pair('logicalOpMode', sb.word('logicalOpMode', { unitEnable: 1, logicOp: sb.value('logicalOpMode', 'logicOp', 'xor') }));
      sb.rectangle(32, 32, 64, 64, { fastFill: 0x00ffffff });
      sb.pair('logicalOpMode', 0);
      sb.pair('fbSoftwareWriteMask', 0x0000ff00);
      sb.rectangle(0, 100, 128, 20, { fastFill: 0x00abcdef });
      sb.pair('fbSoftwareWriteMask', 0xffffffff);
      sb.pair('fbHardwareWriteMask', 0x00ff0000);
      sb.rectangle(64, 110, 64, 18, { fastFill: 0x00abcdef });
      sb.pair('fbHardwareWriteMask', 0xffffffff);
    },
    check: (px) => {
      assert.equal(px(10, 10), 0x00f0f0f0);
      assert.equal(px(40, 40), 0x000f0f0f, 'xor of 0xf0f0f0 and 0xffffff');
      assert.equal(px(80, 80), 0x00ffffff, 'xor with 0');
      assert.equal(px(10, 105), 0x0000cd00, 'FBSoftwareWriteMask keeps only green');
      assert.equal(px(100, 115), 0x00abcd00, 'FBHardwareWriteMask adds red over the green');
    },
  },
  {
    name: 'window-base-pitch-32',
    bpp: 4,
    pitch: 640,
    windowBase: 640 * 3 + 8,
    build: (sb) => sb.gouraudTriangle({ x: 0, y: 0, ...RED }, { x: 120, y: 60, ...GREEN }, { x: 20, y: 100, ...BLUE }),
  },
  {
    name: 'gouraud-565',
    bpp: 2,
    build: (sb) => {
      sb.gouraudTriangle({ x: 10, y: 5, ...RED }, { x: 100, y: 40, ...GREEN }, { x: 30, y: 90, ...BLUE });
      sb.rectangle(80, 80, 40, 40, { fastFill: 0xf800f800 });
      sb.rectangle(0, 100, 20, 20, { color: 0x0000ff00 });
    },
    check: (px) => {
      assert.equal(px(90, 90), 0xf800, 'FastFill 565 red');
      assert.equal(px(10, 110), 0x07e0, 'ConstantColor green packs as 565');
      assert.ok(px(12, 7) >> 11 >= 28, 'top vertex red');
    },
  },
];

const GOLDEN: Record<string, string> = {
  'flat-triangle-32': '321d76c5',
  'gouraud-triangle-32': '8e87c2d9',
  'gouraud-sub-left-32': 'af44b6a3',
  'flat-top-and-bottom-32': '6fc4ffdb',
  'rectangles-32': '7ca59edd',
  'scissor-32': 'c4d3f3cc',
  'masks-xor-32': '3839a1c5',
  'window-base-pitch-32': '6ba17da1',
  'gouraud-565': 'd8f569ca',
};

function render(variant: (typeof VARIANTS)[number], s: Scene): { rig: Rig; px: (x: number, y: number) => number; bytes: Uint8Array } {
  const rig = new Rig(variant, { burst: true });
  const pitch = s.pitch ?? PITCH;
  rig.draw((sb) => {
    sb.setupFramebuffer({ readPixel: s.bpp === 4 ? 2 : 1, pitch, windowBase: s.windowBase ?? 0 });
    s.build(sb);
  });
  const base = (s.windowBase ?? 0) * s.bpp;
  const vram = rig.card.vram;
  const px = (x: number, y: number): number => {
    const a = base + (y * pitch + x) * s.bpp;
    return s.bpp === 4 ? (vram[a]! | (vram[a + 1]! << 8) | (vram[a + 2]! << 16) | (vram[a + 3]! << 24)) >>> 0 : vram[a]! | (vram[a + 1]! << 8);
  };
  const rows: Uint8Array[] = [];
  for (let y = 0; y < ROWS; y++) rows.push(vram.subarray(base + y * pitch * s.bpp, base + (y * pitch + PITCH) * s.bpp));
  const bytes = new Uint8Array(PITCH * ROWS * s.bpp);
  rows.forEach((r, i) => bytes.set(r, i * PITCH * s.bpp));
  return { rig, px, bytes };
}

describe('rasterizer goldens', () => {
  mkdirSync(OUT, { recursive: true });
  for (const s of scenes) {
    for (const variant of ALL_VARIANTS) {
      it(`${s.name} on ${variant.id}`, () => {
        const { rig, px, bytes } = render(variant, s);
        assert.deepEqual(rig.problems('guest-error'), [], 'the golden stream is valid');
        assert.equal(rig.read('errorFlags'), 0);
        s.check?.(px);
        const hash = fnv1a(bytes);
        if (variant === VARIANTS[0]) {
          const rgba = framebufferToRgba(bytes, { baseBytes: 0, strideBytes: PITCH * s.bpp, width: PITCH, height: ROWS, format: s.bpp === 4 ? 'x8r8g8b8' : 'r5g6b5' });
          writeFileSync(join(OUT, `${s.name}.png`), encodePng(PITCH, ROWS, rgba, (d) => deflateSync(d)));
        }
        if (process.env.UPDATE_GOLDENS) console.log(`  '${s.name}': '${hash}',`);
        else assert.equal(hash, GOLDEN[s.name], `framebuffer hash of ${s.name} (see ${join(OUT, s.name + '.png')})`);
      });
    }
  }
});

describe('rasterizer rules', () => {
  for (const variant of ALL_VARIANTS) {
    it(`Render with FBWriteMode = 0 draws nothing and says why (${variant.id})`, () => {
      const rig = new Rig(variant, { burst: true });
      rig.draw((sb) => {
        sb.setupFramebuffer({ readPixel: 2, pitch: PITCH });
        sb.pair('fbWriteMode', 0);
        sb.rectangle(0, 0, 10, 10, { fastFill: 0xffffffff });
      });
      assert.equal(rig.card.vram.some((b) => b !== 0), false);
      assert.ok(rig.problems().some((e) => e.kind === 'guest-error' && e.message.includes('WriteEnable')));
    });

    it(`pixels outside VRAM are dropped, never thrown (${variant.id})`, () => {
      const rig = new Rig(variant, { burst: true });
      rig.draw((sb) => {
        sb.setupFramebuffer({ readPixel: 2, pitch: 2048, windowBase: (variant.vramBytes >> 2) - 100 });
        sb.rectangle(-2000, -2000, 4000, 4000, { fastFill: 0x11223344 });
      });
      const v32 = new Uint32Array(rig.card.vram.buffer);
      assert.equal(v32[v32.length - 1], 0x11223344, 'last VRAM pixel written');
      assert.equal(rig.read('errorFlags'), 0);
    });

    it(`line primitive is reported as unimplemented (${variant.id})`, () => {
      const rig = new Rig(variant, { burst: true });
      rig.draw((sb) => {
        sb.setupFramebuffer({ readPixel: 2, pitch: PITCH });
        sb.pair('render', sb.word('render', { primitiveType: sb.value('render', 'primitiveType', 'line') }));
      });
      assert.equal(rig.read('errorFlags'), rig.err('message'));
      assert.equal(rig.problems('unimplemented').length, 1);
    });
  }
});
