// The starter project (kmod/starter/project.ts says where each of its files comes from), bundled into the page as
// raw text, with the header generated for the lab's card (kmod/starter/handout.ts): the default project, "New
// project from starter" and the handout the student can download.
import type { CardVariant } from "../../../vcd/card/definition.ts";
import { handoutFiles, handoutProject } from "../../../kmod/starter/handout.ts";

// import.meta.glob takes literal patterns: every folder the table draws from.
const raw = {
  ...import.meta.glob("../../../kmod/starter/*", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob("../../../kmod/include/generated/*.h", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob("../../../kmod/include/uapi/*.h", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob("../../../kmod/tests/*", { query: "?raw", import: "default", eager: true }),
} as Record<string, string>;

function read(from: string): string {
  const text = raw[`../../../${from}`];
  if (text === undefined) throw new Error(`the starter project's ${from} is not in the page's bundle`);
  return text;
}

export const starterProject = (variant: CardVariant): Record<string, string> => handoutProject(variant, read);

/** The handout for the lab's card: the starter project and the card's manual (Markdown and printable HTML). */
export const handout = (variant: CardVariant): Record<string, string> => handoutFiles(variant, read);

/** The file a fresh project opens first: the driver's main C file. */
export function starterOpenFiles(files: Record<string, string>): string[] {
  const c = Object.keys(files).filter((p) => !p.includes("/") && p.endsWith(".c")).sort();
  return c.length ? [c[0]!] : Object.keys(files).slice(0, 1);
}
