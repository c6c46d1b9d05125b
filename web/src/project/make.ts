// What the buttons run for a project: its module (the Makefile's obj-m) and its tests (a `test` target).

/** The module the project builds: the Makefile's first obj-m (kbuild's output at the top of /work), else the one .ko there. */
export function moduleOf(files: Record<string, string>, built: string[]): string | null {
  const m = /^\s*obj-m\s*[:+]?=\s*([\w-]+)\.o\b/m.exec(files["Makefile"] ?? "");
  if (m) return `${m[1]}.ko`;
  const kos = built.filter((p) => /^\/[^/]+\.ko$/.test(p)).map((p) => p.slice(1));
  return kos.length === 1 ? kos[0]! : null;
}

/** How the project runs its tests: a `test` target, else the tests folder's runner. */
export function testCommand(files: Record<string, string>): string | null {
  if (/^test\s*:/m.test(files["Makefile"] ?? "")) return "make -s test 2>&1";
  if (files["tests/run-tests.sh"] !== undefined) return "sh tests/run-tests.sh 2>&1";
  return null;
}

