// Real build output captured from the guest (npx vgpu-lab exec, Debian 6.1 kbuild and gcc 12): see fixtures/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseBuildOutput, findSymbol } from "./parse.ts";

const fx = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), "utf8");
const files = { "broken.c": fx("broken.c"), "helper.h": "static int helper_value = 3\n", "undef.c": fx("undef.c"), "Makefile": "", "tests/prog.c": "" };

test("kbuild with gcc errors: each on its project file, line and column; header notes dropped; make's echoes folded", () => {
  const ds = parseBuildOutput(fx("kbuild-errors.txt"), { files });
  const at = ds.map((d) => `${d.severity} ${d.path}:${d.line}:${d.column}`);
  assert.deepEqual(at, [
    "error broken.c:5:1",
    "error broken.c:12:13",
    "note broken.c:12:13",
    "error broken.c:12:13",
    "note broken.c:12:1",
    "error null:0:0",
    "warning helper.h:1:12",
    "error null:0:0",
  ]);
  assert.equal(ds[0]!.message, "expected ',' or ';' before 'static'");
  assert.equal(ds[5]!.message, "'init_module' aliased to undefined symbol 'broken_init'");
  assert.equal(ds[5]!.where, "include/linux/module.h:132");
  assert.equal(ds[6]!.message, "'helper_value' defined but not used [-Wunused-variable]");
  assert.equal(ds[7]!.message, "make: [Makefile:5: all] Error 2");
});

test("relative paths follow make's Entering/Leaving directory", () => {
  const out = "make: Entering directory '/work/tests'\ngcc -o prog prog.c\nprog.c:6:2: error: expected ';' before '}' token\nmake: Leaving directory '/work/tests'\n";
  const ds = parseBuildOutput(out, { files });
  assert.equal(ds[0]!.path, "tests/prog.c");
  assert.equal(ds[0]!.line, 6);
});

test("a build with nothing markable still yields the make error (the page then shows the log)", () => {
  const ds = parseBuildOutput("make: *** No targets specified and no makefile found.  Stop.\n", { files });
  assert.equal(ds.length, 1);
  assert.equal(ds[0]!.path, null);
  assert.match(ds[0]!.message, /No targets/);
});

test("a symbol is found where the sources use it, outside comments", () => {
  assert.deepEqual(findSymbol("pm2_not_exported", files, "undef.ko"), { path: "undef.c", line: 4, column: 12 });
  assert.equal(findSymbol("nowhere", files), null);
});
