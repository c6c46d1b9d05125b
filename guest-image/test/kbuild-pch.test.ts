// The guest's precompiled-header wrapper and its prefix scanner, run on the host with a stand-in compiler that
// records how it was called. (In the real guest they are exercised by vcd/machine/test/machine.integration.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMAGE_DIR } from "../src/recipe.ts";

const LIBEXEC = join(IMAGE_DIR, "overlay/rootfs/usr/libexec");
const guarded = (name: string) => `/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _${name}_H\n#define _${name}_H\nint ${name};\n#endif\n`;

/** A kernel tree in miniature: ./inc/linux/{guarded,once,bare}.h and the three files kbuild -includes. */
function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), "pch-"));
  mkdirSync(join(dir, "inc/linux"), { recursive: true });
  writeFileSync(join(dir, "inc/linux/module.h"), guarded("MODULE"));
  writeFileSync(join(dir, "inc/linux/pci.h"), guarded("PCI"));
  writeFileSync(join(dir, "inc/linux/once.h"), "#pragma once\nint once;\n");
  writeFileSync(join(dir, "inc/linux/bare.h"), "int bare;\n");
  writeFileSync(join(dir, "inc/linux/kconfig.h"), guarded("KCONFIG"));
  // The stand-in compiler: logs its arguments, makes its -o file, and warns when asked to.
  writeFileSync(join(dir, "cc"), [
    "#!/bin/sh",
    'printf "%s\\n" "$*" >> "$CC_LOG"',
    'o=; prev=; for a; do [ "$prev" = -o ] && o=$a; prev=$a; done',
    '[ -n "$o" ] && echo object > "$o"',
    'case "$*" in *-Wp,-MMD,*) dep=${*##*-Wp,-MMD,}; dep=${dep%% *}; echo "t.o: t.c $(echo "$*" | grep -o "[^ ]*prefix.h")" > "$dep" ;; esac',
    'case "$*" in *c-header*) [ -n "$CC_WARN" ] && echo "warning: something" >&2 ;; esac',
    'case "$*" in *c-header*) exit 0 ;; esac',
    'exit ${CC_STATUS:-0}',
  ].join("\n") + "\n", { mode: 0o755 });
  return dir;
}

function prefixOf(dir: string, source: string, dirs = "./inc"): string {
  writeFileSync(join(dir, "t.c"), source);
  return execFileSync("awk", ["-v", `dirs=${dirs}`, "-f", join(LIBEXEC, "kbuild-pch-prefix.awk"), "t.c"], { cwd: dir }).toString();
}

test("the prefix is the source's leading guarded kernel includes and one-line defines", () => {
  const dir = tree();
  const src = [
    "// SPDX-License-Identifier: GPL-2.0",
    "/*",
    " * a driver",
    " */",
    '#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt',
    "",
    "#include <linux/module.h>",
    "#include <linux/once.h> /* also fine */",
    "#define DRV 1",
    "#include <linux/pci.h>",
    "static int x;",
    "#include <linux/bare.h>",
  ].join("\n");
  assert.equal(prefixOf(dir, src), '#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt\n#include <linux/module.h>\n#include <linux/once.h>\n#define DRV 1\n#include <linux/pci.h>\n');
});

test("the prefix stops at anything whose second reading could differ", () => {
  const dir = tree();
  const cases: Array<[string, string]> = [
    ["#include <linux/module.h>\n#include <linux/bare.h>\n#include <linux/pci.h>\n", "an unguarded header"],
    ['#include <linux/module.h>\n#include "local.h"\n#include <linux/pci.h>\n', "the student's own header"],
    ["#include <linux/module.h>\n#ifdef X\n#include <linux/pci.h>\n#endif\n", "a conditional"],
    ["#include <linux/module.h>\n#define M(a) \\\n  a\n#include <linux/pci.h>\n", "a define that goes on"],
    ["#include <linux/module.h>\n#define URL \"http://x\"\n#include <linux/pci.h>\n", "a define with a comment-like string"],
    ["#include <linux/module.h>\n#include <linux/missing.h>\n#include <linux/pci.h>\n", "a header not found"],
  ];
  for (const [src, why] of cases) assert.equal(prefixOf(dir, src), "#include <linux/module.h>\n", why);
  assert.equal(prefixOf(dir, "#include <linux/module.h>\n", dir + "/inc"), "", "headers outside the kernel tree are not taken");
  assert.equal(prefixOf(dir, "#define ONLY 1\nint x;\n"), "", "no include, no prefix");
});

