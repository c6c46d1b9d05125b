// Integration: the student's starter project (kmod/starter/project.ts) builds in the real guest without a
// warning, loads, binds the card and gives /dev/pm2ref0; the course's tests run against it and fail cleanly
// (the skeleton implements nothing yet); it unloads without a trace in the kernel log; the page's warm-up build
// leaves the project alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Machine } from "../../vcd/machine/machine.ts";
import { PROJECT_DIR, startNodeMachine } from "../../vcd/machine/node-host.ts";
import { STARTER_MODULE, starterFiles } from "../starter/project.ts";
import { parseTap } from "../../bin/tap.ts";
import { WARM_UP_LOG, waitWarmUpScript, warmUpScript } from "../../vcd/machine/warm-up.ts";

let m: Machine;
before(async () => {
  m = await startNodeMachine();
  for (const [path, data] of starterFiles((f) => readFileSync(join(PROJECT_DIR, f)))) await m.putFile(`starter/${path}`, data);
});
after(async () => { await m?.destroy(); });

const sh = (c: string, timeout = 600_000) => m.exec(c, { timeout, cwd: "/work/starter" });

test("the starter project builds without a warning, loads and binds the card", async () => {
  const build = await sh("make 2>&1");
  assert.equal(build.exitCode, 0, build.stdout.slice(-3000));
  assert.doesNotMatch(build.stdout, /warning:|error:/i, build.stdout);
  const load = await sh(`dmesg -C; insmod ${STARTER_MODULE} && lspci -k -d 3d3d:0009 && test -c /dev/pm2ref0 && echo node-ok`);
  assert.equal(load.exitCode, 0, load.stdout + load.stderr);
  assert.match(load.stdout, /Kernel driver in use: pm2ref/);
  assert.match(load.stdout, /node-ok/);
});

test("the course's tests run against the skeleton as TAP and fail cleanly", async () => {
  const r = await sh("sh test.sh -n 10", 300_000);
  assert.equal(r.status, "exited", r.consoleTail);
  assert.notEqual(r.exitCode, 0, "the skeleton implements nothing, so the tests fail");
  const tap = parseTap(r.stdout);
  assert.ok(tap.tests.length > 0, r.stdout);
  assert.ok(tap.tests.some((t) => !t.ok), r.stdout);
});

test("the starter unloads without a trace in the kernel log", async () => {
  const r = await sh(`rmmod pm2ref && ! test -e /dev/pm2ref0 && dmesg`);
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /WARNING|BUG|Oops|nobody cared/, r.stdout);
});

test("the page's warm-up builds a private copy of the project and leaves the project's files and dates alone", async () => {
  const dir = "/work/starter";
  assert.equal((await sh(`touch /tmp/before-warm-up && test -s ${STARTER_MODULE}`)).exitCode, 0, "the first test built the module");
  const start = await m.exec(warmUpScript(dir));
  assert.equal(start.exitCode, 0, start.stdout + start.stderr);
  const wait = await m.exec(waitWarmUpScript(600), { timeout: 700_000 });
  assert.equal(wait.exitCode, 0, "the warm-up ended");
  const log = await m.exec(`cat ${WARM_UP_LOG}`);
  assert.match(log.stdout, /LD \[M\]\s+\/work\/starter\/pm2ref\.ko/, "it compiled and linked the module, at the project's own path");
  assert.match(log.stdout, /warm-up exit 0/, log.stdout);
  const after = await sh(`find ${dir} -newer /tmp/before-warm-up; echo ---; test -e /tmp/vgpu-warm && echo copy-left; grep -c ' ${dir} ' /proc/self/mountinfo`);
  assert.equal(after.stdout.trim(), "---\n0", "nothing in the project changed, the copy is gone, no mount is left");
});
