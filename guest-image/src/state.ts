// `vgpu-lab image state`: boot the built guest once, warm it up, and save the machine state so later starts restore.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { bootFresh, copyDirIn, GUEST_DIR, nodeAssets, readManifest } from "../../vcd/machine/node-host.ts";
import { stateKeyOf, type DiskPrefetchInfo } from "../../vcd/machine/manifest.ts";
import { coalesceRanges, readRanges } from "./disk-prefetch.ts";
import { writeAtomic } from "./cache.ts";
import { PROJECT_DIR } from "./recipe.ts";
import type { Progress } from "./build.ts";
import { STARTER_PROJECT, STARTER_TEST_PROGRAMS } from "../../kmod/starter/project.ts";

export async function takeState(progress: Progress = () => {}): Promise<void> {
  const m = readManifest();
  progress("boot the guest");
  const machine = await bootFresh(nodeAssets(m), progress);
  try {
    progress(`guest up in ${(machine.bootMs / 1000).toFixed(1)} s; warm-up build`);
    // A first build answers kbuild's compiler probes once (their cache is on tmpfs) and leaves the headers' and
    // the tools' inodes and directory entries cached. The sample builds without precompiled headers
    // (KBUILD_PCH_CC=): one would be 30 MB of state for one module name. The starter project builds where the lab
    // puts it (/work) and compiles against the headers the image ships for it (platform.ts).
    //
    // Then the page cache is dropped: the files' pages were half of what a state held (43 MB of 60 MB before
    // compression). EROFS reads them back in large readahead requests (what that costs a first build is measured
    // in guest-image/README.md); in the browser each read is an HTTP range request, so the reads of these builds
    // are recorded and packed into one file that the machine fetches after the first shell (disk-prefetch.ts):
    // the compiler, the sample's headers, and the starter's precompiled headers, as a student's first Build reads
    // them. (A second build recorded after dropping the cache read a little less; one build less to take a state.)
    const sample = join(PROJECT_DIR, "kmod/samples/hello-pci");
    await copyDirIn(machine, sample, ".warmup");
    const make = "make -s -C /work/.warmup KBUILD_PCH_CC=";
    const dropCaches = "rm -rf /work/.warmup && sync && echo 1 >/proc/sys/vm/drop_caches";
    const run = async (what: string, command: string) => {
      const r = await machine.exec(command, { timeout: 1_800_000 }); // a loaded host can take minutes
      if (r.status !== "exited" || r.exitCode !== 0) {
        throw new Error(`${what} failed (${r.status} ${r.exitCode}):\n${r.stdout}\n${r.stderr}\n${r.consoleTail ?? ""}`);
      }
      return r;
    };
    progress("warm-up build, recording what it reads from the disk");
    for (const f of STARTER_PROJECT) await machine.putFile(f.path, readFileSync(join(PROJECT_DIR, f.from)));
    const stop = machine.emulator.recordDiskReads();
    await run("warm-up build of the sample", make);
    if (m.starterHeaders === false) {
      // An image without the starter's headers (the course flavour): its build records the reads, makes none.
      await run("recorded build of the starter project", "make -s -C /work KBUILD_PCH_CC= 2>&1");
    } else {
      const starter = await run("recorded build of the starter project", "KBUILD_PCH_VERBOSE=1 make -s -C /work 2>&1");
      // Both of the starter's compiles (driver, .mod.c) must have found the image's headers: one that did not
      // would be precompiling now, into the saved state, and every student's first Build would be slow.
      const used = starter.stdout.split("\n").filter((l) => /^ +PCH +/.test(l)).length;
      const pending = (await run("look for headers being precompiled", "ls /var/cache/kbuild/pch 2>/dev/null | wc -l")).stdout.trim();
      if (used !== 2 || pending !== "0") {
        throw new Error(`the starter project's build did not use the image's precompiled headers (${used} of 2 compiles; ${pending} headers being made):\n${starter.stdout}`);
      }
    }
    // The starter's test programs (both flavours): every compile must come from the image's compiler cache
    // (etc/ccache.conf).
    const tests = await run("recorded build of the starter's test programs",
      "CCACHE_LOGFILE=/tmp/ccache.log make -s -C /work/tests 2>&1; grep -c 'Succeeded getting cached result' /tmp/ccache.log; rm -f /tmp/ccache.log");
    const hits = Number(tests.stdout.trim().split("\n").pop());
    if (hits !== STARTER_TEST_PROGRAMS.length) {
      throw new Error(`the starter's test programs did not build from the image's compiler cache (${hits} of ${STARTER_TEST_PROGRAMS.length}):\n${tests.stdout}`);
    }
    await run("cleaning /work", `cd / && rm -rf /work/* /work/.[!.]* && ${dropCaches}`);
    const ranges = coalesceRanges(stop());
    const packed = readRanges(join(GUEST_DIR, m.files.rootfs), ranges);
    const pack = gzipSync(packed, { level: 9 });
    const prefetchFile = "disk-prefetch.bin.gz";
    writeAtomic(join(GUEST_DIR, prefetchFile), pack);
    const diskPrefetch: DiskPrefetchInfo = { file: prefetchFile, ranges, bytes: packed.length, packedBytes: pack.length };
    progress(`disk prefetch: ${(packed.length / 1e6).toFixed(1)} MB in ${ranges.length} ranges, ${(pack.length / 1e6).toFixed(1)} MB packed`);
    // v86 leaves zero pages out of a state, but free pages keep whatever they last held (the builds' temporaries
    // and the dropped cache). Fill the free memory with zeros once and give it back.
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
    manifest.state = { file, imageKey: stateKeyOf(m), bytes: gz.length, rawBytes: raw.length, takenAt: new Date().toISOString(), diskPrefetch };
    writeFileSync(join(GUEST_DIR, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    progress(`state saved: ${(gz.length / 1e6).toFixed(1)} MB (${(raw.length / 1e6).toFixed(1)} MB raw)`);
  } finally {
    await machine.destroy();
  }
}
