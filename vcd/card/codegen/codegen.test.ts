/** Generated files are up to date and derived from the variant (not from fixed names). */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { layoutOf } from '../layout.ts';
import { VARIANTS } from '../test-helpers.ts';
import { cHeader } from './c-header.ts';
import { generatedFiles } from './generate.ts';
import { manual } from './manual.ts';
import { macroName } from './names.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

it('committed generated files are not stale', () => {
  for (const f of generatedFiles()) assert.equal(readFileSync(join(ROOT, f.path), 'utf8'), f.text, `${f.path} is stale: run node --import tsx vcd/card/codegen/generate.ts`);
});

it('macro names follow the Linux header style', () => {
  assert.equal(macroName('DMAAddress'), 'DMA_ADDRESS');
  assert.equal(macroName('InFIFOSpace'), 'IN_FIFO_SPACE');
  assert.equal(macroName('dXDom'), 'D_X_DOM');
  assert.equal(macroName('FBSoftwareWriteMask'), 'FB_SOFTWARE_WRITE_MASK');
});

for (const v of VARIANTS) {
  it(`header and manual of ${v.id} carry its own offsets, tags and bits`, () => {
    const l = layoutOf(v);
    const h = cHeader(v, 'test');
    const P = v.symbolPrefix;
    const dma = l.reg('dmaAddress').def;
    assert.match(h, new RegExp(`#define ${P}R_${macroName(dma.name)}\\s+0x${dma.offset.toString(16).padStart(4, '0')}\\b`));
    assert.match(h, new RegExp(`#define ${P}TAG_RENDER\\s+0x${l.tag('render').toString(16).padStart(3, '0')}\\b`));
    const irq = v.interrupts.find((i) => i.role === 'dma')!;
    assert.match(h, new RegExp(`#define ${P}_INT_DMA\\s+\\(1u << ${irq.bit}\\)`));
    assert.match(h, new RegExp(`#define ${P}_TAGWORD_MODE_INCREMENT\\s+${v.tagFormat.modes.increment}\\b`));
    const names = h.match(/^#define (\S+)/gm)!.map((s) => s.slice(8));
    assert.equal(new Set(names).size, names.length, 'no macro is defined twice');
    const m = manual(v, 'test');
    for (const r of v.registers) assert.ok(m.includes(`| ${r.name} |`), `manual lists ${r.name}`);
    for (const t of v.tags) assert.ok(m.includes(`| ${t.name} |`), `manual lists tag ${t.name}`);
  });
}
