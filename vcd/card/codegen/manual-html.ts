/**
 * The card's manual as HTML for the lab's Manual pane (and for printing): the Markdown datasheet from manual.ts
 * rendered with `marked`, plus stable anchors so that other views can link into it.
 *
 * Anchors (all derived from the variant, never a second list of names):
 * - every heading: `sec-<number>` from its section number ("3.1 Control registers" -> `sec-3-1`), or a slug of
 *   its text when it has no number;
 * - every register: `reg-<Name>` on its row in the register tables, and `reg-<Name>-fields` on the title of its
 *   field table when it has fields (`registerAnchor()` picks the field table when there is one);
 * - every GP register (tag): `tag-<Name>` on its row, `tag-<Name>-fields` on its field table.
 * Raw HTML in the Markdown (a variant file's description could hold some) is shown as text, never interpreted.
 */
import { Marked, type Tokens } from 'marked';
import type { CardVariant } from '../definition.ts';
import { manual } from './manual.ts';
import { variantSource } from '../variants/builtin.ts';

/** "DMAAddress" -> "DMAAddress"; anything outside [A-Za-z0-9_-] becomes '-'. */
function slug(s: string): string {
  return s.trim().replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

export function registerRowAnchor(name: string): string {
  return `reg-${slug(name)}`;
}

export function registerFieldsAnchor(name: string): string {
  return `reg-${slug(name)}-fields`;
}

export function tagAnchor(name: string): string {
  return `tag-${slug(name)}`;
}

/** Where the manual describes register `name` best: its field table when it has fields, else its table row. */
export function registerAnchor(v: CardVariant, name: string): string {
  const r = v.registers.find((x) => x.name === name);
  return r?.fields?.length ? registerFieldsAnchor(name) : registerRowAnchor(name);
}

/** "3.1 Control registers" -> "sec-3-1"; "Foo bar" -> "sec-Foo-bar". */
export function sectionAnchor(heading: string): string {
  const m = /^\s*(\d+(?:\.\d+)*)\.?\s/.exec(heading);
  return `sec-${m ? m[1]!.replace(/\./g, '-') : slug(heading)}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A table cell's plain name: backticks and emphasis stripped. */
function cellName(c: Tokens.TableCell): string {
  return c.text.replace(/[`*]/g, '').trim();
}

export interface ManualHtml {
  /** The body: headings, paragraphs, tables (each table wrapped in a focusable, scrollable region). */
  html: string;
  /** Every id given out, in document order. */
  anchors: string[];
  /** Section headings (id, level, text) for a table of contents. */
  sections: Array<{ id: string; depth: number; text: string }>;
}

