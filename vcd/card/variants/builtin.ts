// The variants that ship as TypeScript, by id; every other variant is a JSON file (`vgpu-lab variant new`).
import type { CardVariant } from '../definition.ts';
import { permedia2v } from './permedia2v.ts';
import { testcard } from './testcard.ts';

export const BUILT_IN_VARIANTS: Readonly<Record<string, CardVariant>> = { permedia2v, testcard };

/** What generated files (header, manual) name as their source: a built-in's TypeScript, else the variant's file. */
export function variantSource(v: CardVariant): string {
  return BUILT_IN_VARIANTS[v.id] === v ? `vcd/card/variants/${v.id}.ts` : `${v.id}.json`;
}
