// A writer for uncompressed EROFS (the kernel's Documentation/filesystems/erofs.rst; on-disk structures in
// fs/erofs/erofs_fs.h), the read-only filesystem the system root is written in. Why EROFS and not something
// simpler: it reads file data with readahead, straight into the file's page cache in large requests, and looks a
// name up by binary search in sorted directory blocks. See guest-image/README.md for the measurements.
//
// Layout: block 0 holds the superblock (at byte 1024); the metadata area starts at block 1 and holds every inode
// (32-byte compact form, root first so its number fits the superblock's 16-bit field), each followed by its
// file's last partial block when that fits in the same block ("tail packing"); then the data area, the full
// blocks of each file, in the same order. Inodes and data follow the tree breadth-first, so a directory's entries
// sit together. Owners are root, times the image's build time (compact inodes share the superblock's).
import type { FileTree, TreeNode } from "./tree.ts";

export const EROFS_BLOCK = 4096; // Linux 6.1 mounts EROFS only with the block size equal to the page size
const SUPER_OFFSET = 1024;
const MAGIC = 0xe0f5e1e2;
const INODE_SIZE = 32;
const DIRENT_SIZE = 12;
const META_BLOCK = 1;
/** Data layouts (bits 1-3 of i_format): data in blocks, or blocks plus a tail right after the inode. */
export const LAYOUT = { plain: 0, inline: 2 } as const;
export const FILE_TYPE = { file: 1, dir: 2, symlink: 7 } as const;
const S_IF = { file: 0o100000, dir: 0o040000, symlink: 0o120000 } as const;
const enc = new TextEncoder();

interface Entry {
  path: string;
  node: TreeNode;
  parent: number;
  name: Uint8Array;
  kids: number[];
  size: number;
  inline: boolean;
  nid: number;
  blkaddr: number;
}

function byteCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** A directory's entries, "." and ".." included, in byte order (lookups binary-search it), cut into blocks. */
function dirBlocks(entries: Entry[], self: number): Array<Array<{ name: Uint8Array; entry: number }>> {
  const e = entries[self];
  const list = [
    { name: enc.encode("."), entry: self },
    { name: enc.encode(".."), entry: e.parent },
    ...e.kids.map((k) => ({ name: entries[k].name, entry: k })),
  ].sort((a, b) => byteCompare(a.name, b.name));
  const blocks: Array<typeof list> = [[]];
  let used = 0;
  for (const d of list) {
    if (used + DIRENT_SIZE + d.name.length > EROFS_BLOCK) { blocks.push([]); used = 0; }
    blocks[blocks.length - 1].push(d);
    used += DIRENT_SIZE + d.name.length;
  }
  return blocks;
}

const blockUsed = (b: Array<{ name: Uint8Array }>) => b.reduce((n, d) => n + DIRENT_SIZE + d.name.length, 0);

function fileType(node: TreeNode): number {
  return FILE_TYPE[node.kind];
}

