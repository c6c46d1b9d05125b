import { test } from "node:test";
import assert from "node:assert/strict";
import { zipSync, strToU8 } from "fflate";
import { exportZip, importZip } from "./zip.ts";
import { checkPath } from "./paths.ts";

const limits = { maxFiles: 500, maxFileBytes: 1 << 20 };

test("export then import gives the same files, byte for byte (tabs, CRLF, UTF-8, empty files)", () => {
  const files = {
    "Makefile": "obj-m := a.o\n\nall:\n\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules\n",
    "a.c": "// é ü — ∑\r\nint x;\r\n",
    "include/x.h": "",
    "tests/t.c": "int main(void) { return 0; }",
  };
  const r = importZip(exportZip(files), limits);
  assert.ok("files" in r);
  assert.deepEqual(r.files, files);
  assert.deepEqual(exportZip(r.files).length, exportZip(files).length);
});

test("zips with ../ or absolute paths are refused whole", () => {
  for (const bad of ["../evil.c", "a/../../evil.c", "/etc/passwd", "C:/x.c"]) {
    const r = importZip(zipSync({ "ok.c": strToU8("int a;"), [bad]: strToU8("x") }), limits);
    assert.ok("error" in r, bad);
    assert.match(r.error, /nothing was imported/);
  }
});

test("a zip of 10,000 files is refused before anything is unpacked", () => {
  const z: Record<string, Uint8Array> = {};
  for (let i = 0; i < 10_000; i++) z[`f${i}.c`] = strToU8("");
  const r = importZip(zipSync(z), limits);
  assert.ok("error" in r);
  assert.match(r.error, /more than 500 files/);
});

test("a file above the size limit is refused by its header", () => {
  const r = importZip(zipSync({ "big.c": new Uint8Array(3 << 20).fill(65) }), limits);
  assert.ok("error" in r);
  assert.match(r.error, /big\.c is 3\.1 MB; files are limited to 1\.0 MB/);
});

test("not a zip, and build products skipped", () => {
  const r = importZip(strToU8("hello"), limits);
  assert.ok("error" in r);
  const r2 = importZip(zipSync({ "a.c": strToU8("x"), "a.ko": new Uint8Array([0x7f, 0x45, 0xff, 0xfe]) }), limits);
  assert.ok("files" in r2);
  assert.deepEqual(Object.keys(r2.files), ["a.c"]);
  assert.deepEqual(r2.skipped, ["a.ko"]);
});

test("paths: relative, no dot elements, printable", () => {
  assert.equal(checkPath("tests/run.sh"), null);
  assert.equal(checkPath("pm2-driver.c"), null);
  assert.notEqual(checkPath(""), null);
  assert.notEqual(checkPath("a//b"), null);
  assert.notEqual(checkPath("./a"), null);
  assert.notEqual(checkPath("a\nb"), null);
});
