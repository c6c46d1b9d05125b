// What a flavour's guest is made of: the recipe and the pinned packages, and for the course flavour its own kernel
// standing in for Debian's linux-image and linux-headers packages (unpacked trees of the same layout).
import { currentFlavour, type Flavour } from "../../vcd/machine/flavour.ts";
import { readLock, readRecipe, type LockFile, type Recipe } from "./recipe.ts";
import { courseKernel } from "./course-kernel.ts";
import type { Progress } from "./build.ts";

export interface GuestInputs {
  flavour: Flavour;
  recipe: Recipe;
  lock: LockFile;
  /** Packages that are already unpacked trees (built here, not downloaded): name → folder. */
  local: Map<string, string>;
}

export async function guestInputs(progress: Progress = () => {}, flavour = currentFlavour()): Promise<GuestInputs> {
  const recipe = readRecipe();
  const lock = readLock();
  if (flavour === "stock") return { flavour, recipe, lock, local: new Map() };
  const k = await courseKernel(progress);
  if (!k.cached) progress(`course kernel ${k.release} compiled in ${k.buildSeconds!.toFixed(0)} s`);
  const image = `linux-image-${k.release}`, headers = `linux-headers-${k.release}`;
  const stock = lock.packages.find((p) => p.name === recipe.kernel.image)!;
  const local = (name: string, by: string) => ({ ...stock, name, version: `${stock.version}+course`, filename: "", size: 0, sha256: `${k.key}-${by}`, requiredBy: "recipe" });
  const packages = lock.packages
    .filter((p) => p.name !== recipe.kernel.image && p.name !== recipe.kernel.headers)
    .concat([local(image, "image"), local(headers, "headers")])
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    flavour,
    recipe: { ...recipe, kernel: { ...recipe.kernel, image, headers, cmdline: `${recipe.kernel.cmdline} ${recipe.course.cmdlineExtra}` } },
    lock: { ...lock, packages },
    local: new Map([[image, k.image], [headers, k.headers]]),
  };
}
