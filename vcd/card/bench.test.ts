/** The benchmark runs and reports sane numbers (short run; the real figures come from bench-main.ts). */
import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import { benchCard } from './bench.ts';

it('benchCard returns one finite positive row per measurement', async () => {
  const rows = await benchCard(20);
  assert.equal(rows.length, 5);
  for (const r of rows) assert.ok(Number.isFinite(r.value) && r.value > 0, `${r.name}: ${r.value}`);
});
