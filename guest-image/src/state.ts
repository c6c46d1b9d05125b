// `vgpu-lab image state`: boot the built guest once, warm it up, and save the machine state so later starts restore.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Machine } from "../../vcd/machine/machine.ts";
import { copyDirIn, GUEST_DIR, nodeAssets, readManifest } from "../../vcd/machine/node-host.ts";
import { stateKeyOf } from "../../vcd/machine/manifest.ts";
import { writeAtomic } from "./cache.ts";
import { PROJECT_DIR } from "./recipe.ts";
import type { Progress } from "./build.ts";

export async function takeState(progress: Progress = () => {}): Promise<void> {
  const m = readManifest();
  progress("boot the guest");
  const machine = await Machine.start(nodeAssets(m), {});
  try {
    progress(`guest up in ${(machine.bootMs / 1000).toFixed(1)} s; warm-up build`);
    // A first build pulls the compiler and headers into the page cache, so students' first build is warm. No
    // precompiled header is made here (KBUILD_PCH_CC=): it would be 30 MB of state for one module name, and
    // students' modules get their own after their first build.
    //
    // romfs reads through the disk's buffer cache in 1 KB blocks, so every file page it caches is held twice: once
    // as the file's page, once as the disk's. The disk's copy is dropped (--flushbufs; the files' pages stay):
    // 52.9 to 35.3 MB. Then a no-op make reads the dependency lists the build wrote, as every later make does: make
    // lists each directory they name, and romfs reads a directory one 1 KB block per entry. Without this the first
    // make after a student's first build took 4.6 s longer than the ones after it.
    await copyDirIn(machine, join(PROJECT_DIR, "kmod/samples/hello-pci"), ".warmup");
    const make = "make -s -C /work/.warmup KBUILD_PCH_CC=";
    const r = await machine.exec(`${make} && sync && blockdev --flushbufs /dev/sda && ${make} && rm -rf /work/.warmup && sync`, { timeout: 600_000 });
    if (r.status !== "exited" || r.exitCode !== 0) {
      throw new Error(`warm-up build failed (${r.status} ${r.exitCode}):\n${r.stdout}\n${r.stderr}\n${r.consoleTail ?? ""}`);
    }
    // v86 leaves zero pages out of a state, but free pages keep whatever they last held (the build's temporaries).
    // Fill the free memory with zeros once and give it back; the page cache stays, so the first build stays warm.
    // (Dropping the page cache as well gives an 18.6 MB state, but the first build then reads 42 MB from the disk
    // and takes 74 s instead of 41 s: measured, see guest-image/README.md.)
    const zero = await machine.exec([
      "F=$(awk '/MemFree/ { print int($2 / 1024) - 8 }' /proc/meminfo)",
      "mkdir -p /run/zero && mount -t tmpfs -o size=${F}m tmpfs /run/zero",
      "dd if=/dev/zero of=/run/zero/z bs=1M count=$F 2>/dev/null; rm -f /run/zero/z; umount /run/zero; rmdir /run/zero",
    ].join(" && "), { timeout: 120_000 });
    if (zero.status !== "exited" || zero.exitCode !== 0) throw new Error(`zeroing free memory failed (${zero.status} ${zero.exitCode}):\n${zero.stderr}${zero.consoleTail ?? ""}`);
    await machine.exec("dmesg -c >/dev/null; clear >/dev/ttyS0", { timeout: 30_000 });
    progress("save state");
    const raw = new Uint8Array(await machine.saveState());
    const gz = gzipSync(raw, { level: 6 });
    const file = "state.bin.gz";
    writeAtomic(join(GUEST_DIR, file), gz);
    const manifest = JSON.parse(readFileSync(join(GUEST_DIR, "manifest.json"), "utf8"));
    manifest.state = { file, imageKey: stateKeyOf(m), bytes: gz.length, rawBytes: raw.length, takenAt: new Date().toISOString() };
    writeFileSync(join(GUEST_DIR, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    progress(`state saved: ${(gz.length / 1e6).toFixed(1)} MB (${(raw.length / 1e6).toFixed(1)} MB raw)`);
  } finally {
    await machine.destroy();
  }
}