/** Renders the variant's datasheet (or the given Markdown of it) to HTML with anchors. */
export function manualHtml(v: CardVariant, markdown: string = manual(v, variantSource(v))): ManualHtml {
  const regNames = new Set(v.registers.map((r) => r.name));
  const tagNames = new Set(v.tags.map((t) => t.name));
  const used = new Set<string>();
  const anchors: string[] = [];
  const sections: ManualHtml['sections'] = [];
  /** Gives out `id` once; later claims on the same id get nothing (or a numbered variant when `force`). */
  const claim = (id: string, force = false): string | null => {
    if (!used.has(id)) {
      used.add(id);
      anchors.push(id);
      return id;
    }
    if (!force) return null;
    for (let i = 2; ; i++) if (!used.has(`${id}-${i}`)) return claim(`${id}-${i}`);
  };
  const idAttr = (id: string | null) => (id ? ` id="${id}"` : '');

  const md = new Marked({ gfm: true });
  md.use({
    renderer: {
      heading(this: { parser: { parseInline(t: unknown[]): string } }, { tokens, depth, text }: Tokens.Heading): string {
        const id = claim(sectionAnchor(text), true)!;
        sections.push({ id, depth, text: text.replace(/[`*]/g, '') });
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      paragraph(this: { parser: { parseInline(t: unknown[]): string } }, { tokens, text }: Tokens.Paragraph): string {
        let id: string | null = null;
        const first = tokens[0];
        if (first && first.type === 'strong') {
          const name = (first as Tokens.Strong).text;
          const rest = text.slice(first.raw.length).trim();
          if (/^\(tag\b/.test(rest) && tagNames.has(name)) id = claim(`${tagAnchor(name)}-fields`);
          else if (/^\(0x/.test(rest) && regNames.has(name)) id = claim(registerFieldsAnchor(name));
        }
        return `<p${idAttr(id)}${id ? ' class="field-title"' : ''}>${this.parser.parseInline(tokens)}</p>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
      table(this: { parser: { parseInline(t: unknown[]): string } }, token: Tokens.Table): string {
        const head = token.header.map(cellName);
        const nameCol = head.indexOf('Name');
        const isTagTable = head.includes('Tag') && nameCol >= 0;
        const isRegTable = !isTagTable && head.includes('Offset') && nameCol >= 0;
        const align = (i: number) => (token.align[i] ? ` style="text-align:${token.align[i]}"` : '');
        const cell = (c: Tokens.TableCell, i: number, tagName: 'th' | 'td') => `<${tagName}${tagName === 'th' ? ' scope="col"' : ''}${align(i)}>${this.parser.parseInline(c.tokens)}</${tagName}>`;
        const rows = token.rows.map((r) => {
          let id: string | null = null;
          const name = nameCol >= 0 && r[nameCol] ? cellName(r[nameCol]) : '';
          if (isRegTable && regNames.has(name)) id = claim(registerRowAnchor(name));
          else if (isTagTable && tagNames.has(name)) id = claim(tagAnchor(name));
          return `<tr${idAttr(id)}>${r.map((c, i) => cell(c, i, 'td')).join('')}</tr>`;
        });
        return `<div class="table-wrap" role="region" tabindex="0" aria-label="Table: ${escapeHtml(head.join(', '))}"><table>\n<thead><tr>${token.header.map((c, i) => cell(c, i, 'th')).join('')}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table></div>\n`;
      },
    },
  });
  const html = md.parse(markdown, { async: false }) as string;
  return { html, anchors, sections };
}

/** Styles for the manual, scoped to `.vgpu-manual`: readable in a narrow pane, and printable (no clipped tables). */
export const MANUAL_CSS = `
.vgpu-manual { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; max-width: 62em; padding: 0 1em 4em; }
.vgpu-manual h1 { font-size: 1.6em; margin: .6em 0 .4em; }
.vgpu-manual h2 { font-size: 1.3em; margin: 1.6em 0 .5em; padding-bottom: .2em; border-bottom: 1px solid #d5dae3; }
.vgpu-manual h3 { font-size: 1.1em; margin: 1.3em 0 .4em; }
.vgpu-manual p, .vgpu-manual li { max-width: 48em; }
.vgpu-manual code { font: .92em/1.3 ui-monospace, "DejaVu Sans Mono", monospace; background: #f1f3f7; padding: 0 .25em; border-radius: 3px; }
.vgpu-manual pre { background: #f6f8fa; border: 1px solid #e2e6ee; padding: .6em .8em; overflow-x: auto; }
.vgpu-manual pre code { background: none; padding: 0; }
.vgpu-manual .table-wrap { overflow-x: auto; margin: .5em 0 1em; }
.vgpu-manual .table-wrap:focus-visible { outline: 2px solid #3a6fd8; outline-offset: 2px; }
.vgpu-manual table { border-collapse: collapse; font-size: .9em; min-width: 60%; }
.vgpu-manual th, .vgpu-manual td { border: 1px solid #d5dae3; padding: .25em .5em; vertical-align: top; text-align: left; }
.vgpu-manual th { background: #eef1f6; }
.vgpu-manual td { overflow-wrap: break-word; }
.vgpu-manual td:first-child { white-space: nowrap; }
.vgpu-manual td:last-child { min-width: 14em; }
.vgpu-manual tbody tr:nth-child(even) { background: #fafbfd; }
.vgpu-manual .field-title { margin-top: 1.2em; margin-bottom: .2em; }
.vgpu-manual :target, .vgpu-manual .manual-target { background: #fff4c2 !important; outline: 2px solid #e0b100; scroll-margin-top: 3em; }
.vgpu-manual [id] { scroll-margin-top: 3em; }
.vgpu-manual mark.manual-hit { background: #ffe27a; color: inherit; padding: 0; }
.vgpu-manual mark.manual-hit.current { background: #ff9d3b; outline: 1px solid #c4600b; }
@media print {
  .vgpu-manual { max-width: none; padding: 0; font-size: 10.5pt; color: #000; }
  .vgpu-manual h2 { break-before: page; border-bottom-color: #000; }
  .vgpu-manual h2:first-of-type { break-before: auto; }
  .vgpu-manual h2, .vgpu-manual h3, .vgpu-manual .field-title { break-after: avoid; }
  .vgpu-manual .table-wrap { overflow: visible; }
  .vgpu-manual table { width: 100%; table-layout: auto; font-size: 8.5pt; }
  .vgpu-manual thead { display: table-header-group; }
  .vgpu-manual tr, .vgpu-manual pre { break-inside: avoid; }
  .vgpu-manual td, .vgpu-manual td:first-child { white-space: normal; overflow-wrap: anywhere; }
  .vgpu-manual pre { white-space: pre-wrap; overflow: visible; }
  .vgpu-manual mark.manual-hit { background: none; }
  .vgpu-manual :target, .vgpu-manual .manual-target { background: none !important; outline: none; }
}
`;

/** A standalone HTML document of the manual (print it, or save it beside the handouts). */
export function manualDocument(v: CardVariant, body: ManualHtml = manualHtml(v)): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(v.name)} — datasheet</title>\n<style>${MANUAL_CSS}</style></head>\n<body><main class="vgpu-manual">\n${body.html}</main></body></html>\n`;
}
