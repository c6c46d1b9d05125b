import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRulePaths, isConfigStamp, makefileCompilerPath, memoizeCompilerProbes, PCH_CC, PROBE_CACHE, wrapCompileRule } from "../src/kbuild-tuning.ts";

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

test("try-run is wrapped by a cache that make reads itself; kbuild's own try-run asks the compiler", () => {
  const out = memoizeCompilerProbes(SAMPLE);
  assert.match(out, new RegExp(`KBUILD_PROBE_CACHE \\?= ${PROBE_CACHE}`));
  assert.equal(out.match(/^try-run =/gm)?.length, 1);
  assert.match(out, /^try-run = \$\(call __probe_try,/m);
  assert.match(out, /^__probe_run = \$\(shell set -e;\t\t\\\n\tTMP=\$\(TMPOUT\)\/tmp;/m, "kbuild's definition, renamed, unchanged");
  assert.match(out, /\$\(file <\$\(KBUILD_PROBE_CACHE\)\)/);
  assert.match(out, /as-option = \$\(call try-run, x\)/);
  assert.ok(out.indexOf("__probe_run =") > out.indexOf("try-run ="), "the wrapper comes first, as the sample's file order");
});

test("a Makefile.compiler without the expected try-run is an error, not a silent no-op", () => {
  assert.throws(() => memoizeCompilerProbes("try-run = $(shell true)\n"), /no try-run definition/);
  assert.equal(makefileCompilerPath("6.1.0-50-686"), "usr/lib/linux-kbuild-6.1/scripts/Makefile.compiler");
});

test("kbuild's C compile goes through $(KBUILD_PCH_CC), which make's command line can empty", () => {
  const rule = "quiet_cmd_cc_o_c = CC $(quiet_modtag)  $@\n      cmd_cc_o_c = $(CC) $(c_flags) -c -o $@ $< \\\n\t\t$(cmd_objtool)\n";
  const out = wrapCompileRule(rule, "Makefile.build");
  assert.match(out, new RegExp(`^KBUILD_PCH_CC \\?= ${PCH_CC}$`, "m"));
  assert.match(out, /^ {6}cmd_cc_o_c = \$\(KBUILD_PCH_CC\) \$\(CC\) \$\(c_flags\) -c -o \$@ \$< \\$/m);
  assert.throws(() => wrapCompileRule("cmd_cc_o_c = $(CC) a\ncmd_cc_o_c = $(CC) b\n", "x"), /no single/);
  assert.throws(() => wrapCompileRule("cmd_cc_o_c = gcc a\n", "x"), /no single/);
  assert.deepEqual(compileRulePaths("6.1.0-50-686"), ["usr/lib/linux-kbuild-6.1/scripts/Makefile.build", "usr/lib/linux-kbuild-6.1/scripts/Makefile.modfinal"]);
});

test("per-option config stamps are left out of the image; auto.conf and kernel.release stay", () => {
  assert.ok(isConfigStamp("usr/src/linux-headers-6.1.0-50-686/include/config/PCI"));
  assert.ok(isConfigStamp("usr/src/linux-headers-6.1.0-50-686/include/config/FONT_8x16"));
  assert.ok(!isConfigStamp("usr/src/linux-headers-6.1.0-50-686/include/config/auto.conf"));
  assert.ok(!isConfigStamp("usr/src/linux-headers-6.1.0-50-686/include/config/kernel.release"));
  assert.ok(!isConfigStamp("usr/src/linux-headers-6.1.0-50-686/include/linux/pci.h"));
});
