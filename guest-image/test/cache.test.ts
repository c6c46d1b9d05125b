// Cached build steps shared between processes: one makes a step, the others wait for it and use it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedDir } from "../src/cache.ts";

test("two takers of one step at once: it is made once, both get it", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "vgpu-cache-")), "step");
  let made = 0;
  const make = async (dir: string) => {
    made++;
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(dir, "out"), "x");
  };
  const [a, b] = await Promise.all([cachedDir(path, make), cachedDir(path, make)]);
  assert.equal(made, 1);
  assert.equal(a, b);
  assert.equal(readFileSync(join(a, "out"), "utf8"), "x");
  assert.ok(!existsSync(`${path}.lock`), "the turn is given back");
});

test("a turn left by a process that died is taken over; a failed step is made again next time", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "vgpu-cache-")), "step");
  mkdirSync(`${path}.lock`);
  writeFileSync(join(`${path}.lock`, "pid"), "999999999");
  await assert.rejects(cachedDir(path, () => { throw new Error("broken"); }), /broken/);
  assert.ok(!existsSync(join(path, ".done")));
  const dir = await cachedDir(path, (d) => writeFileSync(join(d, "out"), "y"));
  assert.equal(readFileSync(join(dir, "out"), "utf8"), "y");
});
