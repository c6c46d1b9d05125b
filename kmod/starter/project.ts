// The student's starter project: each file's path in the project and where it comes from in this repository.
// One table for the lab page (its default project), the handout and the benchmarks.

export interface ProjectSource {
  /** Path in the student's project (and under /work in the guest). */
  path: string;
  /** Path in this repository, from its top. */
  from: string;
}

const TESTS = ["Makefile", "pm2lib.h", "pm2ref-tests.c", "tri-bench.c", "pm2-demo.c"];

export const STARTER_PROJECT: readonly ProjectSource[] = [
  { path: "pm2ref.c", from: "kmod/starter/pm2ref.c" },
  { path: "Makefile", from: "kmod/starter/Makefile" },
  { path: "test.sh", from: "kmod/starter/test.sh" },
  { path: "README.md", from: "kmod/starter/README.md" },
  { path: "include/generated/pm2v_regs.h", from: "kmod/include/generated/pm2v_regs.h" },
  { path: "include/uapi/pm2ref.h", from: "kmod/include/uapi/pm2ref.h" },
  ...TESTS.map((f) => ({ path: `tests/${f}`, from: `kmod/tests/${f}` })),
];

/** The course's test programs in the starter project (tests/*.c), each one compile the image's compiler cache holds. */
export const STARTER_TEST_PROGRAMS: readonly ProjectSource[] = STARTER_PROJECT.filter((f) => /^tests\/[^/]+\.c$/.test(f.path));

/** The module a Build of the starter project makes. */
export const STARTER_MODULE = "pm2ref.ko";

/** The starter project's files, read with `read` (a repository path in, the file's bytes out). */
export function starterFiles<T>(read: (repoPath: string) => T): Map<string, T> {
  return new Map(STARTER_PROJECT.map((s) => [s.path, read(s.from)]));
}
