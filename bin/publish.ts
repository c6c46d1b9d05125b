// `npx vgpu-lab publish --variant FILE [--variant FILE…] --out DIR [--force]`: a semester's static student site. The
// lab (npm run build's dist/, hard-linked), the guest (the same for every variant: the card lives in the page), and
// per variant its card file without the seed, its manual (HTML and Markdown) and its handout zip. The first variant
// is the default; ?variant=ID picks another. Nothing of the instructor's (reference driver, seed, grading) goes out.
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { CardVariant } from "../vcd/card/definition.ts";
import { variantJson } from "../vcd/card/variants/check.ts";
import { PUBLISHED_INDEX, publishedEntry, studentVariant, type PublishedIndex } from "../vcd/card/variants/published.ts";
import { handoutFiles } from "../kmod/starter/handout.ts";
import { exportZip } from "../web/src/project/zip.ts";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";
import { loadVariant } from "./variant.ts";
import { checkSite, files, parseKernels } from "./site.ts";
import type { Flavour } from "../vcd/machine/flavour.ts";

export const PUBLISH_USAGE = `  publish --variant FILE [--variant FILE…] --out DIR [--kernels stock,course] [--force]
                      the static student site for a semester: the lab, the guest, each variant's card, manual and
                      handout; the first variant is the default, ?variant=ID selects another. The guest has the
                      --flavour kernel (stock unless given); --kernels adds the others, for ?kernel=. Refuses a DIR
                      holding other files unless --force. Serve DIR from any static host with HTTP ranges
`;

/** Marks a folder as a publish's output, which a later publish may replace without --force. */
const STAMP = ".vgpu-lab-publish";

const read = (repoPath: string) => readFileSync(join(PROJECT_DIR, repoPath), "utf8");

function write(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const a = join(from, name);
    const b = join(to, name);
    if (statSync(a).isDirectory()) linkTree(a, b);
    else if (!name.startsWith(".vgpu-lab")) {
      try { linkSync(a, b); } catch { copyFileSync(a, b); }
    }
  }
}

/** Empty, absent or an earlier publish: ready to take the site. Otherwise refuse unless `force`. */
export function prepareOut(out: string, force: boolean): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new Error(`${out} is a file, not a folder; nothing published`);
    const names = readdirSync(out);
    if (names.length && !names.includes(STAMP) && !force) {
      throw new Error(`${out} holds other files (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}); nothing published (choose an empty folder, or --force to replace its contents)`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

/** The variants' files: card (no seed), manual as HTML and Markdown, handout zip; and the index. */
export function writeVariants(out: string, variants: readonly CardVariant[]): PublishedIndex {
  const ids = new Set<string>();
  for (const v of variants) {
    if (ids.has(v.id)) throw new Error(`two variants have the id '${v.id}'; each published variant needs its own`);
    ids.add(v.id);
  }
  const index: PublishedIndex = { default: variants[0]!.id, variants: [] };
  for (const v of variants) {
    const e = publishedEntry(v);
    const handout = handoutFiles(v, read); // the manual, as Markdown and HTML, is in the handout too
    write(join(out, e.card), variantJson(studentVariant(v)));
    write(join(out, e.manualMarkdown), handout["MANUAL.md"]!);
    write(join(out, e.manual), handout["manual.html"]!);
    write(join(out, e.handout), exportZip(handout));
    index.variants.push(e);
  }
  write(join(out, PUBLISHED_INDEX), JSON.stringify(index, null, 2) + "\n");
  return index;
}

/**
 * What students must never be served: the reference driver and grading material (site.ts's checkSite), and the
 * seeds the variants were made from (any file outside the guest holding one).
 */
export function checkPublished(out: string, variants: readonly CardVariant[]): string[] {
  const bad = checkSite(out);
  const seeds = variants.map((v) => v.origin?.seed).filter((s): s is string => !!s && s.length >= 4);
  if (!seeds.length) return bad;
  for (const f of files(out)) {
    const rel = relative(out, f);
    if (rel.startsWith("guest") || statSync(f).size > 20 << 20) continue;
    const text = readFileSync(f, "latin1");
    for (const s of seeds) if (text.includes(`"${s}"`) || text.includes(`seed: ${s}`) || text.includes(`seed ${s}`)) bad.push(`${rel} (holds a variant's seed)`);
  }
  return bad;
}

/** Publishes; returns the index written. Validates every variant before anything is written. */
export async function publish(options: { variants: string[]; out: string; force?: boolean; log?: (s: string) => void; kernels?: Flavour[] }): Promise<PublishedIndex> {
  const log = options.log ?? ((s: string) => process.stderr.write(`[publish] ${s}\n`));
  if (!options.variants.length) throw new Error("name at least one --variant (a variant file, or a built-in id such as permedia2v)");
  const variants = options.variants.map((f) => loadVariant(f)); // a broken file throws, naming it, before any write
  const out = resolve(options.out);
  const { buildSite, DIST } = await import("./site.ts");
  if (out === DIST || DIST.startsWith(out + "/") || out.startsWith(DIST + "/")) throw new Error(`--out ${options.out}: not dist/ (npm run build's own output) or a folder around or inside it`);
  prepareOut(out, !!options.force);
  await buildSite({ log, kernels: options.kernels });
  log(`the lab and the guest into ${out}`);
  linkTree(DIST, out);
  const index = writeVariants(out, variants);
  const leaks = checkPublished(out, variants);
  if (leaks.length) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`the site would hold what students must not get (${leaks.join(", ")}); nothing published`);
  }
  writeFileSync(join(out, STAMP), `${new Date().toISOString()}\n`);
  for (const e of index.variants) log(`${e.id} (${e.name}, PCI ${e.pci}): ?variant=${e.id}${e.id === index.default ? " (the default)" : ""}`);
  return index;
}

export async function runPublish(args: string[]): Promise<number> {
  const variants: string[] = [];
  let out: string | undefined;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--force") force = true;
    else if (a === "--kernels") i++; // read by parseKernels below
    else if (a === "--variant" || a === "--out") {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) { process.stderr.write(`vgpu-lab publish: ${a} needs a value\n${PUBLISH_USAGE}`); return 2; }
      if (a === "--variant") variants.push(v); else out = v;
    } else { process.stderr.write(`vgpu-lab publish: unexpected argument ${a}\n${PUBLISH_USAGE}`); return 2; }
  }
  if (!out) { process.stderr.write(`vgpu-lab publish: --out DIR is required\n${PUBLISH_USAGE}`); return 2; }
  try {
    await publish({ variants, out, force, kernels: parseKernels(args) });
    process.stdout.write(`${resolve(out)}\n`);
    return 0;
  } catch (e) {
    const { VariantError } = await import("../vcd/card/variants/check.ts");
    if (e instanceof VariantError) {
      process.stderr.write(`${e.message}\nnothing published.\n`);
      return 1;
    }
    process.stderr.write(`vgpu-lab publish: ${(e as Error).message}\n`);
    return 1;
  }
}
