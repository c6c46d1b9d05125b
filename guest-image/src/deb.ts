// Fetch pinned .debs, verify them against the lock file, and unpack their data members without root.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { httpGet } from "./mirror.ts";
import { cachePath, cachedDir, sha256, writeAtomic } from "./cache.ts";
import type { LockedPackage } from "./recipe.ts";

const REFRESH_HINT = "The mirror may have moved on (Debian drops superseded builds): run `npx vgpu-lab image lock` to refresh the pins.";

/** Path of a verified .deb in the cache, downloading it if needed. */
export async function fetchDeb(mirror: string, p: LockedPackage): Promise<string> {
  const path = cachePath("debs", `${p.sha256}.deb`);
  if (existsSync(path)) {
    if (sha256(readFileSync(path)) === p.sha256) return path;
    rmSync(path); // corrupt cache entry: discard, fetch again
  }
  let data: Uint8Array;
  try {
    data = await httpGet(`${mirror}/${p.filename}`, `package ${p.name} ${p.version}`);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${REFRESH_HINT}`);
  }
  const got = sha256(data);
  if (got !== p.sha256) {
    throw new Error(`SHA-256 mismatch for package ${p.name} ${p.version} (${p.filename}): expected ${p.sha256}, got ${got}. ${REFRESH_HINT}`);
  }
  writeAtomic(path, data);
  return path;
}

export async function fetchAll(mirror: string, pkgs: LockedPackage[], progress: (done: number, total: number, name: string) => void): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let next = 0, done = 0;
  const worker = async () => {
    while (next < pkgs.length) {
      const p = pkgs[next++];
      out.set(p.name, await fetchDeb(mirror, p));
      progress(++done, pkgs.length, p.name);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out;
}

/** Members of an `ar` archive (the .deb container). */
export function arMembers(buf: Uint8Array): Map<string, Uint8Array> {
  const magic = new TextDecoder().decode(buf.subarray(0, 8));
  if (magic !== "!<arch>\n") throw new Error("not a .deb (ar) archive");
  const out = new Map<string, Uint8Array>();
  let off = 8;
  const td = new TextDecoder();
  while (off + 60 <= buf.length) {
    const name = td.decode(buf.subarray(off, off + 16)).trim().replace(/\/$/, "");
    const size = parseInt(td.decode(buf.subarray(off + 48, off + 58)).trim(), 10);
    out.set(name, buf.subarray(off + 60, off + 60 + size));
    off += 60 + size + (size & 1);
  }
  return out;
}

/** Unpack a .deb's data member into a cached directory (keyed by the .deb's SHA-256). */
export async function unpackDeb(debPath: string, p: LockedPackage): Promise<string> {
  return cachedDir(cachePath("unpacked", p.sha256), (dir) => {
    const members = arMembers(readFileSync(debPath));
    const name = [...members.keys()].find((n) => n.startsWith("data.tar"));
    if (!name) throw new Error(`package ${p.name} ${p.version}: no data.tar member`);
    const flag = name.endsWith(".xz") ? "-J" : name.endsWith(".gz") ? "-z" : name.endsWith(".zst") ? "--zstd" : "";
    try {
      execFileSync("tar", ["-x", ...(flag ? [flag] : []), "--no-same-owner", "--no-same-permissions", "-C", dir],
        { input: members.get(name), maxBuffer: 1 << 30, stdio: ["pipe", "ignore", "pipe"] });
    } catch (e) {
      throw new Error(`unpacking ${p.name} ${p.version} (${name}) failed: ${(e as Error).message}. ` +
        `The build needs GNU tar with xz support (Debian packages tar and xz-utils).`);
    }
  });
}

export function unpackedPath(p: LockedPackage): string {
  return join(cachePath("unpacked", p.sha256));
}
