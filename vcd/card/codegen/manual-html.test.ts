/**
 * The manual as HTML: every register and tag of the variant has its anchor (so the inspector can link to it), the
 * headings and tables of the Markdown survive, ids are unique, and raw HTML in a definition is shown, not run.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { VARIANTS } from '../test-helpers.ts';
import { manual } from './manual.ts';
import { manualDocument, manualHtml, registerAnchor, registerRowAnchor, sectionAnchor, tagAnchor } from './manual-html.ts';

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);

for (const v of VARIANTS) {
  describe(`manual as HTML (${v.id})`, () => {
    const md = manual(v, 'test');
    const m = manualHtml(v, md);
    const inHtml = new Set(ids(m.html));

    it('has an anchor for every register (row, and field table when it has fields) and every tag', () => {
      for (const r of v.registers) {
        assert.ok(inHtml.has(registerRowAnchor(r.name)), `row anchor of ${r.name}`);
        assert.ok(inHtml.has(registerAnchor(v, r.name)), `best anchor of ${r.name}: ${registerAnchor(v, r.name)}`);
      }
      for (const t of v.tags) assert.ok(inHtml.has(tagAnchor(t.name)), `anchor of tag ${t.name}`);
      const dma = v.registers.find((r) => r.role === 'dmaAddress')!;
      assert.match(m.html, new RegExp(`<tr id="${registerRowAnchor(dma.name)}"><td>0x${dma.offset.toString(16).padStart(4, '0')}</td><td>${dma.name}</td>`));
    });

    it('keeps every heading with a stable section anchor, and every table', () => {
      const headings = md.split('\n').filter((l) => /^#{1,6} /.test(l));
      assert.equal(m.sections.length, headings.length);
      for (const h of headings) {
        const depth = /^#+/.exec(h)![0].length, text = h.slice(depth + 1);
        const id = sectionAnchor(text);
        assert.ok(inHtml.has(id), `heading "${text}" has id ${id}`);
        assert.match(m.html, new RegExp(`<h${depth} id="${id}">`));
      }
      assert.ok(inHtml.has('sec-3-1') && inHtml.has('sec-4-3'), 'numbered sections keep their numbers');
      const tables = md.split('\n').filter((l) => /^\|(---\|)+$/.test(l)).length;
      assert.equal((m.html.match(/<table>/g) ?? []).length, tables);
      assert.equal((m.html.match(/<div class="table-wrap" role="region" tabindex="0" aria-label="Table: /g) ?? []).length, tables, 'tables are labelled, focusable regions');
      const rows = md.split('\n').filter((l) => l.startsWith('| ')).length;
      assert.equal((m.html.match(/<tr[ >]/g) ?? []).length, rows, 'every table row survives');
    });

    it('gives out unique ids and lists them', () => {
      const all = ids(m.html);
      assert.equal(new Set(all).size, all.length, 'no duplicate id');
      assert.deepEqual(new Set(m.anchors), new Set(all));
    });
  });
}

describe('manual as HTML, bad input', () => {
  it('shows raw HTML of a definition as text', () => {
    const v = VARIANTS[0]!;
    const evil = { ...v, description: 'Card <script>alert(1)</script> <img src=x onerror=alert(2)>' };
    const m = manualHtml(evil);
    assert.doesNotMatch(m.html, /<script|<img/);
    assert.match(m.html, /&lt;script&gt;/);
  });

  it('a standalone document carries the print stylesheet', () => {
    const doc = manualDocument(VARIANTS[0]!);
    assert.match(doc, /@media print/);
    assert.match(doc, /break-before: page/);
    assert.match(doc, /<main class="vgpu-manual">/);
  });
});
