import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { coalesceRanges, readRanges } from "../src/disk-prefetch.ts";

test("disk prefetch: reads become sorted whole-block ranges, near ones merged, far ones kept apart", () => {
  const reads: Array<[number, number]> = [[8192, 4096], [0, 512], [4096, 100], [1 << 20, 512], [12288, 0], [(1 << 20) + 600, 10]];
  assert.deepEqual(coalesceRanges(reads, 0), [[0, 512], [4096, 256], [8192, 4096], [1 << 20, 768]], "touching ranges merge");
  assert.deepEqual(coalesceRanges(reads, 4096), [[0, 12288], [1 << 20, 768]]);
  assert.deepEqual(coalesceRanges([[100, 10], [50, 10]]), [[0, 256]], "overlapping blocks become one");
});

test("disk prefetch: the packed bytes are the ranges' bytes in order, and a short image is an error", () => {
  const img = new Uint8Array(4096).map((_, i) => i & 255);
  const path = join(mkdtempSync(join(tmpdir(), "vgpu-pf-")), "disk.img");
  writeFileSync(path, img);
  const data = readRanges(path, [[256, 256], [1024, 512]]);
  assert.deepEqual(data, new Uint8Array([...img.subarray(256, 512), ...img.subarray(1024, 1536)]));
  assert.throws(() => readRanges(path, [[3840, 512]]), /ends before 4352/);
});
