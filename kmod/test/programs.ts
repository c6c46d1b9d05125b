// The course's user programs (kmod/tests: tri-bench, pm2ref-tests, pm2-demo) built on this host by Debian's i386
// cross compiler (the course kernel's toolchain), linked statically, for the tests whose subject is the driver or
// the card, not the build: the guest compiles each in about a minute, the host in a second. The tests of what a
// student builds (the starter project, the page) still build them in the guest.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Machine } from "../../vcd/machine/machine.ts";
import { PROJECT_DIR } from "../../vcd/machine/node-host.ts";
import { buildGuestPrograms } from "../../guest-image/src/course-kernel.ts";

/** The programs kmod/tests/Makefile builds (its PROGS). */
export const PROGRAMS: string[] = (() => {
  const m = /^PROGS\s*:=\s*(.+)$/m.exec(readFileSync(join(PROJECT_DIR, "kmod/tests/Makefile"), "utf8"));
  if (!m) throw new Error("kmod/tests/Makefile: no PROGS := line");
  return m[1]!.trim().split(/\s+/);
})();

/** The programs, built against kmod/include (with `header` as the card's generated header, for a variant). */
export async function hostPrograms(header?: string): Promise<Map<string, Uint8Array>> {
  const dir = mkdtempSync(join(tmpdir(), "vgpu-programs-"));
  cpSync(join(PROJECT_DIR, "kmod/tests"), join(dir, "tests"), { recursive: true });
  cpSync(join(PROJECT_DIR, "kmod/include"), join(dir, "include"), { recursive: true });
  if (header !== undefined) writeFileSync(join(dir, "include/generated/pm2v_regs.h"), header);
  await buildGuestPrograms(join(dir, "tests"));
  return new Map(PROGRAMS.map((p) => [p, new Uint8Array(readFileSync(join(dir, "tests", p)))]));
}

/**
 * Puts the programs in the guest's `dir` (below /work), executable and newer than their sources, so that a `make`
 * there (run-tests.sh runs one) finds them up to date.
 */
export async function putPrograms(m: Machine, programs: Map<string, Uint8Array>, dir = "kmod/tests"): Promise<void> {
  for (const [name, data] of programs) await m.putFile(`${dir}/${name}`, data);
  const names = [...programs.keys()].join(" ");
  const r = await m.exec(`cd /work/${dir} && chmod 755 ${names} && sleep 1 && touch ${names} && make -q ${names} && echo up-to-date`);
  if (!/^up-to-date$/m.test(r.stdout)) throw new Error(`the host-built programs are not up to date in the guest's ${dir}: ${r.stdout}${r.stderr}`);
}
