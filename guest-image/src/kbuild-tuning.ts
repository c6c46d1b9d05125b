// Kbuild in the guest, made fast without changing what students type or what gets built.
//
// Every `make` re-runs kbuild's compiler probes (cc-option, cc-disable-warning, ld-option …): about twenty
// compiler runs of a quarter second each under v86, for answers that cannot change — the guest's gcc and the
// kernel configuration are fixed by the image. Kbuild kept such a probe cache until Linux 4.18; the image puts
// one back by rewriting `try-run` in the headers' scripts/Makefile.compiler as it assembles the system root.

/** Where the guest keeps probe answers: tmpfs, so the saved state carries the warm-up build's answers. */
export const PROBE_CACHE = "/var/cache/kbuild/probes";

/** The Debian package file that defines try-run (linux-kbuild-<major.minor>). */
export function makefileCompilerPath(release: string): string {
  const m = /^(\d+\.\d+)/.exec(release);
  if (!m) throw new Error(`cannot tell the kernel version from release ${release}`);
  return `usr/lib/linux-kbuild-${m[1]}/scripts/Makefile.compiler`;
}

const ORIGINAL = /^try-run = \$\(shell set -e;[^\n]*\n(?:\t[^\n]*\n)*?\tfi\)\n/m;

/**
 * try-run with a cache: the key is the md5 of the probe's full text (command, answer if it works, answer if not),
 * so any change of flags asks the compiler again. A failure to write the cache only costs time.
 */
const MEMOIZED = `# vgpu-lab: compiler probes are answered from a cache (see guest-image/src/kbuild-tuning.ts in vgpu-lab).
KBUILD_PROBE_CACHE ?= ${PROBE_CACHE}
try-run = $(shell set -e;		\\
	K=$$(printf '%s' '$(subst ','\\'',$(1)|$(2)|$(3))' | md5sum); K=$\${K%% *}; \\
	if R=$$(grep -m1 "^$$K" $(KBUILD_PROBE_CACHE) 2>/dev/null); then echo "$\${R#* }"; exit 0; fi; \\
	TMP=$(TMPOUT)/tmp;		\\
	trap "rm -rf $(TMPOUT)" EXIT;	\\
	mkdir -p $(TMPOUT);		\\
	if ($(1)) >/dev/null 2>&1;	\\
	then R="$(2)";			\\
	else R="$(3)";			\\
	fi;				\\
	{ mkdir -p $(dir $(KBUILD_PROBE_CACHE)) && echo "$$K $$R" >> $(KBUILD_PROBE_CACHE); } 2>/dev/null || :; \\
	echo "$$R")
`;

/** Makefile.compiler with a memoising try-run; throws when the file no longer has the definition it replaces. */
export function memoizeCompilerProbes(text: string): string {
  if (!ORIGINAL.test(text)) throw new Error("scripts/Makefile.compiler: no try-run definition of the expected form; update guest-image/src/kbuild-tuning.ts for this kernel");
  return text.replace(ORIGINAL, () => MEMOIZED);
}
