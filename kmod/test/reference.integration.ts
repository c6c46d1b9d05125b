// Integration: the reference driver (kmod/reference) built with kbuild in the real guest, loaded,
// and its TAP tests run (the test programs built on the host: programs.ts); the triangle frames the
// guest dumped match the card model's own rendering of the same command streams.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Machine } from "../../vcd/machine/machine.ts";
import { copyDirIn, PROJECT_DIR, startNodeMachine } from "../../vcd/machine/node-host.ts";
import { replayStream } from "../../vcd/card/replay.ts";
import { permedia2v } from "../../vcd/card/variants/permedia2v.ts";
import { parseTap, tapProblems } from "../../bin/tap.ts";
import { hostPrograms, putPrograms } from "./programs.ts";

let m: Machine;
before(async () => {
  m = await startNodeMachine();
  await copyDirIn(m, join(PROJECT_DIR, "kmod"), "kmod");
  await putPrograms(m, await hostPrograms());
});
after(async () => { await m?.destroy(); });

test("the reference driver builds, loads, draws by DMA in timed and burst mode, and survives unload cycles", async () => {
  const sh = (c: string, t = 900_000) => m.exec(c, { timeout: t });
  const build = await sh("make -s -C /work/kmod/reference 2>&1");
  assert.equal(build.exitCode, 0, build.stdout.slice(-3000));
  const r = await sh([
    "dmesg -C; insmod /work/kmod/reference/pm2ref.ko",
    "for b in 0 1; do echo $b > /sys/module/vgpu/parameters/burst; timeout -s KILL 120 /work/kmod/tests/tri-bench -q -n 5000 -h 20 || echo tri-bench-failed; done",
    "for i in 1 2 3; do rmmod pm2ref && insmod /work/kmod/reference/pm2ref.ko || echo cycle-failed; done",
    "timeout -s KILL 120 /work/kmod/tests/tri-bench -q -n 500 -h 100 || echo tri-bench-failed",
    "rmmod pm2ref; echo 0 > /sys/module/vgpu/parameters/burst; dmesg",
  ].join("\n"), 600_000);
  assert.equal(r.status, "exited", r.consoleTail);
  assert.doesNotMatch(r.stdout, /failed/, r.stdout);
  assert.equal((r.stdout.match(/^20 5000 [0-9.]+ [0-9.]+$/gm) ?? []).length, 2, r.stdout);
  assert.match(r.stdout, /^100 500 /m);
  assert.doesNotMatch(r.stdout, /WARNING|BUG|Oops|nobody cared/, r.stdout);
});

test("the reference driver builds, loads, and every TAP test passes", async () => {
  const r = await m.exec("cd /work/kmod/tests && sh run-tests.sh -n 5000 -o /work/kmod/out 2>&1", { timeout: 1_500_000 });
  const tap = r.stdout;
  assert.equal(r.status, "exited", tap.slice(-3000));
  assert.deepEqual(tapProblems(parseTap(tap)), [], tap.slice(-6000));
  assert.match(tap, /^ {4}ok \d+ - burst: all 10000 buffers drawn, none lost/m, "the burst stress ran with 2 x 5000 buffers");
  assert.equal(r.exitCode, 0, tap.slice(-3000));
});

for (const name of ["triangle", "triangles300"]) {
  test(`the ${name} frame drawn through the driver matches the card model's rendering`, async () => {
    const words = await m.getFile(`kmod/out/${name}.stream`);
    const fb = await m.getFile(`kmod/out/${name}.fb`);
    assert.ok(words.length > 0 && fb.length === 640 * 480 * 4, `dumps exist (${fb.length} bytes)`);
    const stream = new Uint32Array(words.buffer.slice(words.byteOffset, words.byteOffset + words.length));
    const card = replayStream(permedia2v, stream);
    const ref = card.vram.subarray(0, fb.length);
    let differing = 0, first = -1;
    for (let i = 0; i < fb.length; i += 4) {
      if (fb[i] !== ref[i] || fb[i + 1] !== ref[i + 1] || fb[i + 2] !== ref[i + 2]) {
        if (first < 0) first = i / 4;
        differing++;
      }
    }
    assert.equal(differing, 0, `first differing pixel at (${first % 640}, ${Math.floor(first / 640)})`);
  });
}