function cc(dir: string, args: string[], env: Record<string, string> = {}, status = 0) {
  const r = spawnSync("sh", [join(LIBEXEC, "kbuild-pch-cc"), "./cc", ...args], {
    cwd: dir, env: { ...process.env, CC_LOG: join(dir, "log"), KBUILD_PCH_CACHE: join(dir, "cache"), ...env },
  });
  assert.equal(r.status, status, r.stderr.toString());
  wait(dir);
  const log = readFileSync(join(dir, "log"), "utf8").trim().split("\n");
  writeFileSync(join(dir, "log"), "");
  const gen = log.filter((l) => l.includes("-x c-header"));
  assert.ok(gen.every((l) => !/(^| )(-c|t\.c|-Wp,\S*|-include)( |$)/.test(l)), "the header is built with kbuild's flags, less the object's");
  return log.filter((l) => !gen.includes(l));
}

function wait(dir: string) { execFileSync("sh", [join(LIBEXEC, "kbuild-pch-cc"), "--wait", "30"], { env: { ...process.env, KBUILD_PCH_CACHE: join(dir, "cache") } }); }
const kbuildArgs = ["-Wp,-MMD,.t.o.d", "-I./inc", "-include", "./inc/linux/kconfig.h", "-DKBUILD_MODNAME=\"t\"", "-c", "-o", "t.o", "t.c"];

test("a first compile is plain and precompiles its prefix in the background; the next one uses it", () => {
  const dir = tree();
  writeFileSync(join(dir, "t.c"), "#include <linux/module.h>\n#include <linux/pci.h>\nint main;\n");
  const first = cc(dir, kbuildArgs);
  assert.equal(first[0], kbuildArgs.join(" "), "the first compile is exactly kbuild's");
  wait(dir);
  const [entry] = readdirSync(join(dir, "cache"));
  const e = join(dir, "cache", entry!);
  assert.equal(readFileSync(join(e, "prefix.h"), "utf8"), `#include "${dir}/./inc/linux/kconfig.h"\n#include <linux/module.h>\n#include <linux/pci.h>\n`);
  const gen = readFileSync(join(e, "log"), "utf8");
  assert.equal(gen, "", "the header compiled without a diagnostic");
  assert.ok(existsSync(join(e, "prefix.h.gch")));

  const second = cc(dir, kbuildArgs, { KBUILD_PCH_VERBOSE: "1" });
  assert.equal(second.length, 1);
  assert.equal(second[0], `-Wp,-MMD,.t.o.d -I./inc -DKBUILD_MODNAME="t" -c -o t.o t.c -include ${e}/prefix.h`, "kbuild's -include files are in the header");
  assert.equal(readFileSync(join(dir, ".t.o.d"), "utf8").trim(), "t.o: t.c", "the cache entry is not a dependency");

  const other = cc(dir, kbuildArgs.map((a) => (a.startsWith("-DKBUILD_MODNAME") ? "-DKBUILD_MODNAME=\"u\"" : a)));
  assert.doesNotMatch(other[0]!, /prefix\.h/, "other macros, another header");
});

