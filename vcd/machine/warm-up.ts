// The first compile in a freshly restored machine is slow for reasons that have nothing to do with the student's
// code: cc1 and the kernel headers are not in the guest's page cache yet and v86 has not compiled cc1's code to
// WebAssembly. A throwaway build of the project, in a private copy, at the lowest priority, pays for that while the
// student reads the starter, so their first Build runs like a warm one.
//
// The copy is mounted over the project's folder in a mount namespace of its own, so the compiles see the same
// paths and flags as the student's (the shipped precompiled headers are keyed by them) while the student's folder,
// its objects and their dates are never touched.
import { GUEST_WORK_DIR, type ExecResult } from "./machine.ts";

/** Exists while a warm-up build runs. */
export const WARM_UP_MARK = "/run/vgpu-warm";
/** The last warm-up's build output and exit status. */
export const WARM_UP_LOG = "/run/vgpu-warm.log";
const COPY = "/tmp/vgpu-warm";

/** Shell: starts the warm-up build in the background and returns at once (nothing to do without a Makefile). */
export function warmUpScript(dir = GUEST_WORK_DIR): string {
  const build = `mount --make-rprivate / && mount --bind ${COPY} ${dir} && make -C ${dir}; echo warm-up exit \\$?`;
  return [
    `[ -f ${dir}/Makefile ] && [ ! -e ${WARM_UP_MARK} ] || exit 0`,
    `rm -rf ${COPY} && mkdir -p ${COPY} && cp -a ${dir}/. ${COPY}/ || exit 0`,
    // Objects copied with the project would make the build a no-op, so they go (make -B would also try to remake
    // kbuild's host tools in the read-only headers tree).
    `find ${COPY} \\( -name '*.o' -o -name '*.ko' \\) -exec rm -f {} +`,
    `touch ${WARM_UP_MARK}`,
    `setsid sh -c 'renice -n 19 $$; unshare -m sh -c "${build}" >${WARM_UP_LOG} 2>&1; rm -rf ${COPY} ${WARM_UP_MARK}' </dev/null >/dev/null 2>&1 &`,
  ].join("\n");
}

/** Shell: waits (up to `seconds`) for a warm-up build to end; status 1 if it is still running. */
export function waitWarmUpScript(seconds = 600): string {
  return `i=0; while [ -e ${WARM_UP_MARK} ] && [ $i -lt ${seconds * 2} ]; do sleep 0.5; i=$((i+1)); done; [ ! -e ${WARM_UP_MARK} ]`;
}

/** Starts the warm-up in `m`'s guest; resolves once it has started (or was not needed). */
export async function startWarmUp(m: { exec(command: string, options?: { timeout?: number }): Promise<ExecResult> }): Promise<boolean> {
  const r = await m.exec(warmUpScript(), { timeout: 60_000 });
  return r.status === "exited" && r.exitCode === 0;
}
