// From a kernel report on the console to the student's source lines: the report's stack frames that belong to a
// module (`pm2ref_queue+0x3c/0x110 [pm2ref]`) are placed on file:line by the guest's own binutils, against the .ko
// the student built (kbuild gives modules line tables on both kernels). The guest side is /usr/bin/kframe2line.
import type { Machine } from "./machine.ts";
import { shellQuote } from "./agent.ts";
import { DETECTORS, type Detector } from "./console-watch.ts";

export interface ModuleFrame {
  /** As the kernel printed it, without the leading "? ": `pm2ref_queue+0x3c/0x110 [pm2ref]`. */
  frame: string;
  fn: string;
  module: string;
}

export interface SourceFrame {
  fn: string;
  module: string;
  /** The path the module was compiled from (absolute in the guest). */
  file: string;
  line: number;
}

const FRAME = /(?:^|\s)(?:\? )?([A-Za-z_][\w.]*)\+0x[0-9a-f]+\/0x[0-9a-f]+ \[(\w+)\]/;
const END = /---\[ end trace/;

/**
 * The report that starts at the last console line holding `firstLine`: its lines up to the next report, the end
 * of its trace, or `maxLines`.
 */
export function reportBlock(consoleText: string, firstLine: string, maxLines = 200): string {
  const lines = consoleText.split("\n");
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.includes(firstLine)) { start = i; break; }
  if (start < 0) return "";
  const out = [lines[start]!];
  for (let i = start + 1; i < lines.length && out.length < maxLines; i++) {
    const l = lines[i]!;
    if (DETECTORS.some(([, re]) => re.test(l))) break;
    out.push(l);
    if (END.test(l)) break;
  }
  return out.join("\n");
}

/** The frames of modules in a report, each once, in the order printed. */
export function moduleFrames(block: string): ModuleFrame[] {
  const seen = new Set<string>();
  const out: ModuleFrame[] = [];
  for (const l of block.split("\n")) {
    const m = FRAME.exec(l);
    if (!m) continue;
    const frame = m[0].trim().replace(/^\? /, "");
    if (seen.has(frame)) continue;
    seen.add(frame);
    out.push({ frame, fn: m[1]!, module: m[2]! });
  }
  return out;
}

/** kframe2line's answer: `fn+0xOFF [module] /path/file.c:LINE` per frame it placed. */
export function parseFrameLines(text: string): SourceFrame[] {
  const out: SourceFrame[] = [];
  for (const l of text.split("\n")) {
    const m = /^([A-Za-z_][\w.]*)\+0x[0-9a-f]+ \[(\w+)\] (\S+):(\d+)/.exec(l.trim());
    if (m) out.push({ fn: m[1]!, module: m[2]!, file: m[3]!, line: Number(m[4]) });
  }
  return out;
}

/** Place a report's module frames on source lines, looking for the modules' .ko files under `dir` in the guest. */
export async function reportSources(m: Pick<Machine, "exec">, block: string, dir: string): Promise<SourceFrame[]> {
  const frames = moduleFrames(block);
  if (!frames.length) return [];
  const r = await m.exec(`kframe2line ${shellQuote(dir)} ${frames.map((f) => shellQuote(f.frame)).join(" ")}`, { timeout: 60_000 });
  return r.status === "exited" ? parseFrameLines(r.stdout) : [];
}

/** What a detector's report says, for a person: the first line without the kernel's prefixes. */
export function reportTitle(detector: Detector, line: string): string {
  const text = line.replace(/^\[[\s\d.]+\]\s*/, "").replace(/^.*?(WARNING: |BUG: |DMA-API: |UBSAN: |ODEBUG: |INFO: |kmemleak: )/, "$1");
  return `${detector}: ${text.trim()}`;
}
