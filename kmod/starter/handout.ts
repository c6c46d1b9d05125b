// A semester's handout: the starter project (project.ts) for one card variant, with that card's generated header,
// plus its manual. The lab page starts students on `handoutProject`; `vgpu-lab publish` zips `handoutFiles`.
import type { CardVariant } from "../../vcd/card/definition.ts";
import { cHeader } from "../../vcd/card/codegen/c-header.ts";
import { manual } from "../../vcd/card/codegen/manual.ts";
import { manualDocument, manualHtml } from "../../vcd/card/codegen/manual-html.ts";
import { permedia2v } from "../../vcd/card/variants/permedia2v.ts";
import { variantSource } from "../../vcd/card/variants/builtin.ts";
import { STARTER_PROJECT } from "./project.ts";

/** Where the card's generated header sits in the project (drivers include it as <generated/pm2v_regs.h>). */
export const HEADER_PATH = "include/generated/pm2v_regs.h";


/**
 * The starter project for `variant`: the repository's files (`read` takes a repository path), the header generated
 * for this card. The default card keeps the repository's header byte for byte (the image's precompiled headers
 * were made from it).
 */
export function handoutProject(variant: CardVariant, read: (repoPath: string) => string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { path, from } of STARTER_PROJECT) {
    files[path] = path === HEADER_PATH && variant.id !== permedia2v.id ? cHeader(variant, variantSource(variant)) : read(from);
  }
  return files;
}

/** The handout as files: the starter project and the card's manual as Markdown and as a printable HTML page. */
export function handoutFiles(variant: CardVariant, read: (repoPath: string) => string): Record<string, string> {
  const md = manual(variant, variantSource(variant));
  return {
    ...handoutProject(variant, read),
    "MANUAL.md": md,
    "manual.html": manualDocument(variant, manualHtml(variant, md)),
  };
}
