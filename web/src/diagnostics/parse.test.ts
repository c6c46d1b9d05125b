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

test("modpost's undefined symbol lands where the module's source uses it; the unused-variable warning on its line", () => {
  const ds = parseBuildOutput(fx("kbuild-modpost.txt"), { files });
  const at = ds.map((d) => `${d.severity} ${d.source} ${d.path}:${d.line}:${d.column}`);
  assert.deepEqual(at, [
    "warning gcc broken.c:7:13",
    "warning gcc undef.c:8:13",
    "error modpost undef.c:4:12",
    "error make null:0:0",
  ]);
  assert.equal(ds[2]!.message, 'modpost: "pm2_not_exported" [/work/undef.ko] undefined!');
});

test("a user program built by make -C tests: the relative path maps into tests/", () => {
  const ds = parseBuildOutput(fx("user-make.txt"), { files });
  assert.deepEqual(ds.map((d) => `${d.severity} ${d.path}:${d.line}:${d.column} ${d.message}`), [
    "error tests/prog.c:7:17 expected ';' before '}' token",
    "error null:0:0 make: [Makefile:4: prog] Error 1",
  ]);
});

test("the linker's undefined reference names the source by base name and the symbol's first use", () => {
  const withProg2 = { ...files, "tests/prog2.c": "#include <stdio.h>\nint helper(int);\nint main(void)\n{\n\tprintf(\"%d\\n\", helper(1));\n\treturn 0;\n}\n" };
  const ds = parseBuildOutput(fx("user-ld.txt"), { files: withProg2 });
  assert.equal(ds.length, 1);
  assert.deepEqual({ ...ds[0] }, { path: "tests/prog2.c", line: 2, column: 5, severity: "error", message: "undefined reference to `helper'", source: "ld" });
});

test("a Makefile's own error is a marker on its line", () => {
  const ds = parseBuildOutput(fx("makefile-error.txt"), { files: { "Makefile.bad": "all:\n  echo bad\n" } });
  assert.deepEqual(ds.map((d) => `${d.severity} ${d.path}:${d.line} ${d.message}`), ["error Makefile.bad:2 missing separator"]);
});