test("a header shipped read-only in the image is used like a cached one, and nothing is precompiled again", () => {
  const dir = tree();
  writeFileSync(join(dir, "t.c"), "#include <linux/module.h>\n#include <linux/pci.h>\nint main;\n");
  cc(dir, kbuildArgs);
  wait(dir);
  const [entry] = readdirSync(join(dir, "cache"));
  const shipped = join(dir, "shipped");
  cpSync(join(dir, "cache", entry!), join(shipped, entry!), { recursive: true });
  rmSync(join(dir, "cache"), { recursive: true });
  // Read-only in the image: nothing may be written there (root ignores chmod, so a directory stands in the way).
  rmSync(join(shipped, entry!, "used"), { force: true });
  mkdirSync(join(shipped, entry!, "used"));
  const used = cc(dir, kbuildArgs, { KBUILD_PCH_SHIPPED: shipped, KBUILD_PCH_VERBOSE: "1" });
  assert.deepEqual(used, [`-Wp,-MMD,.t.o.d -I./inc -DKBUILD_MODNAME="t" -c -o t.o t.c -include ${shipped}/${entry}/prefix.h`]);
  assert.equal(readFileSync(join(dir, ".t.o.d"), "utf8").trim(), "t.o: t.c", "the shipped header is not a dependency");
  assert.ok(!existsSync(join(dir, "cache")), "no header is precompiled for a compile the image has one for");
  const other = cc(dir, kbuildArgs.map((a) => (a.startsWith("-DKBUILD_MODNAME") ? "-DKBUILD_MODNAME=\"u\"" : a)), { KBUILD_PCH_SHIPPED: shipped });
  assert.doesNotMatch(other[0]!, /prefix\.h/, "another module's compile does not take the starter's header");
});

test("a failed compile still precompiles its prefix, and keeps its own status", () => {
  const dir = tree();
  writeFileSync(join(dir, "t.c"), "#include <linux/module.h>\nint main(;\n");
  assert.equal(cc(dir, kbuildArgs, { CC_STATUS: "1" }, 1)[0], kbuildArgs.join(" "));
  assert.match(cc(dir, kbuildArgs, { CC_STATUS: "1" }, 1)[0]!, /-include \S*prefix\.h$/, "the next attempt at the fix is fast");
});

test("a prefix with a diagnostic is never precompiled, and odd compiles pass straight through", () => {
  const dir = tree();
  writeFileSync(join(dir, "t.c"), "#include <linux/module.h>\nint main;\n");
  cc(dir, kbuildArgs, { CC_WARN: "1" });
  wait(dir);
  const [entry] = readdirSync(join(dir, "cache"));
  assert.ok(existsSync(join(dir, "cache", entry!, "refused")));
  assert.doesNotMatch(cc(dir, kbuildArgs)[0]!, /prefix\.h/, "the warning would have been hidden: compile plainly");
  const pre = ["-E", ...kbuildArgs];
  assert.deepEqual(cc(dir, pre), [pre.join(" ")]);
});

// The image ships the starter's headers; a header stands for a compile only under the same flags (the module's name
// among them) and the same prefix. The complete driver (the tests' and the grader's reference, the fixtures made
// from it) is built as the same module with the same leading includes, so its first build uses them too.
test("the starter and the reference driver share module name and prefix, so the shipped headers serve both", async () => {
  const { PROJECT_DIR } = await import("../../vcd/machine/node-host.ts");
  const { STARTER_MODULE } = await import("../../kmod/starter/project.ts");
  const { SUBMISSION_MAKEFILE } = await import("../../kmod/fixtures/submissions.ts");
  const dir = tree();
  const read = (p: string) => readFileSync(join(PROJECT_DIR, p), "utf8");
  const starter = read("kmod/starter/pm2ref.c"), reference = read("kmod/reference/pm2ref.c");
  for (const name of new Set([...(starter + reference).matchAll(/^#include <(linux\/[^>]+)>/gm)].map((m) => m[1]!))) {
    writeFileSync(join(dir, "inc", name), guarded(name.replace(/\W/g, "_").toUpperCase()));
  }
  const prefix = prefixOf(dir, starter);
  assert.match(prefix, /#include <linux\/pci\.h>/);
  assert.equal(prefixOf(dir, reference), prefix);
  const module = (makefile: string) => /^obj-m := (\w+)\.o$/m.exec(makefile)?.[1];
  assert.equal(`${module(read("kmod/starter/Makefile"))}.ko`, STARTER_MODULE);
  assert.equal(module(SUBMISSION_MAKEFILE), module(read("kmod/reference/Makefile")));
  assert.equal(module(SUBMISSION_MAKEFILE), STARTER_MODULE.replace(/\.ko$/, ""));
  assert.equal(/^ccflags-y := (.*)$/m.exec(SUBMISSION_MAKEFILE)?.[1], /^ccflags-y := (.*)$/m.exec(read("kmod/starter/Makefile"))?.[1]);
});
