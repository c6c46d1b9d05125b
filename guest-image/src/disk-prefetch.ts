// The disk prefetch a saved state carries. The state is taken with an empty page cache, which keeps it small (the
// compiler alone is 24 MB of cached pages), so a student's first build reads what it needs from the system disk:
// about a thousand reads, each an HTTP range request in the browser, where v86 caches nothing it reads. Instead,
// the host records the disk reads of one build in the guest the state is taken from, and packs those ranges into
// one compressed file. After a restore, the machine fetches it in the background, once the shell is usable, and
// seeds v86's disk cache with it (`Machine.diskPrefetched`), so the first build reads from memory.
import { closeSync, openSync, readSync } from "node:fs";
import { V86_DISK_CACHE_BLOCK as DISK_CACHE_BLOCK } from "../../vcd/machine/v86-adapter.ts";

export type Range = [offset: number, length: number];

/**
 * Sorted, non-overlapping ranges covering `reads`, widened to whole blocks of v86's disk cache; ranges closer than `gap` bytes are
 * merged, since a few unread bytes cost less than another range in the pack's index.
 */
export function coalesceRanges(reads: Iterable<readonly [number, number]>, gap = 16 * 1024): Range[] {
  const sorted = [...reads]
    .filter(([, len]) => len > 0)
    .map(([off, len]): Range => {
      const start = Math.floor(off / DISK_CACHE_BLOCK) * DISK_CACHE_BLOCK;
      return [start, Math.ceil((off + len) / DISK_CACHE_BLOCK) * DISK_CACHE_BLOCK - start];
    })
    .sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [off, len] of sorted) {
    const last = out[out.length - 1];
    if (last && off <= last[0] + last[1] + gap) last[1] = Math.max(last[1], off + len - last[0]);
    else out.push([off, len]);
  }
  return out;
}

/** The bytes of `ranges` from the disk image at `path`, one after the other. */
export function readRanges(path: string, ranges: Range[]): Uint8Array {
  const out = new Uint8Array(ranges.reduce((n, [, len]) => n + len, 0));
  const fd = openSync(path, "r");
  try {
    let at = 0;
    for (const [off, len] of ranges) {
      if (readSync(fd, out, at, len, off) !== len) throw new Error(`disk prefetch: ${path} ends before ${off + len}`);
      at += len;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
