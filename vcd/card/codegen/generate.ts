/**
 * Writes the generated files for the default variant:
 *   kmod/include/generated/pm2v_regs.h   (C header for drivers)
 *   vcd/card/SPEC.md                     (datasheet)
 *   kmod/include/generated/vpcib_hw.h    (the virtual PCI bus's port interface)
 *   vcd/card/variants/variant.schema.json (the JSON schema of variant files)
 * Usage: node --import tsx vcd/card/codegen/generate.ts [--check]
 * With --check nothing is written; exits 1 when a committed file differs from the generator output.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { permedia2v } from '../variants/permedia2v.ts';
import { cHeader } from './c-header.ts';
import { manual } from './manual.ts';
import { vpcibHeader } from '../../vpcib/c-header.ts';
import { variantSchema } from '../variants/schema.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SOURCE = 'vcd/card/variants/permedia2v.ts';

export function generatedFiles(): { path: string; text: string }[] {
  return [
    { path: 'kmod/include/generated/pm2v_regs.h', text: cHeader(permedia2v, SOURCE) },
    { path: 'vcd/card/SPEC.md', text: manual(permedia2v, SOURCE) },
    { path: 'kmod/include/generated/vpcib_hw.h', text: vpcibHeader('vcd/vpcib/protocol.ts') },
    { path: 'vcd/card/variants/variant.schema.json', text: JSON.stringify(variantSchema, null, 2) + '\n' },
  ];
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  let stale = 0;
  for (const f of generatedFiles()) {
    const abs = join(ROOT, f.path);
    let old: string | null = null;
    try {
      old = readFileSync(abs, 'utf8');
    } catch {
      old = null;
    }
    if (old === f.text) continue;
    if (check) {
      console.error(`stale: ${f.path} (run node --import tsx vcd/card/codegen/generate.ts)`);
      stale++;
    } else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.text);
      console.log(`wrote ${f.path}`);
    }
  }
  return stale ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
