// A reader for the uncompressed EROFS images `erofs.ts` writes, written from the format description
// (Documentation/filesystems/erofs.rst) rather than from the writer, so the tests check one against the other.
import { EROFS_BLOCK, FILE_TYPE, LAYOUT } from "../src/erofs.ts";

const SUPER = 1024;
const MAGIC = 0xe0f5e1e2;
const dec = new TextDecoder();

export interface ErofsInode {
  nid: number;
  mode: number;
  nlink: number;
  layout: number;
  size: number;
  /** The first data block (0 when the file has no full block). */
  blkaddr: number;
  /** Full data blocks (the inline tail, if any, lives in the metadata area right after the inode). */
  blocks: number;
  /** Byte offset of the inode in the image; its inline tail follows it. */
  at: number;
}

export interface ErofsEntry extends ErofsInode {
  path: string;
  /** Directory entry file type: 1 file, 2 directory, 7 symlink. */
  type: number;
}

export class ErofsImage {
  private readonly dv: DataView;
  readonly metaBase: number;
  readonly rootNid: number;
  readonly blocks: number;

  constructor(readonly img: Uint8Array) {
    this.dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
    if (this.dv.getUint32(SUPER, true) !== MAGIC) throw new Error("not an EROFS image (bad magic)");
    if (1 << img[SUPER + 12] !== EROFS_BLOCK) throw new Error(`EROFS block size ${1 << img[SUPER + 12]} is not ${EROFS_BLOCK}`);
    this.blocks = this.dv.getUint32(SUPER + 36, true);
    if (this.blocks * EROFS_BLOCK !== img.length) throw new Error(`EROFS image is ${img.length} bytes, its superblock says ${this.blocks} blocks`);
    this.metaBase = this.dv.getUint32(SUPER + 40, true) * EROFS_BLOCK;
    this.rootNid = this.dv.getUint16(SUPER + 14, true);
  }

  inode(nid: number): ErofsInode {
    const at = this.metaBase + nid * 32;
    const format = this.dv.getUint16(at, true);
    if (format & 1) throw new Error(`inode ${nid}: extended inodes are not written here`);
    const layout = format >> 1;
    if (layout !== LAYOUT.plain && layout !== LAYOUT.inline) throw new Error(`inode ${nid}: data layout ${layout} is not written here`);
    const size = this.dv.getUint32(at + 8, true);
    const blocks = layout === LAYOUT.inline ? Math.floor(size / EROFS_BLOCK) : Math.ceil(size / EROFS_BLOCK);
    return { nid, at, layout, size, blocks, mode: this.dv.getUint16(at + 4, true), nlink: this.dv.getUint16(at + 6, true), blkaddr: this.dv.getUint32(at + 16, true) };
  }

  data(ino: ErofsInode): Uint8Array {
    const out = new Uint8Array(ino.size);
    const full = ino.layout === LAYOUT.inline ? ino.blocks * EROFS_BLOCK : ino.size;
    out.set(this.img.subarray(ino.blkaddr * EROFS_BLOCK, ino.blkaddr * EROFS_BLOCK + full));
    if (ino.layout === LAYOUT.inline) {
      const tail = ino.at + 32;
      if ((tail % EROFS_BLOCK) + (ino.size - full) > EROFS_BLOCK) throw new Error(`inode ${ino.nid}: inline tail crosses a block`);
      out.set(this.img.subarray(tail, tail + ino.size - full), full);
    }
    return out;
  }

  /** A directory's entries in on-disk order ("." and ".." included). */
  dir(ino: ErofsInode): Array<{ name: string; nid: number; type: number }> {
    const data = this.data(ino);
    const ddv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const out: Array<{ name: string; nid: number; type: number }> = [];
    for (let base = 0; base < data.length; base += EROFS_BLOCK) {
      const end = Math.min(data.length, base + EROFS_BLOCK);
      const n = ddv.getUint16(base + 8, true) / 12;
      for (let i = 0; i < n; i++) {
        const off = base + ddv.getUint16(base + i * 12 + 8, true);
        let stop = i + 1 < n ? base + ddv.getUint16(base + (i + 1) * 12 + 8, true) : end;
        if (i + 1 === n) { const z = data.subarray(off, end).indexOf(0); if (z >= 0) stop = off + z; }
        out.push({ name: dec.decode(data.subarray(off, stop)), nid: Number(ddv.getBigUint64(base + i * 12, true)), type: data[base + i * 12 + 10] });
      }
    }
    return out;
  }

  /** Every entry below the root, depth first, with its path. */
  *walk(nid = this.rootNid, prefix = ""): Generator<ErofsEntry> {
    for (const d of this.dir(this.inode(nid))) {
      if (d.name === "." || d.name === "..") continue;
      const entry = { ...this.inode(d.nid), path: prefix + d.name, type: d.type };
      yield entry;
      if (d.type === FILE_TYPE.dir) yield* this.walk(d.nid, `${entry.path}/`);
    }
  }
}
