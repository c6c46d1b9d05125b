import { test } from "node:test";
import assert from "node:assert/strict";
import { makefileCompilerPath, memoizeCompilerProbes, PROBE_CACHE } from "../src/kbuild-tuning.ts";

// The shape of try-run in Linux 6.1's scripts/Makefile.compiler (kbuild's own text is not copied here).
const SAMPLE = [
  "TMPOUT = $(if $(KBUILD_EXTMOD),$(firstword $(KBUILD_EXTMOD))/).tmp_$$$$",
  "try-run = $(shell set -e;\t\t\\",
  "\tTMP=$(TMPOUT)/tmp;\t\t\\",
  "\tif ($(1)) >/dev/null 2>&1;\t\\",
  "\tthen echo \"$(2)\";\t\t\\",
  "\telse echo \"$(3)\";\t\t\\",
  "\tfi)",
  "",
  "as-option = $(call try-run, x)",
  "",
].join("\n");

test("try-run is replaced by a memoising one, everything else kept", () => {
  const out = memoizeCompilerProbes(SAMPLE);
  assert.match(out, new RegExp(`KBUILD_PROBE_CACHE \\?= ${PROBE_CACHE}`));
  assert.match(out, /md5sum/);
  assert.match(out, /as-option = \$\(call try-run, x\)/);
  assert.equal(out.match(/^try-run =/gm)?.length, 1);
  assert.match(out, /\$\$\(grep -m1/, "make's $$ survives (String.replace would have eaten one $)");
});

test("a Makefile.compiler without the expected try-run is an error, not a silent no-op", () => {
  assert.throws(() => memoizeCompilerProbes("try-run = $(shell true)\n"), /no try-run definition/);
  assert.equal(makefileCompilerPath("6.1.0-50-686"), "usr/lib/linux-kbuild-6.1/scripts/Makefile.compiler");
});
