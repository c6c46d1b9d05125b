// An in-memory file tree that image formats (EROFS, cpio) are written from. File contents stay on disk until written.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export type TreeNode =
  | { kind: "dir"; mode: number }
  | { kind: "file"; mode: number; src?: string; data?: Uint8Array; size: number }
  | { kind: "symlink"; target: string };

/** Top-level folders that Debian's merged-/usr layout moves under /usr. */
const MERGED = new Set(["bin", "sbin", "lib", "lib32", "libx32"]);

export class FileTree {
  readonly nodes = new Map<string, TreeNode>([["", { kind: "dir", mode: 0o755 }]]);

  private ensureParents(path: string): void {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const p = parts.slice(0, i).join("/");
      const n = this.nodes.get(p);
      if (!n) this.nodes.set(p, { kind: "dir", mode: 0o755 });
      else if (n.kind !== "dir") throw new Error(`image tree: ${p} is not a directory (needed for ${path})`);
    }
  }

  add(path: string, node: TreeNode): void {
    path = path.replace(/^\/+|\/+$/g, "");
    this.ensureParents(path);
    const prev = this.nodes.get(path);
    if (prev?.kind === "dir" && node.kind === "dir") return;
    this.nodes.set(path, node);
  }

  addFile(path: string, data: Uint8Array | string, mode = 0o644): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.add(path, { kind: "file", mode, data: bytes, size: bytes.length });
  }

  addSymlink(path: string, target: string): void {
    this.add(path, { kind: "symlink", target });
  }

  /** Add everything below a host directory (an unpacked package), mapping /bin, /lib … into /usr. */
  addHostDir(hostDir: string, filter: (path: string) => boolean = () => true, usrMerge = true): void {
    const walk = (rel: string) => {
      for (const name of readdirSync(join(hostDir, rel))) {
        if (rel === "" && name === ".done") continue;
        const r = rel ? `${rel}/${name}` : name;
        let target = r;
        if (usrMerge) {
          const top = r.split("/")[0];
          if (MERGED.has(top)) target = `usr/${r}`;
        }
        if (!filter(target)) continue;
        const st = lstatSync(join(hostDir, r));
        if (st.isDirectory()) {
          this.add(target, { kind: "dir", mode: st.mode & 0o7777 });
          walk(r);
        } else if (st.isSymbolicLink()) {
          this.add(target, { kind: "symlink", target: readlinkSync(join(hostDir, r)) });
        } else if (st.isFile()) {
          this.add(target, { kind: "file", mode: st.mode & 0o7777, src: join(hostDir, r), size: st.size });
        }
      }
    };
    walk("");
  }

  remove(prefix: string): void {
    prefix = prefix.replace(/^\/+|\/+$/g, "");
    for (const p of [...this.nodes.keys()]) if (p === prefix || p.startsWith(prefix + "/")) this.nodes.delete(p);
  }

  contents(node: TreeNode): Uint8Array {
    if (node.kind !== "file") throw new Error("not a file");
    return node.data ?? readFileSync(node.src!);
  }

  /** Children of a directory, sorted by name. */
  children(dir: string): string[] {
    const out: string[] = [];
    const prefix = dir ? dir + "/" : "";
    for (const p of this.nodes.keys()) {
      if (p && p.startsWith(prefix) && !p.slice(prefix.length).includes("/")) out.push(p);
    }
    return out.sort();
  }

  totalBytes(): number {
    let n = 0;
    for (const node of this.nodes.values()) if (node.kind === "file") n += node.size;
    return n;
  }
}
