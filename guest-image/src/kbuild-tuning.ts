// Kbuild in the guest, made fast without changing what students type or what gets built.
//
// 1. Compiler probes. Every `make` re-runs kbuild's compiler probes (cc-option, cc-disable-warning, ld-option …):
// about thirty compiler runs of a quarter second each under v86, for answers that cannot change — the guest's gcc
// and the kernel configuration are fixed by the image. Kbuild kept such a probe cache until Linux 4.18; the image
// puts one back by wrapping `try-run` in the headers' scripts/Makefile.compiler as it assembles the system root.
//
// 2. Config stamps. The headers ship an empty include/config/<SYMBOL> for each of the 6,382 options, so that a
// module's dependency lists (`$(wildcard include/config/…)`) notice a changed configuration. The image's
// configuration cannot change, and make looks up each of the hundreds of stamps a module's dependency lists name
// (romfs, the image's first root filesystem, scanned a 6,384-entry directory for each). The image leaves them out;
// the wildcards then match nothing, as they would for any option the configuration never had.
//
// 3. Precompiled headers. Most of a warm build is gcc parsing kernel headers: 15 s of a 10-line driver's 16 s.
// Kbuild's C compile goes through `kbuild-pch-cc` (overlay/rootfs/usr/libexec), which precompiles the source's own
// leading #includes in the background after a first plain compile and uses that header from then on; what the
// compiler sees is the same text (see the script). `make KBUILD_PCH_CC=` turns it off.

/** Where the guest keeps probe answers: tmpfs, so the saved state carries the warm-up build's answers. */
export const PROBE_CACHE = "/var/cache/kbuild/probes.mk";

/** The Debian package file that defines try-run (linux-kbuild-<major.minor>). */
export function makefileCompilerPath(release: string): string {
  const m = /^(\d+\.\d+)/.exec(release);
  if (!m) throw new Error(`cannot tell the kernel version from release ${release}`);
  return `usr/lib/linux-kbuild-${m[1]}/scripts/Makefile.compiler`;
}

const ORIGINAL = /^try-run = \$\(shell set -e;[^\n]*\n(?:\t[^\n]*\n)*?\tfi\)\n/m;

/**
 * try-run with a cache, looked up by make itself: no shell is started for a known probe (each one cost about
 * 40 ms under v86, a second per make). The key is the probe's full text (command, answer if it works, answer if
 * not), so any change of flags asks the compiler again; kbuild's own try-run, renamed, asks it. The cache is one
 * file of KEY=ANSWER words with blanks, '%', '=' and '~' escaped, read once per make process; answers are
 * appended when the directory exists, so a missing one only costs time.
 */
const MEMO = `# vgpu-lab: compiler probes are answered from a cache (see guest-image/src/kbuild-tuning.ts in vgpu-lab).
KBUILD_PROBE_CACHE ?= ${PROBE_CACHE}
__probe_empty :=
__probe_space := $(__probe_empty) $(__probe_empty)
__probe_esc = $(subst $(__probe_space),~s,$(subst %,~p,$(subst =,~e,$(subst ~,~t,$(1)))))
__probe_unesc = $(subst ~t,~,$(subst ~e,=,$(subst ~p,%,$(subst ~s,$(__probe_space),$(1)))))
__probe_words := $(if $(wildcard $(KBUILD_PROBE_CACHE)),$(file <$(KBUILD_PROBE_CACHE)))
__probe_hit = $(firstword $(filter $(1)=%,$(__probe_words)))
__probe_store = $(if $(wildcard $(dir $(KBUILD_PROBE_CACHE))),$(file >>$(KBUILD_PROBE_CACHE),$(1)=$(call __probe_esc,$(2))))$(2)
__probe_try = $(if $(call __probe_hit,$(1)),$(call __probe_unesc,$(patsubst $(1)=%,%,$(call __probe_hit,$(1)))),$(call __probe_store,$(1),$(call __probe_run,$(2),$(3),$(4))))
try-run = $(call __probe_try,$(call __probe_esc,$(1)|$(2)|$(3)),$(1),$(2),$(3))
`;

/** Makefile.compiler with a memoising try-run; throws when the file no longer has the definition it wraps. */
export function memoizeCompilerProbes(text: string): string {
  if (!ORIGINAL.test(text)) throw new Error("scripts/Makefile.compiler: no try-run definition of the expected form; update guest-image/src/kbuild-tuning.ts for this kernel");
  return text.replace(ORIGINAL, (orig) => `${MEMO}${orig.replace(/^try-run =/, "__probe_run =")}`);
}

/** The wrapper kbuild's C compiles go through (installed from overlay/rootfs). */
export const PCH_CC = "/usr/libexec/kbuild-pch-cc";

/**
 * The guest command that returns once no header is being precompiled (status 1 if one still is after `seconds`).
 * A module's first build leaves its header compiling in the background; anything timed in the guest waits for it
 * first: that compile keeps the guest's CPU busy, so the card's work waits for the end of each emulator slice
 * (tri-bench at h20 ran 2.3 times slower beside it).
 */
export const pchWait = (seconds = 600): string => `${PCH_CC} --wait ${seconds}`;

/** The kbuild files whose cmd_cc_o_c is wrapped: module objects, and the generated .mod.c. */
export function compileRulePaths(release: string): string[] {
  const dir = makefileCompilerPath(release).replace(/Makefile\.compiler$/, "");
  return [`${dir}Makefile.build`, `${dir}Makefile.modfinal`];
}

const CC_RULE = /^(\s*cmd_cc_o_c = )\$\(CC\) /m;

/** A kbuild makefile whose C compile runs through $(KBUILD_PCH_CC); throws when the rule is not where it was. */
export function wrapCompileRule(text: string, file: string): string {
  if ((text.match(new RegExp(CC_RULE.source, "gm")) ?? []).length !== 1) {
    throw new Error(`${file}: no single "cmd_cc_o_c = $(CC) …" rule; update guest-image/src/kbuild-tuning.ts for this kernel`);
  }
  return text.replace(CC_RULE, (_m, head: string) =>
    `# vgpu-lab: precompiled headers (see guest-image/src/kbuild-tuning.ts in vgpu-lab).\nKBUILD_PCH_CC ?= ${PCH_CC}\n${head}$(KBUILD_PCH_CC) $(CC) `);
}

/** usr/src/linux-headers-<release>/include/config/<SYMBOL>, the per-option stamps (auto.conf and kernel.release stay). */
export function isConfigStamp(path: string): boolean {
  return /^usr\/src\/linux-headers-[^/]+\/include\/config\/[A-Za-z0-9_]+$/.test(path);
}
