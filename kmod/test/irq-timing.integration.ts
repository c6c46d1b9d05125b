// Integration: the card's interrupt timing against the paper's bug. The racy variant of the reference driver (the
// queue lock taken with spin_lock() instead of spin_lock_irq() in the ioctl paths, while the interrupt handler takes
// it too) passes everything with prompt interrupts; with adversarial ones its first submission deadlocks, and the
// host names the handler. The unmodified reference driver passes its TAP suite with adversarial and random timing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Machine } from "../../vcd/machine/machine.ts";
import { copyDirIn, PROJECT_DIR, startNodeMachine } from "../../vcd/machine/node-host.ts";
import { parseTap, tapProblems } from "../../bin/tap.ts";
import { racyVariant } from "./racy.ts";
import { hostPrograms, putPrograms } from "./programs.ts";

let m: Machine;
before(async () => {
  m = await startNodeMachine({ irqTiming: "adversarial" });
  await copyDirIn(m, join(PROJECT_DIR, "kmod"), "kmod");
  await m.putFile("kmod/racy/pm2ref.c", racyVariant(readFileSync(join(PROJECT_DIR, "kmod/reference/pm2ref.c"), "utf8")));
  await m.putFile("kmod/racy/Makefile", readFileSync(join(PROJECT_DIR, "kmod/reference/Makefile")));
  await putPrograms(m, await hostPrograms());
});
after(async () => { await m?.destroy(); });

const SUBMIT_AND_WAIT = [
  "insmod /work/kmod/racy/pm2ref.ko",
  "echo 1 > /sys/module/vgpu/parameters/burst",
  "for j in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/pm2ref0 ] && break; sleep 0.2; done",
  "/work/kmod/tests/tri-bench -q -c -n 1 -h 20", // one buffer, submitted by copy, and waited for
].join(" && ");

test("the racy variant builds; with prompt interrupts its first submission completes", async () => {
  const build = await m.exec("make -s -C /work/kmod/racy 2>&1", { timeout: 900_000 });
  assert.equal(build.exitCode, 0, build.stdout.slice(-3000));
  m.platform.setIrqTiming("prompt");
  const r = await m.exec(`${SUBMIT_AND_WAIT}; rmmod pm2ref`, { timeout: 120_000 });
  assert.equal(r.status, "exited", r.consoleTail);
  assert.match(r.stdout, /^20 1 /m, r.stdout + r.stderr);
});

test("with adversarial interrupts the racy variant's first submission deadlocks, named, 5 runs out of 5", async () => {
  m.platform.setIrqTiming("adversarial");
  for (let run = 1; run <= 5; run++) {
    const t0 = Date.now();
    const r = await m.exec(SUBMIT_AND_WAIT, { timeout: 120_000 });
    assert.equal(r.status, "deadlock", `run ${run}: ${r.status} ${r.stdout}${r.stderr}\n${r.consoleTail ?? ""}`);
    const e = r.deadlock!;
    assert.equal(e.module, "pm2ref", e.line);
    assert.equal(e.symbol, "pm2ref_irq", `the interrupt handler spins on the lock its interrupted caller holds: ${e.line}`);
    assert.ok(e.irqsOffMs >= 1000, e.line);
    if (run === 1) assert.match(e.line, /spin_lock|pm2ref_irq/, e.line);
    console.log(`# run ${run}: ${e.line} (caught and restored in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  // The machine is back, and works.
  const ok = await m.exec("echo alive; lsmod | grep -c pm2ref || true");
  assert.equal(ok.status, "exited");
  assert.match(ok.stdout, /^alive\n0$/m);
});

for (const [mode, how] of [["adversarial", "the host setting"], ["random", "the guest's module parameter"]] as const) {
  test(`the reference driver passes its TAP suite with ${mode} interrupts (set by ${how})`, async () => {
    m.platform.setIrqTiming("prompt");
    const set = mode === "random"
      ? "echo 2024 > /sys/module/vgpu/parameters/irq_seed && echo random > /sys/module/vgpu/parameters/irq_timing && cat /sys/module/vgpu/parameters/irq_timing && "
      : "";
    if (mode === "adversarial") m.platform.setIrqTiming("adversarial");
    const r = await m.exec(`${set}cd /work/kmod/tests && sh run-tests.sh -n 500 -o /work/kmod/out-${mode} 2>&1; cat /sys/module/vgpu/parameters/irq_timing`, { timeout: 1_500_000 });
    const tap = r.stdout;
    assert.equal(r.status, "exited", `${r.status}: ${r.deadlock?.line ?? ""}\n${tap.slice(-3000)}\n${r.consoleTail ?? ""}`);
    assert.deepEqual(tapProblems(parseTap(tap)), [], tap.slice(-6000));
    assert.equal(r.exitCode, 0, tap.slice(-3000));
    assert.deepEqual(m.platform.irqTiming, mode === "random" ? { mode, seed: 2024 } : { mode, seed: 0 }, "the mode held through the suite's rmmod/modprobe of vgpu");
    assert.match(tap, new RegExp(`${mode}\\n?$`), "the guest reads the host's setting back");
  });
}
