import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { FileTree } from "../src/tree.ts";
import { FILE_TYPE, writeErofs } from "../src/erofs.ts";
import { ErofsImage, type ErofsEntry } from "./erofs-read.ts";
import { writeCpio } from "../src/cpio.ts";
import { parseDepends, resolveClosure } from "../src/lock.ts";
import { debianMirror, mirrorsFromAptSources, parsePackages } from "../src/mirror.ts";
import { arMembers } from "../src/deb.ts";
import { modinfo } from "../src/modules.ts";
import { busyboxApplets } from "../src/build.ts";
import type { Recipe } from "../src/recipe.ts";

const dec = new TextDecoder();

/** The image read back through the reader, with the format's own rules checked on the way. */
function readErofs(img: Uint8Array) {
  const fs = new ErofsImage(img);
  const files = new Map<string, ErofsEntry & { data: Uint8Array }>();
  const check = (nid: number, parent: number) => {
    const entries = fs.dir(fs.inode(nid));
    const names = entries.map((d) => d.name);
    assert.deepEqual(names, [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))), "entries in byte order");
    assert.equal(entries.find((d) => d.name === ".")!.nid, nid);
    assert.equal(entries.find((d) => d.name === "..")!.nid, parent);
  };
  check(fs.rootNid, fs.rootNid);
  for (const e of fs.walk()) {
    files.set(e.path, { ...e, data: fs.data(e) });
    const parent = e.path.includes("/") ? files.get(e.path.slice(0, e.path.lastIndexOf("/")))!.nid : fs.rootNid;
    if (e.type === FILE_TYPE.dir) check(e.nid, parent);
  }
  return { files, root: fs.inode(fs.rootNid) };
}

test("erofs: files, folders, symlinks and modes read back as written; tails inline, big directories sorted", () => {
  const t = new FileTree();
  t.addFile("etc/hostname", "vgpu-lab\n");
  t.addFile("usr/bin/tool", new Uint8Array([1, 2, 3, 4, 5]), 0o755);
  const big = new Uint8Array(3 * 4096 + 100).map((_, i) => (i * 7) & 255);
  t.addFile("usr/lib/big", big);
  t.addFile("usr/lib/exact", new Uint8Array(8192).fill(9));
  t.addFile("usr/lib/nearly", new Uint8Array(8191).fill(3));
  t.addFile("usr/lib/empty", new Uint8Array(0));
  t.addSymlink("bin", "usr/bin");
  t.add("empty", { kind: "dir", mode: 0o700 });
  const names: string[] = [];
  for (let i = 0; i < 600; i++) names.push(`include/linux/h${String(i).padStart(4, "0")}-${"x".repeat(i % 40)}.h`);
  for (const n of names) t.addFile(n, `/* ${n} */\n`);
  const { files, root } = readErofs(writeErofs(t));
  assert.equal(root.nlink, 2 + 4, "root: . and its entry in its parent, plus etc, usr, empty and include");
  assert.equal(dec.decode(files.get("etc/hostname")!.data), "vgpu-lab\n");
  assert.equal(files.get("etc/hostname")!.mode, 0o100644);
  assert.deepEqual([...files.get("usr/bin/tool")!.data], [1, 2, 3, 4, 5]);
  assert.equal(files.get("usr/bin/tool")!.mode, 0o100755);
  assert.deepEqual(files.get("usr/lib/big")!.data, big);
  assert.equal(files.get("usr/lib/big")!.layout, 2, "a partial last block is packed after the inode");
  assert.deepEqual(files.get("usr/lib/exact")!.data, new Uint8Array(8192).fill(9));
  assert.equal(files.get("usr/lib/exact")!.layout, 0);
  assert.deepEqual(files.get("usr/lib/nearly")!.data, new Uint8Array(8191).fill(3));
  assert.equal(files.get("usr/lib/empty")!.data.length, 0);
  assert.equal(files.get("bin")!.type, 7);
  assert.equal(files.get("bin")!.mode, 0o120777);
  assert.equal(dec.decode(files.get("bin")!.data), "usr/bin");
  assert.equal(files.get("empty")!.type, 2);
  assert.equal(files.get("empty")!.mode, 0o040700);
  assert.ok(files.get("include/linux")!.data.length > 4096, "a directory over several blocks");
  for (const n of names) assert.equal(dec.decode(files.get(n)!.data), `/* ${n} */\n`);
  assert.equal(files.size, 14 + names.length);
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
  kernel: { image: "kernel", headers: "headers", cmdline: "" }, course: { configFragment: "", cmdlineExtra: "" },
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
