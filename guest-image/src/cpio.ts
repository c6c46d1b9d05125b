// A writer for the "newc" cpio format that the kernel unpacks as an initramfs.
import type { FileTree } from "./tree.ts";

const enc = new TextEncoder();

export function writeCpio(tree: FileTree): Uint8Array {
  const chunks: Uint8Array[] = [];
  let ino = 1;
  let size = 0;
  const push = (b: Uint8Array) => { chunks.push(b); size += b.length; };
  const align4 = () => { const r = size & 3; if (r) push(new Uint8Array(4 - r)); };
  const entry = (name: string, mode: number, data: Uint8Array) => {
    const nameBytes = enc.encode(name + "\0");
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
    const fields = [ino++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0];
    push(enc.encode("070701" + fields.map(hex).join("")));
    push(nameBytes);
    align4();
    push(data);
    align4();
  };
  const paths = [...tree.nodes.keys()].filter(Boolean).sort();
  for (const p of paths) {
    const node = tree.nodes.get(p)!;
    if (node.kind === "dir") entry(p, 0o040000 | node.mode, new Uint8Array(0));
    else if (node.kind === "symlink") entry(p, 0o120000 | 0o777, enc.encode(node.target));
    else entry(p, 0o100000 | node.mode, tree.contents(node));
  }
  entry("TRAILER!!!", 0, new Uint8Array(0));
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}
