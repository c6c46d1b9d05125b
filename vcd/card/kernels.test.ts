import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gouraudPack, gouraudPack8 } from './kernels.ts';

test('gouraudPack8 (clamp-free when the ends are in range) equals gouraudPack on random spans', () => {
  let s = 7;
  const rnd = (m: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % m);
  const a = new Uint32Array(300), b = new Uint32Array(300);
  let clampedSpans = 0;
  for (let k = 0; k < 5000; k++) {
    const n = 1 + rnd(299);
    const c = () => rnd(300 << 15) - (20 << 15);      // some start outside 0..255
    const d = () => rnd(1 << 16) - (1 << 15);
    const [r, dr, g, dg, bb, db] = [c(), d(), c(), d(), c(), d()];
    gouraudPack(a, 1, n, r, dr, g, dg, bb, db, 0, 16, 0, 8, 0, 0, 0xff000000 | 0);
    gouraudPack8(b, 1, n, r, dr, g, dg, bb, db, 16, 8, 0, 0xff000000 | 0);
    assert.deepEqual(b.subarray(1, 1 + n), a.subarray(1, 1 + n), `span ${k}`);
    if (r < 0 || g < 0 || bb < 0) clampedSpans++;
  }
  assert.ok(clampedSpans > 100, 'the clamping fallback was exercised');
});
