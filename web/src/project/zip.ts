// The project as a .zip (fflate): export every file as UTF-8; import checks names, count and sizes before it
// unpacks anything, so a zip with "../" or absolute paths, 10,000 files or a bomb is refused whole.
import { unzipSync, zipSync, type Zippable } from "fflate";
import { checkPath, isBuildProduct } from "./paths.ts";

export interface ZipLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export function exportZip(files: Record<string, string>): Uint8Array {
  const enc = new TextEncoder();
  const z: Zippable = {};
  for (const path of Object.keys(files).sort()) z[path] = [enc.encode(files[path]!), { level: 6 }];
  return zipSync(z);
}

export type ImportResult = { files: Record<string, string>; skipped: string[] } | { error: string };

export function importZip(data: Uint8Array, limits: ZipLimits): ImportResult {
  const names: string[] = [];
  let problem: string | null = null;
  let entries = 0;
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(data, {
      filter: (f) => {
        if (problem) return false;
        if (f.name.endsWith("/")) return false;
        entries++;
        if (entries > limits.maxFiles) { problem = `the zip holds more than ${limits.maxFiles} files`; return false; }
        const bad = checkPath(f.name);
        if (bad) { problem = `the zip has a path the lab does not take (${bad})`; return false; }
        if (f.originalSize > limits.maxFileBytes) {
          problem = `${f.name} is ${(f.originalSize / 1e6).toFixed(1)} MB; files are limited to ${(limits.maxFileBytes / 1e6).toFixed(1)} MB`;
          return false;
        }
        names.push(f.name);
        return true;
      },
    });
  } catch (e) {
    return { error: `not a zip file the lab can read (${e instanceof Error ? e.message : String(e)})` };
  }
  if (problem) return { error: `${problem}: nothing was imported` };
  const dec = new TextDecoder("utf-8", { fatal: true });
  const files: Record<string, string> = {};
  const skipped: string[] = [];
  for (const name of names.sort()) {
    const bytes = raw[name]!;
    if (bytes.length > limits.maxFileBytes) return { error: `${name} unpacks to more than its header said: nothing was imported` };
    if (isBuildProduct(name)) { skipped.push(name); continue; }
    try {
      files[name] = dec.decode(bytes);
    } catch {
      skipped.push(name);
    }
  }
  if (!Object.keys(files).length) return { error: "the zip holds no text files: nothing was imported" };
  return { files: stripCommonFolder(files), skipped };
}

/** "proj/a.c", "proj/Makefile" -> "a.c", "Makefile" (a zipped folder), unless the folder is all there is. */
function stripCommonFolder(files: Record<string, string>): Record<string, string> {
  const paths = Object.keys(files);
  const top = paths[0]!.split("/")[0]!;
  if (!paths.every((p) => p.startsWith(top + "/"))) return files;
  if (paths.some((p) => p === "Makefile") ) return files;
  const out: Record<string, string> = {};
  for (const [p, t] of Object.entries(files)) out[p.slice(top.length + 1)] = t;
  return out;
}
