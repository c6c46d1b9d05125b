// Integration: one reference driver for every card. Two generated variants that differ from each other in both
// behavioural choices (clear-on-read acknowledge with DMA; write-1-to-clear with the command ring) each get a
// machine restored from the guest's one saved state (taken with the default card; the machine re-plugs the slot).
// The variant's header replaces include/generated/pm2v_regs.h in the folder copied to /work; the reference driver
// is built against it in the guest, the test programs on the host (programs.ts); the TAP suite passes (burst
// stress with -n 1000 instead of the default card's 5000, to keep this file's CI time down) and the triangle
// frames match the model's rendering.
// The same driver built for the default card then finds no device on the variant and leaves the guest healthy.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Machine } from "../../vcd/machine/machine.ts";
import { copyDirIn, PROJECT_DIR, startNodeMachine } from "../../vcd/machine/node-host.ts";
import { replayStream } from "../../vcd/card/replay.ts";
import { cHeader } from "../../vcd/card/codegen/c-header.ts";
import { deriveVariant } from "../../vcd/card/variants/derive.ts";
import { permedia2v } from "../../vcd/card/variants/permedia2v.ts";
import { parseTap, tapProblems } from "../../bin/tap.ts";
import { hostPrograms, putPrograms } from "./programs.ts";

const VARIANTS = [
  deriveVariant(permedia2v, { name: "ci-read-dma", seed: "vgpu-lab ci 1", irqAck: "read", commands: "dma" }),
  deriveVariant(permedia2v, { name: "ci-w1c-ring", seed: "vgpu-lab ci 2", irqAck: "w1c", commands: "ring" }),
];
const BURST = 1000;

let m: Machine | undefined;
after(async () => { await m?.destroy(); });

for (const [i, v] of VARIANTS.entries()) {
  test(`${v.id} (irqAck ${v.behaviour.irqAck}, commands ${v.behaviour.commands}): the reference driver's TAP suite and frames`, { timeout: 1_800_000 }, async () => {
    await m?.destroy();
    m = await startNodeMachine({ platform: { variant: v } });
    const sh = (c: string, t = 900_000) => m!.exec(c, { timeout: t });
    const ids = await sh("cat /sys/bus/pci/devices/*/vendor /sys/bus/pci/devices/*/device 2>/dev/null | tr '\\n' ' '");
    assert.match(ids.stdout, new RegExp(`0x${v.pci.vendorId.toString(16).padStart(4, "0")}`), `the guest sees the variant's vendor ID after the re-plug: ${ids.stdout}`);

    await copyDirIn(m, join(PROJECT_DIR, "kmod"), "kmod");
    const header = cHeader(v, `${v.id}.json`);
    await m.putFile("kmod/include/generated/pm2v_regs.h", header);
    await putPrograms(m, await hostPrograms(header));
    const r = await sh(`cd /work/kmod/tests && sh run-tests.sh -n ${BURST} -o /work/kmod/out 2>&1`, 1_500_000);
    const tap = r.stdout;
    assert.equal(r.status, "exited", tap.slice(-3000));
    assert.deepEqual(tapProblems(parseTap(tap)), [], tap.slice(-6000));
    assert.match(tap, new RegExp(`^ {4}ok \\d+ - burst: all ${2 * BURST} buffers drawn, none lost`, "m"), "the burst stress ran");
    assert.equal(r.exitCode, 0, tap.slice(-3000));

    for (const name of ["triangle", "triangles300"]) {
      const words = await m.getFile(`kmod/out/${name}.stream`);
      const fb = await m.getFile(`kmod/out/${name}.fb`);
      assert.ok(words.length > 0 && fb.length === 640 * 480 * 4, `${name} dumps exist (${fb.length} bytes)`);
      const stream = new Uint32Array(words.buffer.slice(words.byteOffset, words.byteOffset + words.length));
      const ref = replayStream(v, stream).vram.subarray(0, fb.length);
      let differing = 0, first = -1;
      for (let p = 0; p < fb.length; p += 4) {
        if (fb[p] !== ref[p] || fb[p + 1] !== ref[p + 1] || fb[p + 2] !== ref[p + 2]) {
          if (first < 0) first = p / 4;
          differing++;
        }
      }
      assert.equal(differing, 0, `${name}: first differing pixel at (${first % 640}, ${Math.floor(first / 640)})`);
    }

    if (i === 0) {
      // The same driver built for the default card (its header back in place): probe finds no device,
      // nothing hangs or warns.
      await m.putFile("kmod/include/generated/pm2v_regs.h", cHeader(permedia2v, "vcd/card/variants/permedia2v.ts"));
      const b = await sh("make -s -C /work/kmod/reference 2>&1; echo build=$?");
      assert.match(b.stdout, /^build=0$/m, b.stdout.slice(-3000));
      const d = await sh([
        "dmesg -C; insmod /work/kmod/reference/pm2ref.ko && echo loaded",
        "sleep 0.5; test -e /dev/pm2ref0 && echo bound || echo no-device",
        "rmmod pm2ref && echo unloaded; dmesg",
      ].join("\n"), 120_000);
      assert.equal(d.status, "exited", d.consoleTail);
      assert.match(d.stdout, /^loaded$/m, d.stdout);
      assert.match(d.stdout, /^no-device$/m, "the default card's driver does not bind the variant");
      assert.match(d.stdout, /^unloaded$/m, d.stdout);
      assert.doesNotMatch(d.stdout, /WARNING|BUG|Oops/, d.stdout);
    }
  });
}
