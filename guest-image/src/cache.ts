// Content-addressed cache for image build steps: each step's output lives under a key made from its inputs.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "./recipe.ts";

export const CACHE_DIR = process.env.VGPU_CACHE ?? join(PROJECT_DIR, ".cache");
export const BUILD_DIR = process.env.VGPU_BUILD ?? join(PROJECT_DIR, "build");

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export function keyOf(...parts: unknown[]): string {
  return sha256(JSON.stringify(parts)).slice(0, 24);
}

export function cachePath(...segments: string[]): string {
  const p = join(CACHE_DIR, ...segments);
  mkdirSync(join(p, ".."), { recursive: true });
  return p;
}

/** Write a file so that a reader never sees half of it. */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * A directory step: `make(dir)` fills a fresh directory; a `.done` marker records success. Processes that want the
 * same step at once (test files side by side, a background kernel build) take turns: one makes it, the others wait
 * and use it. A turn held by a process that has died is taken over.
 */
export async function cachedDir(path: string, make: (dir: string) => Promise<void> | void): Promise<string> {
  if (existsSync(join(path, ".done"))) return path;
  const release = await takeTurn(`${path}.lock`);
  try {
    if (existsSync(join(path, ".done"))) return path;
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path, { recursive: true });
    await make(path);
    writeFileSync(join(path, ".done"), new Date().toISOString() + "\n");
    return path;
  } finally {
    release();
  }
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; } };

/** A lock between processes: a directory made atomically, holding its owner's pid. */
async function takeTurn(lock: string): Promise<() => void> {
  mkdirSync(join(lock, ".."), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let owner = NaN;
    try { owner = Number(readFileSync(join(lock, "pid"), "utf8")); } catch { /* being made or removed */ }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(lock, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 500));
  }
}

/** A file step keyed by its inputs, with a recorded digest so a corrupt entry is discarded, never used. */
export async function cachedFile(path: string, make: () => Promise<Uint8Array> | Uint8Array): Promise<Uint8Array> {
  const digestPath = `${path}.sha256`;
  if (existsSync(path) && existsSync(digestPath)) {
    const data = readFileSync(path);
    if (sha256(data) === readFileSync(digestPath, "utf8").trim()) return data;
    rmSync(path, { force: true });
  }
  const data = await make();
  writeAtomic(path, data);
  writeAtomic(digestPath, sha256(data) + "\n");
  return data;
}
