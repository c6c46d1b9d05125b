// Kernel module metadata read straight from the .ko files (ELF .modinfo), so no i386 depmod is needed on the host.
import type { FileTree } from "./tree.ts";

export function modinfo(ko: Uint8Array): Map<string, string[]> {
  const dv = new DataView(ko.buffer, ko.byteOffset, ko.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46) throw new Error("not an ELF file");
  const is64 = ko[4] === 2;
  const le = ko[5] === 1;
  const u16 = (o: number) => dv.getUint16(o, le);
  const u32 = (o: number) => dv.getUint32(o, le);
  const word = (o: number) => (is64 ? Number(dv.getBigUint64(o, le)) : u32(o));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  const sec = (i: number) => {
    const b = shoff + i * shentsize;
    return { name: u32(b), offset: word(b + (is64 ? 0x18 : 0x10)), size: word(b + (is64 ? 0x20 : 0x14)) };
  };
  const strtab = sec(shstrndx);
  const td = new TextDecoder();
  const out = new Map<string, string[]>();
  for (let i = 0; i < shnum; i++) {
    const s = sec(i);
    let end = strtab.offset + s.name;
    while (ko[end]) end++;
    if (td.decode(ko.subarray(strtab.offset + s.name, end)) !== ".modinfo") continue;
    for (const kv of td.decode(ko.subarray(s.offset, s.offset + s.size)).split("\0")) {
      const eq = kv.indexOf("=");
      if (eq <= 0) continue;
      const k = kv.slice(0, eq);
      out.set(k, [...(out.get(k) ?? []), kv.slice(eq + 1)]);
    }
  }
  return out;
}

export interface ModuleIndex {
  /** module name (dashes as underscores) → path relative to /lib/modules/<release>/ */
  path: Map<string, string>;
  depends: Map<string, string[]>;
  aliases: Array<[string, string]>;
  /** Modules compiled into the kernel (modules.builtin): dependencies on them need nothing loaded. */
  builtin: Set<string>;
}

/** Index the .ko files under lib/modules/<release>/ in a tree. */
export function indexModules(tree: FileTree, modDir: string): ModuleIndex {
  const path = new Map<string, string>();
  const depends = new Map<string, string[]>();
  const aliases: Array<[string, string]> = [];
  const builtin = new Set<string>();
  const b = tree.nodes.get(`${modDir}/modules.builtin`);
  if (b?.kind === "file") {
    for (const line of new TextDecoder().decode(tree.contents(b)).split("\n")) {
      if (line) builtin.add(line.slice(line.lastIndexOf("/") + 1, -3).replace(/-/g, "_"));
    }
  }
  for (const [p, node] of tree.nodes) {
    if (!p.startsWith(modDir + "/") || !p.endsWith(".ko") || node.kind !== "file") continue;
    const name = p.slice(p.lastIndexOf("/") + 1, -3).replace(/-/g, "_");
    const info = modinfo(tree.contents(node));
    path.set(name, p.slice(modDir.length + 1));
    depends.set(name, (info.get("depends")?.[0] ?? "").split(",").filter(Boolean).map((d) => d.replace(/-/g, "_")));
    for (const a of info.get("alias") ?? []) aliases.push([a, name]);
  }
  return { path, depends, aliases, builtin };
}

/** The modules needed to load `wanted`, dependencies first. */
export function loadOrder(idx: ModuleIndex, wanted: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (m: string, from: string) => {
    m = m.replace(/-/g, "_");
    if (seen.has(m) || idx.builtin.has(m)) return;
    seen.add(m);
    if (!idx.path.has(m)) throw new Error(`kernel module ${m} (needed by ${from}) is not in the image; add its folder to keepKernelModules`);
    for (const d of idx.depends.get(m) ?? []) visit(d, m);
    out.push(m);
  };
  for (const w of wanted) visit(w, "recipe");
  return out;
}

/** modules.dep and modules.alias text, in the format kmod reads. */
export function depmodFiles(idx: ModuleIndex): { dep: string; alias: string } {
  const lines: string[] = [];
  for (const [name, p] of [...idx.path].sort()) {
    const deps: string[] = [];
    const walk = (m: string) => {
      for (const d of idx.depends.get(m) ?? []) {
        const dp = idx.path.get(d);
        if (dp && !deps.includes(dp)) { deps.push(dp); walk(d); }
      }
    };
    walk(name);
    lines.push(`${p}:${deps.length ? " " + deps.join(" ") : ""}`);
  }
  const alias = idx.aliases.map(([a, m]) => `alias ${a} ${m}`).join("\n");
  return { dep: lines.join("\n") + "\n", alias: alias + "\n" };
}
