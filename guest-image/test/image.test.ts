import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { FileTree } from "../src/tree.ts";
import { writeRomfs } from "../src/romfs.ts";
import { writeCpio } from "../src/cpio.ts";
import { parseDepends, resolveClosure } from "../src/lock.ts";
import { debianMirror, mirrorsFromAptSources, parsePackages } from "../src/mirror.ts";
import { arMembers } from "../src/deb.ts";
import { modinfo } from "../src/modules.ts";
import { busyboxApplets } from "../src/build.ts";
import type { Recipe } from "../src/recipe.ts";

const dec = new TextDecoder();

/** A reader for romfs, written from the format description, to check the writer. */
function readRomfs(img: Uint8Array) {
  const dv = new DataView(img.buffer, img.byteOffset);
  const cstr = (at: number) => { let e = at; while (img[e]) e++; return dec.decode(img.subarray(at, e)); };
  const pad = (n: number) => (n + 15) & ~15;
  assert.equal(dec.decode(img.subarray(0, 8)), "-rom1fs-");
  let sum = 0;
  for (let i = 0; i < 512; i += 4) sum = (sum + dv.getUint32(i)) >>> 0;
  assert.equal(sum, 0, "superblock checksum");
  const files = new Map<string, { type: number; exec: boolean; data: Uint8Array }>();
  const walk = (first: number, prefix: string) => {
    for (let at = first; at; ) {
      const next = dv.getUint32(at), spec = dv.getUint32(at + 4), size = dv.getUint32(at + 8);
      const name = cstr(at + 16);
      let hsum = 0;
      for (let i = 0; i < 16 + pad(name.length + 1); i += 4) hsum = (hsum + dv.getUint32(at + i)) >>> 0;
      assert.equal(hsum, 0, `header checksum of ${name}`);
      const dataAt = at + 16 + pad(name.length + 1);
      const path = prefix + name;
      files.set(path, { type: next & 7, exec: (next & 8) !== 0, data: img.subarray(dataAt, dataAt + size) });
      if ((next & 7) === 1) walk(spec & ~15, path + "/");
      at = next & ~15;
    }
  };
  const root = 16 + pad("vgpu-lab".length + 1);
  assert.equal(cstr(root + 16), ".");
  walk(dv.getUint32(root + 4) & ~15, "");
  assert.equal(dv.getUint32(8), img.length);
  return files;
}

test("romfs: files, folders, symlinks and the exec bit read back as written", () => {
  const t = new FileTree();
  t.addFile("etc/hostname", "vgpu-lab\n");
  t.addFile("usr/bin/tool", new Uint8Array([1, 2, 3, 4, 5]), 0o755);
  t.addSymlink("bin", "usr/bin");
  t.add("empty", { kind: "dir", mode: 0o755 });
  const files = readRomfs(writeRomfs(t));
  assert.equal(dec.decode(files.get("etc/hostname")!.data), "vgpu-lab\n");
  assert.equal(files.get("etc/hostname")!.exec, false);
  assert.deepEqual([...files.get("usr/bin/tool")!.data], [1, 2, 3, 4, 5]);
  assert.equal(files.get("usr/bin/tool")!.exec, true);
  assert.equal(files.get("bin")!.type, 3);
  assert.equal(dec.decode(files.get("bin")!.data), "usr/bin");
  assert.equal(files.get("empty")!.type, 1);
  assert.deepEqual([...files.keys()].sort(), ["bin", "empty", "etc", "etc/hostname", "usr", "usr/bin", "usr/bin/tool"]);
});

test("cpio: newc entries carry names, modes and contents", () => {
  const t = new FileTree();
  t.addFile("init", "#!/bin/sh\n", 0o755);
  t.addSymlink("sbin", "bin");
  const img = writeCpio(t);
  const text = dec.decode(img);
  const entries: Array<{ name: string; mode: number; data: string }> = [];
  for (let at = 0; ; ) {
    assert.equal(text.slice(at, at + 6), "070701");
    const field = (i: number) => parseInt(text.slice(at + 6 + i * 8, at + 14 + i * 8), 16);
    const namesize = field(11), filesize = field(6);
    const name = text.slice(at + 110, at + 110 + namesize - 1);
    const dataAt = (at + 110 + namesize + 3) & ~3;
    if (name === "TRAILER!!!") break;
    entries.push({ name, mode: field(1), data: text.slice(dataAt, dataAt + filesize) });
    at = (dataAt + filesize + 3) & ~3;
  }
  assert.deepEqual(entries, [
    { name: "init", mode: 0o100755, data: "#!/bin/sh\n" },
    { name: "sbin", mode: 0o120777, data: "bin" },
  ]);
});

const entry = (Package: string, extra: Record<string, string> = {}) =>
  `Package: ${Package}\nVersion: 1.0\nFilename: pool/${Package}.deb\nSize: 10\nSHA256: ${"0".repeat(64)}\n` +
  Object.entries(extra).map(([k, v]) => `${k}: ${v}\n`).join("");