/** Build an EROFS image of `tree`. `buildTime` (seconds) is every inode's time. */
export function writeErofs(tree: FileTree, { volume = "vgpu-lab", buildTime = 0 } = {}): Uint8Array {
  // The tree, breadth-first: each directory's entries get consecutive inodes.
  const byParent = new Map<string, string[]>();
  for (const p of tree.nodes.keys()) {
    if (!p) continue;
    const parent = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "";
    (byParent.get(parent) ?? byParent.set(parent, []).get(parent)!).push(p);
  }
  const entries: Entry[] = [];
  const add = (path: string, parent: number): number => {
    const node = tree.nodes.get(path)!;
    entries.push({ path, node, parent, name: enc.encode(path.slice(path.lastIndexOf("/") + 1)), kids: [], size: 0, inline: false, nid: 0, blkaddr: 0 });
    return entries.length - 1;
  };
  add("", 0);
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].node.kind !== "dir") continue;
    const kids = (byParent.get(entries[i].path) ?? []).sort();
    for (const k of kids) entries[i].kids.push(add(k, i));
  }

  // Sizes, then inode places: a tail goes inline when it fits after its inode, or when moving to the next
  // metadata block wastes less than padding the tail to a data block would.
  const dirs = new Map<number, ReturnType<typeof dirBlocks>>();
  entries.forEach((e, i) => {
    if (e.node.kind === "file") e.size = e.node.size;
    else if (e.node.kind === "symlink") e.size = enc.encode(e.node.target).length;
    else {
      const blocks = dirBlocks(entries, i);
      dirs.set(i, blocks);
      e.size = (blocks.length - 1) * EROFS_BLOCK + blockUsed(blocks[blocks.length - 1]);
    }
  });
  const metaBase = META_BLOCK * EROFS_BLOCK;
  let pos = metaBase;
  for (const e of entries) {
    const tail = e.size % EROFS_BLOCK;
    const room = EROFS_BLOCK - (pos % EROFS_BLOCK);
    if (tail && INODE_SIZE + tail <= room) e.inline = true;
    else if (tail && INODE_SIZE + tail <= EROFS_BLOCK && room < EROFS_BLOCK - tail) {
      pos += room;
      e.inline = true;
    }
    e.nid = (pos - metaBase) / INODE_SIZE;
    pos += INODE_SIZE + (e.inline ? tail : 0);
    pos = (pos + INODE_SIZE - 1) & ~(INODE_SIZE - 1);
  }
  if (entries[0].nid !== 0) throw new Error("erofs: the root inode must come first");
  let nextBlock = Math.ceil(pos / EROFS_BLOCK);
  for (const e of entries) {
    const blocks = e.inline ? Math.floor(e.size / EROFS_BLOCK) : Math.ceil(e.size / EROFS_BLOCK);
    e.blkaddr = blocks ? nextBlock : 0;
    nextBlock += blocks;
  }
  const totalBlocks = nextBlock;
  if (totalBlocks * EROFS_BLOCK > 2 ** 32) throw new Error("erofs: images over 4 GiB need extended inodes");

  const img = new Uint8Array(totalBlocks * EROFS_BLOCK);
  const dv = new DataView(img.buffer);
  const dirData = (i: number): Uint8Array => {
    const blocks = dirs.get(i)!;
    const out = new Uint8Array(entries[i].size);
    blocks.forEach((b, bi) => {
      const base = bi * EROFS_BLOCK;
      let nameAt = b.length * DIRENT_SIZE;
      b.forEach((d, di) => {
        const at = base + di * DIRENT_SIZE;
        const target = entries[d.entry];
        new DataView(out.buffer).setBigUint64(at, BigInt(target.nid), true);
        new DataView(out.buffer).setUint16(at + 8, nameAt, true);
        out[at + 10] = fileType(target.node);
        out.set(d.name, base + nameAt);
        nameAt += d.name.length;
      });
    });
    return out;
  };
  entries.forEach((e, i) => {
    const node = e.node;
    let data: Uint8Array;
    if (node.kind === "file") {
      data = tree.contents(node);
      if (data.length !== e.size) throw new Error(`erofs: ${e.path} changed size while the image was written`);
    } else if (node.kind === "symlink") data = enc.encode(node.target);
    else data = dirData(i);
    const at = metaBase + e.nid * INODE_SIZE;
    const full = e.inline ? Math.floor(e.size / EROFS_BLOCK) * EROFS_BLOCK : e.size;
    img.set(data.subarray(0, full), e.blkaddr * EROFS_BLOCK);
    if (e.inline) img.set(data.subarray(full), at + INODE_SIZE);
    const perm = node.kind === "symlink" ? 0o777 : node.mode & 0o7777;
    const nlink = node.kind === "dir" ? 2 + e.kids.filter((k) => entries[k].node.kind === "dir").length : 1;
    dv.setUint16(at, (e.inline ? LAYOUT.inline : LAYOUT.plain) << 1, true); // i_format: compact inode
    dv.setUint16(at + 2, 0, true); // no extended attributes
    dv.setUint16(at + 4, S_IF[node.kind] | perm, true);
    dv.setUint16(at + 6, Math.min(nlink, 0xffff), true);
    dv.setUint32(at + 8, e.size, true);
    dv.setUint32(at + 16, e.blkaddr, true);
    dv.setUint32(at + 20, i + 1, true); // i_ino
  });

  const sb = SUPER_OFFSET;
  dv.setUint32(sb, MAGIC, true);
  img[sb + 12] = Math.log2(EROFS_BLOCK);
  dv.setUint16(sb + 14, entries[0].nid, true);
  dv.setBigUint64(sb + 16, BigInt(entries.length), true);
  dv.setBigUint64(sb + 24, BigInt(buildTime), true);
  dv.setUint32(sb + 36, totalBlocks, true);
  dv.setUint32(sb + 40, META_BLOCK, true);
  img.set(enc.encode(volume).subarray(0, 16), sb + 64);
  return img;
}
