// The guest's flavours: the same Debian userland and Linux version, two kernels. `stock` is Debian's 686 kernel
// as packaged; `course` is the same source built with the kernel's bug detectors (lockdep, might-sleep, kmemleak,
// the DMA API debugger …; guest-image/kernel/course.config). Each flavour's built guest lives in its own folder.

export type Flavour = "stock" | "course";
export const FLAVOURS: readonly Flavour[] = ["stock", "course"];

export function parseFlavour(s: string | undefined): Flavour {
  if (s === undefined || s === "") return "stock";
  if (!(FLAVOURS as readonly string[]).includes(s)) throw new Error(`unknown guest flavour "${s}" (one of ${FLAVOURS.join(", ")})`);
  return s as Flavour;
}

/** The flavour this process works on: VGPU_FLAVOUR (the CLI's --flavour sets it before anything is loaded). */
export function currentFlavour(env: Record<string, string | undefined> = process.env): Flavour {
  return parseFlavour(env.VGPU_FLAVOUR);
}

/** The folder below the build directory that holds a flavour's guest. */
export function guestDirName(f: Flavour): string {
  return f === "stock" ? "guest" : `guest-${f}`;
}
