import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { COURSE_FRAGMENT_PATH, courseConfig, courseRoots, hostDebArch, kernelSeries, parseFragment, unmetOptions } from "../src/course-kernel.ts";
import { readRecipe } from "../src/recipe.ts";
import { guestDirName, parseFlavour } from "../../vcd/machine/flavour.ts";

const DEBIAN = ["CONFIG_X86_32=y", "CONFIG_SND_HDA=m", "CONFIG_EROFS_FS=m", "CONFIG_UIO=m", "# CONFIG_PROVE_LOCKING is not set", "CONFIG_MODULE_SIG=y"].join("\n");

test("the course configuration drops Debian's modules but the fragment's, then states the fragment", () => {
  const frag = parseFragment("# comment\nCONFIG_EROFS_FS=y\nCONFIG_UIO=m\nCONFIG_PROVE_LOCKING=y\nCONFIG_MODULE_SIG=n\n");
  const text = courseConfig(DEBIAN, [...frag].map(([k, v]) => `${k}=${v}`).join("\n"));
  assert.match(text, /^# CONFIG_SND_HDA is not set$/m, "a module nobody asked for is dropped");
  assert.match(text, /^CONFIG_UIO=m$/m);
  assert.match(text, /^CONFIG_X86_32=y$/m, "built-in options stay");
  // Kconfig takes the last assignment of a symbol: the fragment's come after Debian's.
  assert.ok(text.lastIndexOf("CONFIG_EROFS_FS=y") > text.indexOf("CONFIG_EROFS_FS"));
  assert.ok(text.lastIndexOf("# CONFIG_MODULE_SIG is not set") > text.indexOf("CONFIG_MODULE_SIG=y"));
});

test("an option of the fragment that olddefconfig did not keep is reported", () => {
  const frag = parseFragment("CONFIG_PROVE_LOCKING=y\nCONFIG_MODULE_SIG=n\nCONFIG_UBSAN=y\n");
  const final = "CONFIG_PROVE_LOCKING=y\n# CONFIG_MODULE_SIG is not set\n# CONFIG_UBSAN is not set\n";
  assert.deepEqual(unmetOptions(frag, final), ["CONFIG_UBSAN=y (got n)"]);
  assert.throws(() => parseFragment("PROVE_LOCKING=y"), /not a Kconfig assignment/);
});

test("the repo's fragment asks for every detector the course needs", () => {
  const frag = parseFragment(readFileSync(COURSE_FRAGMENT_PATH, "utf8"));
  for (const o of ["PROVE_LOCKING", "DEBUG_ATOMIC_SLEEP", "DEBUG_SPINLOCK", "DEBUG_KMEMLEAK", "DMA_API_DEBUG", "DEBUG_OBJECTS_TIMERS",
    "DEBUG_OBJECTS_WORK", "SOFTLOCKUP_DETECTOR", "DETECT_HUNG_TASK"]) assert.equal(frag.get(`CONFIG_${o}`), "y", o);
});

test("the course kernel is built from the stock kernel's own source package, by host architecture", () => {
  const recipe = readRecipe();
  assert.equal(courseRoots(recipe)[0], `linux-source-${kernelSeries(recipe)}`);
  assert.equal(hostDebArch("x64"), "amd64");
  assert.throws(() => hostDebArch("ia32"), /amd64 or arm64/);
});

test("flavours: stock by default, each in its own guest folder, an unknown one is an error", () => {
  assert.equal(parseFlavour(undefined), "stock");
  assert.equal(guestDirName("stock"), "guest");
  assert.equal(guestDirName("course"), "guest-course");
  assert.throws(() => parseFlavour("debug"), /unknown guest flavour "debug"/);
});
