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

/**
 * A site's kernels (`kernels.json` beside the page): the one a plain URL gets, in guest/, and every one `?kernel=`
 * may name, each other one in guest-<flavour>/. A site without the file has one guest, in guest/.
 */
export const KERNELS_INDEX = "kernels.json";
export interface KernelsIndex { default: Flavour; offered: Flavour[] }

/** The folder of a site that holds a flavour's guest. */
export function siteGuestDir(index: KernelsIndex, f: Flavour): string {
  return f === index.default ? "guest" : `guest-${f}`;
}

/**
 * Which guest a page URL asks for: `?kernel=` or the site's default. Throws, saying what the site offers, when it
 * names one the site does not carry.
 */
export function chooseKernel(index: KernelsIndex | undefined, search: string): { flavour?: Flavour; dir: string } {
  const wanted = new URLSearchParams(search).get("kernel") ?? undefined;
  if (!index) {
    // One guest, whatever it is: the page checks its manifest against a wanted flavour.
    return { flavour: wanted === undefined ? undefined : parseFlavour(wanted), dir: "guest" };
  }
  const f = wanted === undefined ? index.default : parseFlavour(wanted);
  if (!index.offered.includes(f)) throw new Error(`this lab offers no ${f} kernel (?kernel=${wanted}); it offers: ${index.offered.join(", ")}`);
  return { flavour: f, dir: siteGuestDir(index, f) };
}

/** What the lab says about a kernel, in its status bar. */
export function kernelLabel(f: Flavour): string {
  return f === "course" ? "course kernel (bug detectors on)" : "stock kernel";
}
