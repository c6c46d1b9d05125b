// The starter project (kmod/starter/project.ts says where each of its files comes from), bundled into the page as
// raw text: the default project, and "New project from starter".
import { STARTER_PROJECT } from "../../../kmod/starter/project.ts";

// import.meta.glob takes literal patterns: every folder the table draws from.
const raw = {
  ...import.meta.glob("../../../kmod/starter/*", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob("../../../kmod/include/generated/*.h", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob("../../../kmod/include/uapi/*.h", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob("../../../kmod/tests/*", { query: "?raw", import: "default", eager: true }),
} as Record<string, string>;

export function starterProject(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { path, from } of STARTER_PROJECT) {
    const text = raw[`../../../${from}`];
    if (text === undefined) throw new Error(`the starter project's ${path} (${from}) is not in the page's bundle`);
    files[path] = text;
  }
  return files;
}

/** The file a fresh project opens first: the driver's main C file. */
export function starterOpenFiles(files: Record<string, string>): string[] {
  const c = Object.keys(files).filter((p) => !p.includes("/") && p.endsWith(".c")).sort();
  return c.length ? [c[0]!] : Object.keys(files).slice(0, 1);
}
