// Integration: the real guest in real v86 under Node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Machine } from "../machine.ts";
import { copyDirIn, nodeAssets, PROJECT_DIR, readManifest, readState, startNodeMachine } from "../node-host.ts";
import { Emulator } from "../v86-adapter.ts";
import { Platform } from "../platform.ts";
import { STARTER_MODULE, starterFiles } from "../../../kmod/starter/project.ts";

test("a machine made for a state holds nothing above its firmware when the state is unpacked", async () => {
  // The first restore zeroes only the first MiB of guest memory (v86-adapter.ts), trusting this of the v86 build.
  let platform: Platform | undefined;
  const chunks = await Emulator.nonZeroMemoryBeforeRestore({ ...nodeAssets(readManifest()), onReady: (hw) => { platform = new Platform(hw); } });
  platform?.stop();
  assert.ok(platform, "the card and its bus were plugged in");
  assert.deepEqual(chunks, [], "MiB chunks above the firmware that are not zero");
});

let m: Machine;
before(async () => { m = await startNodeMachine(); });
after(async () => { await m?.destroy(); });

test("the guest runs the Debian 6.1 kernel and reports exit statuses", async () => {
  const r = await m.exec("uname -r");
  assert.equal(r.status, "exited");
  assert.equal(r.stdout.trim(), readManifest().kernelRelease);
  assert.match(r.stdout, /^6\.1\./);
  const f = await m.exec("echo to-stderr >&2; exit 3");
  assert.deepEqual([f.exitCode, f.stderr], [3, "to-stderr\n"]);
});

test("files put by the host appear in /work, and files made there come back", async () => {
  await m.putFile("notes/in.txt", "from the host\n");
  const r = await m.exec("cat notes/in.txt && echo made-in-guest > notes/out.txt");
  assert.equal(r.stdout, "from the host\n");
  assert.equal(new TextDecoder().decode(await m.getFile("notes/out.txt")), "made-in-guest\n");
});

test("an out-of-tree PCI module builds with kbuild, loads and unloads", async () => {
  // The state holds no page cache; what a first build reads from the disk comes with the background prefetch.
  const pf = await m.diskPrefetched;
  assert.ok("bytes" in pf && pf.bytes > 10e6, `disk prefetch: ${JSON.stringify(pf)}`);
  await copyDirIn(m, join(PROJECT_DIR, "kmod/samples/hello-pci"), "hello");
  const disk0 = m.emulator.diskBytesFetched();
  const build = await m.exec("make -C /work/hello 2>&1", { timeout: 900_000 });
  assert.equal(build.exitCode, 0, build.stdout);
  const own = m.emulator.diskBytesFetched() - disk0;
  assert.ok(own < pf.bytes / 20, `the first build read ${own} bytes of disk past the prefetch's ${pf.bytes}`);
  assert.doesNotMatch(build.stdout, /clock skew/i);
  // Compiler probes are answered from the cache the image's warm-up filled: a no-op make asks none again.
  const probes = await m.exec("wc -l < /var/cache/kbuild/probes.mk; make -s -C /work/hello >/dev/null; wc -l < /var/cache/kbuild/probes.mk");
  const [n0, n1] = probes.stdout.trim().split(/\s+/).map(Number);
  assert.ok(n0! >= 20 && n1 === n0, `probe answers: ${probes.stdout}`);
  const r = await m.exec("dmesg -c >/dev/null; insmod hello/hello_pci.ko && lsmod | grep -c hello_pci && rmmod hello_pci && dmesg");
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /hello_pci: loaded/);
  assert.match(r.stdout, /hello_pci: unloaded/);
});

test("a rebuild uses the header precompiled after the first build, and makes the same code", async () => {
  // Follows the build above: its first compile left kbuild-pch-cc precompiling the driver's leading #includes.
  const wait = await m.exec("/usr/libexec/kbuild-pch-cc --wait 300 && ls /var/cache/kbuild/pch/*/prefix.h.gch | wc -l", { timeout: 400_000 });
  assert.equal(wait.exitCode, 0, wait.stderr);
  assert.equal(wait.stdout.trim(), "2", "one header for hello_pci.c, one for its .mod.c");
  const dis = "objdump -d -j .text -j .init.text -j .exit.text hello/hello_pci.ko | tail -n +3; objcopy -O binary -j .modinfo hello/hello_pci.ko /dev/stdout | tr '\\0' '\\n'";
  const plain = await m.exec(dis);
  const re = await m.exec("touch hello/hello_pci.c hello/hello_pci.mod.c && KBUILD_PCH_VERBOSE=1 make -C /work/hello 2>&1", { timeout: 900_000 });
  assert.equal(re.exitCode, 0, re.stdout);
  assert.match(re.stdout, /PCH +\/work\/hello\/hello_pci\.o/);
  assert.match(re.stdout, /PCH +\/work\/hello\/hello_pci\.mod\.o/);
  const pch = await m.exec(dis);
  assert.ok(plain.stdout.length > 1000);
  assert.equal(pch.stdout, plain.stdout, "the module's code and modinfo are the same with and without the header");
  const r = await m.exec("insmod hello/hello_pci.ko && rmmod hello_pci && dmesg | tail -1");
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /hello_pci: unloaded/);
});

