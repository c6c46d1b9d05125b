// `npx vgpu-lab variant …`: an instructor's new card every semester, as a checked JSON file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Behaviour, CardVariant } from "../vcd/card/definition.ts";
import { COMMAND_CHOICES, IRQ_ACK_CHOICES } from "../vcd/card/definition.ts";
import { cHeader } from "../vcd/card/codegen/c-header.ts";
import { manual } from "../vcd/card/codegen/manual.ts";
import { parseVariant, VariantError, variantJson } from "../vcd/card/variants/check.ts";
import { deriveVariant, variantId } from "../vcd/card/variants/derive.ts";
import { BUILT_IN_VARIANTS as BUILT_IN } from "../vcd/card/variants/builtin.ts";

export const VARIANT_USAGE = `  variant new --from permedia2v --name NAME --seed SEED [--out FILE] [--irq-ack w1c|read] [--commands dma|ring] [--force]
                      derive a new card from a built-in one (or a variant file): the same seed gives the same file;
                      writes NAME.json (or FILE) and prints its path
  variant check FILE  validate a variant file (schema, alignment, overlaps, roles, tags, behaviour); exits 1 naming
                      the JSON path, the register/field/tag and the fix
  variant header FILE [--out H]   the C header for a variant (drivers include it as <generated/pm2v_regs.h>)
  variant manual FILE [--out MD]  the variant's manual (datasheet) as Markdown
`;

function take(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

/** A variant by built-in id or file path; a bad file throws a VariantError naming it. */
export function loadVariant(ref: string): CardVariant {
  if (BUILT_IN[ref]) return BUILT_IN[ref]!;
  if (!existsSync(ref)) throw new Error(`no built-in variant or file '${ref}' (built-in: ${Object.keys(BUILT_IN).join(", ")})`);
  return parseVariant(readFileSync(ref, "utf8"), ref);
}

/** Writes text unless the file exists with other content (then --force is needed). */
function writeOut(file: string, text: string, force: boolean): void {
  if (existsSync(file) && readFileSync(file, "utf8") !== text && !force) {
    throw new Error(`${file} exists with other content; nothing written (choose another --out, or --force to replace it)`);
  }
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

export function runVariant(args: string[]): number {
  const sub = args.shift();
  try {
    if (sub === "new") {
      const from = take(args, "--from") ?? "permedia2v";
      const name = take(args, "--name");
      const seed = take(args, "--seed");
      const out = take(args, "--out");
      const irqAck = take(args, "--irq-ack");
      const commands = take(args, "--commands");
      const fi = args.indexOf("--force");
      const force = fi >= 0;
      if (force) args.splice(fi, 1);
      if (args.length) throw new Error(`unexpected arguments: ${args.join(" ")}\n${VARIANT_USAGE}`);
      if (!name || seed === undefined) throw new Error(`--name and --seed are required\n${VARIANT_USAGE}`);
      if (irqAck && !IRQ_ACK_CHOICES.includes(irqAck as Behaviour["irqAck"])) throw new Error(`--irq-ack ${irqAck}: unknown behavioural choice; use ${IRQ_ACK_CHOICES.join(" or ")}`);
      if (commands && !COMMAND_CHOICES.includes(commands as Behaviour["commands"])) throw new Error(`--commands ${commands}: unknown behavioural choice; use ${COMMAND_CHOICES.join(" or ")}`);
      const base = loadVariant(from);
      const v = deriveVariant(base, { name, seed, irqAck: irqAck as Behaviour["irqAck"] | undefined, commands: commands as Behaviour["commands"] | undefined });
      const text = variantJson(v);
      parseVariant(text, "(generated)"); // never write a card the checker would refuse
      const file = out ?? `${variantId(name)}.json`;
      writeOut(file, text, force);
      process.stdout.write(`${file}\n`);
      process.stderr.write(`variant ${v.id}: ${v.name}; PCI ${v.pci.vendorId.toString(16).padStart(4, "0")}:${v.pci.deviceId.toString(16).padStart(4, "0")}; interrupts acknowledged ${v.behaviour.irqAck === "w1c" ? "by writing 1 to clear" : "by reading (clear-on-read)"}; commands by ${v.behaviour.commands === "dma" ? "DMA (address, count)" : "command ring (head, tail)"}\n`);
      return 0;
    }
    if (sub === "check") {
      const file = args.shift();
      if (!file || args.length) throw new Error(`usage:\n${VARIANT_USAGE}`);
      if (!existsSync(file)) throw new Error(`no such file: ${file}`);
      const v = parseVariant(readFileSync(file, "utf8"), file);
      process.stdout.write(`${file}: ok (${v.id}: ${v.registers.length} registers, ${v.tags.length} tags; irqAck ${v.behaviour.irqAck}, commands ${v.behaviour.commands})\n`);
      return 0;
    }
    if (sub === "header" || sub === "manual") {
      const out = take(args, "--out");
      const file = args.shift();
      if (!file || args.length) throw new Error(`usage:\n${VARIANT_USAGE}`);
      const v = loadVariant(file);
      const text = sub === "header" ? cHeader(v, file) : manual(v, file);
      if (out) {
        writeOut(out, text, true);
        process.stdout.write(`${out}\n`);
      } else process.stdout.write(text);
      return 0;
    }
    process.stderr.write(`usage:\n${VARIANT_USAGE}`);
    return 2;
  } catch (e) {
    if (e instanceof VariantError) {
      process.stderr.write(`${e.message}\n${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}; the variant was not used.\n`);
      return 1;
    }
    process.stderr.write(`vgpu-lab variant ${sub ?? ""}: ${(e as Error).message}\n`);
    return 1;
  }
}