const recipe = (packages: string[], exclude: string[] = []): Recipe => ({
  suite: "bookworm", architecture: "i386", components: ["main"], memoryMB: 512,
  kernel: { image: "kernel", headers: "headers", cmdline: "" },
  packages, firmware: [], exclude, initramfsModules: [], prune: [], keepKernelModules: [],
});

test("lock: dependency closure follows alternatives and Provides, and skips exclusions", () => {
  const index = parsePackages([
    entry("kernel", { Depends: "linux-base, initramfs-tools | linux-initramfs-tool" }),
    entry("headers", { Depends: "cc-virtual (>= 1)" }),
    entry("gcc-12", { Provides: "cc-virtual", Depends: "libc6 (>= 2.36)" }),
    entry("libc6"),
    entry("make", { "Pre-Depends": "libc6" }),
  ].join("\n"));
  const got = resolveClosure(recipe(["make"], ["linux-base", "initramfs-tools"]), index).map((p) => `${p.name}<${p.requiredBy}`);
  assert.deepEqual(got, ["gcc-12<headers", "headers<recipe", "kernel<recipe", "libc6<make", "make<recipe"]);
  assert.deepEqual(parseDepends("a (>= 1) | b:any, c [i386]"), [["a", "b"], ["c"]]);
});

test("lock: a package missing from the index is named, with how to refresh", () => {
  const index = parsePackages([entry("kernel"), entry("headers")].join("\n"));
  assert.throws(() => resolveClosure(recipe(["nosuch"]), index), /package nosuch .*not in the bookworm i386 index.*image lock/);
});

test("mirror: taken from apt sources (both formats), overridden by VGPU_DEBIAN_MIRROR", () => {
  const root = mkdtempSync(join(tmpdir(), "apt-"));
  mkdirSync(join(root, "sources.list.d"));
  writeFileSync(join(root, "sources.list"), "# comment\ndeb [arch=amd64] http://mirror.example/debian bookworm main\n");
  writeFileSync(join(root, "sources.list.d", "x.sources"),
    "Types: deb\nURIs: http://other.example/debian-security\nSuites: bookworm-security\n\nTypes: deb-src\nURIs: http://src.example/\n");
  assert.deepEqual(mirrorsFromAptSources(root), ["http://mirror.example/debian", "http://other.example/debian-security"]);
  assert.equal(debianMirror({ VGPU_DEBIAN_MIRROR: "http://m.example/debian/" }), "http://m.example/debian");
});

test("deb: ar members are split out", () => {
  const member = (name: string, data: string) => {
    const h = name.padEnd(16) + "0".padEnd(12) + "0".padEnd(6) + "0".padEnd(6) + "100644".padEnd(8) + String(data.length).padEnd(10) + "`\n";
    return h + data + (data.length & 1 ? "\n" : "");
  };
  const ar = new TextEncoder().encode("!<arch>\n" + member("debian-binary", "2.0\n") + member("data.tar.xz", "abc"));
  const m = arMembers(ar);
  assert.deepEqual([...m.keys()], ["debian-binary", "data.tar.xz"]);
  assert.equal(dec.decode(m.get("data.tar.xz")), "abc");
  assert.throws(() => arMembers(new Uint8Array(70)), /not a .deb/);
});

test("modinfo: depends and aliases read from an ELF .modinfo section", () => {
  // A minimal ELF32 LE: header, section data, section headers [null, .modinfo, .shstrtab].
  const info = new TextEncoder().encode("license=GPL\0depends=libata,scsi_mod\0alias=pci:v00008086d00007010sv*\0");
  const shstr = new TextEncoder().encode("\0.modinfo\0.shstrtab\0");
  const dataAt = 52, strAt = dataAt + info.length, shAt = (strAt + shstr.length + 3) & ~3;
  const elf = new Uint8Array(shAt + 40 * 3);
  const dv = new DataView(elf.buffer);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  dv.setUint32(0x20, shAt, true); dv.setUint16(0x2e, 40, true); dv.setUint16(0x30, 3, true); dv.setUint16(0x32, 2, true);
  elf.set(info, dataAt); elf.set(shstr, strAt);
  const sh = (i: number, name: number, off: number, size: number) => {
    dv.setUint32(shAt + i * 40, name, true); dv.setUint32(shAt + i * 40 + 16, off, true); dv.setUint32(shAt + i * 40 + 20, size, true);
  };
  sh(1, 1, dataAt, info.length);
  sh(2, 10, strAt, shstr.length);
  const m = modinfo(elf);
  assert.deepEqual(m.get("depends"), ["libata,scsi_mod"]);
  assert.deepEqual(m.get("alias"), ["pci:v00008086d00007010sv*"]);
});

test("busybox applet list is found in the binary", () => {
  const names = ["[", "[[", ...Array.from({ length: 60 }, (_, i) => `app${i}`)];
  const bin = new TextEncoder().encode("junk\0" + names.join("\0") + "\0\0more");
  assert.deepEqual(busyboxApplets(bin), names);
});