test("the starter project's first build uses the headers the image ships for it, and makes the same code", async () => {
  // Where the lab puts a project: /work itself (kmod/starter/project.ts). The image ships the precompiled headers
  // of the starter's driver and .mod.c built there (guest-image/src/platform.ts), so nothing is precompiled now.
  for (const [path, data] of starterFiles((f) => readFileSync(join(PROJECT_DIR, f)))) await m.putFile(path, data);
  const entries = "ls /var/cache/kbuild/pch | wc -l";
  const n0 = (await m.exec(entries)).stdout.trim();
  const first = await m.exec("KBUILD_PCH_VERBOSE=1 make 2>&1", { timeout: 900_000 });
  assert.equal(first.exitCode, 0, first.stdout);
  assert.match(first.stdout, /PCH +\/work\/pm2ref\.o/);
  assert.match(first.stdout, /PCH +\/work\/pm2ref\.mod\.o/);
  assert.doesNotMatch(first.stdout, /warning:/);
  assert.equal((await m.exec(`/usr/libexec/kbuild-pch-cc --wait 60; ${entries}`)).stdout.trim(), n0, "no header was precompiled");
  const dis = `objdump -d -j .text -j .init.text -j .exit.text ${STARTER_MODULE} | tail -n +3; objcopy -O binary -j .modinfo ${STARTER_MODULE} /dev/stdout | tr '\\0' '\\n'`;
  const shipped = await m.exec(dis);
  const plain = await m.exec(`touch pm2ref.c pm2ref.mod.c && make KBUILD_PCH_CC= 2>&1 >/dev/null && ${dis}`, { timeout: 900_000 });
  assert.equal(plain.exitCode, 0, plain.stdout);
  assert.ok(shipped.stdout.length > 1000);
  assert.equal(shipped.stdout, plain.stdout, "the module's code and modinfo are the same with and without the shipped headers");
  await m.exec("make clean >/dev/null 2>&1; rm -rf Makefile README.md test.sh pm2ref.c include tests");
});

test("a restore keeps the disk prefetch in v86's cache", async () => {
  await m.restoreState(readState(readManifest())!);
  // The prefetch's largest range, in whole 4 KiB blocks, read straight from the disk device (whose readahead goes
  // on past the range's end: the reads there are not the prefetch's to hold).
  const [off, len] = [...m.assets.diskPrefetch!.ranges].sort((a, b) => b[1] - a[1])[0]!;
  const first = Math.ceil(off / 4096), count = Math.floor((off + len) / 4096) - first;
  assert.ok(count > 256, `largest range: ${len} bytes`);
  const disk0 = m.emulator.diskBytesFetched();
  const r = await m.exec(`echo 1 > /proc/sys/vm/drop_caches; dd if=/dev/sda of=/dev/null bs=4096 skip=${first} count=${count}`);
  assert.equal(r.exitCode, 0, r.stderr);
  const own = m.emulator.diskBytesFetched() - disk0;
  assert.ok(own < 1 << 20, `reading ${count * 4096} prefetched bytes after a restore fetched ${own} bytes of disk`);
});

test("no stock driver is set to claim the Permedia card", async () => {
  // kmod's modprobe, as the kernel runs it (/sbin/modprobe); the shell's own applet would not read modprobe.d.
  const r = await m.exec("/sbin/modprobe -n -v pm2fb; echo rc=$?");
  assert.match(r.stdout, /install \/bin\/false/);
});

test("a command past its timeout gets a distinct status and the machine is restored", async () => {
  await m.checkpoint();
  const r = await m.exec("echo my-work > kept.c; printf '#!/bin/sh\\necho ran\\n' > run.sh; chmod 755 run.sh; sleep 30", { timeout: 4000 });
  assert.equal(r.status, "timeout");
  const after = await m.exec("echo alive; cat kept.c; ./run.sh", { timeout: 60_000 });
  assert.equal(after.stdout, "alive\nmy-work\nran\n", "the work folder survives the restore, modes included");
  const clock = await m.exec("cut -d. -f1 /proc/uptime");
  assert.ok(Number(clock.stdout) < 100_000, `the guest's monotonic clock did not leap on restore (uptime ${clock.stdout.trim()} s)`);
});

test("a kernel panic is reported with the console tail, and the machine is restored", async () => {
  await m.checkpoint();
  const r = await m.exec("echo c > /proc/sysrq-trigger", { timeout: 60_000 });
  assert.equal(r.status, "panic");
  assert.match(r.consoleTail ?? "", /Kernel panic/);
  const after = await m.exec("echo alive", { timeout: 60_000 });
  assert.equal(after.stdout, "alive\n");
});
