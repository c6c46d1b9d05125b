// A writer for romfs (Documentation/filesystems/romfs.rst): the simplest read-only block filesystem Linux mounts.
// Chosen because it is written in a few lines without root or host tools; its cost (no owners, times or modes
// beyond the exec bit) does not matter for a read-only system root.
import type { FileTree, TreeNode } from "./tree.ts";

const ALIGN = 16;
const TYPE = { hardlink: 0, dir: 1, file: 2, symlink: 3 } as const;
const EXEC = 8;
const pad = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1);
const enc = new TextEncoder();

function headerSize(name: string): number {
  return 16 + pad(enc.encode(name).length + 1);
}

function dataSize(tree: FileTree, node: TreeNode): number {
  if (node.kind === "file") return node.size;
  if (node.kind === "symlink") return enc.encode(node.target).length;
  return 0;
}

/** Build a romfs image of `tree`. The root directory is the first header after the superblock. */
export function writeRomfs(tree: FileTree, volume = "vgpu-lab"): Uint8Array {
  // Pass 1: offsets. Root header ".", then each directory's entries in depth-first order.
  const offset = new Map<string, number>();
  const order: Array<{ path: string; name: string }> = [];
  let pos = headerSize(volume); // superblock: 16 bytes + padded volume name
  const rootPos = pos;
  pos += headerSize(".");
  const place = (dir: string) => {
    const kids = tree.children(dir);
    for (const k of kids) {
      const node = tree.nodes.get(k)!;
      const name = k.slice(k.lastIndexOf("/") + 1);
      offset.set(k, pos);
      order.push({ path: k, name });
      pos += headerSize(name) + pad(dataSize(tree, node));
    }
    for (const k of kids) if (tree.nodes.get(k)!.kind === "dir") place(k);
  };
  place("");
  const total = pad(Math.max(pos, 1024));
  const img = new Uint8Array(total);
  const dv = new DataView(img.buffer);

  const writeHeader = (at: number, name: string, next: number, type: number, spec: number, size: number) => {
    dv.setUint32(at, next | type, false);
    dv.setUint32(at + 4, spec, false);
    dv.setUint32(at + 8, size, false);
    img.set(enc.encode(name), at + 16);
    let sum = 0;
    for (let i = 0; i < headerSize(name); i += 4) sum = (sum + dv.getUint32(at + i, false)) >>> 0;
    dv.setUint32(at + 12, (-sum) >>> 0, false);
  };

  const firstChild = (dir: string) => {
    const kids = tree.children(dir);
    return kids.length ? offset.get(kids[0])! : 0;
  };

  // Root "." header: a directory whose listing starts at the first root entry.
  writeHeader(rootPos, ".", 0, TYPE.dir | EXEC, firstChild(""), 0);
  // Entries: `next` links siblings within a directory.
  const nextSibling = new Map<string, number>();
  for (const dir of ["", ...[...tree.nodes.keys()].filter((p) => p && tree.nodes.get(p)!.kind === "dir")]) {
    const kids = tree.children(dir);
    for (let i = 0; i < kids.length; i++) nextSibling.set(kids[i], i + 1 < kids.length ? offset.get(kids[i + 1])! : 0);
  }
  for (const { path, name } of order) {
    const node = tree.nodes.get(path)!;
    const at = offset.get(path)!;
    const next = nextSibling.get(path)!;
    const dataAt = at + headerSize(name);
    if (node.kind === "dir") {
      writeHeader(at, name, next, TYPE.dir | EXEC, firstChild(path), 0);
    } else if (node.kind === "symlink") {
      const t = enc.encode(node.target);
      writeHeader(at, name, next, TYPE.symlink, 0, t.length);
      img.set(t, dataAt);
    } else {
      const data = tree.contents(node);
      writeHeader(at, name, next, TYPE.file | (node.mode & 0o111 ? EXEC : 0), 0, data.length);
      img.set(data, dataAt);
    }
  }
  // Superblock.
  img.set(enc.encode("-rom1fs-"), 0);
  dv.setUint32(8, total, false);
  img.set(enc.encode(volume), 16);
  let sum = 0;
  for (let i = 0; i < 512; i += 4) sum = (sum + dv.getUint32(i, false)) >>> 0;
  dv.setUint32(12, (-sum) >>> 0, false);
  return img;
}
