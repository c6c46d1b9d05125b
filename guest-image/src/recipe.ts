// The typed view of guest-image/recipe.json and packages.lock.json.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const IMAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const PROJECT_DIR = dirname(IMAGE_DIR);
export const RECIPE_PATH = join(IMAGE_DIR, "recipe.json");
export const LOCK_PATH = join(IMAGE_DIR, "packages.lock.json");

export interface Recipe {
  suite: string;
  architecture: string;
  components: string[];
  kernel: { image: string; headers: string; cmdline: string };
  /** The course flavour's kernel (see course-kernel.ts). */
  course: { configFragment: string; cmdlineExtra: string };
  /** Guest RAM. */
  memoryMB: number;
  packages: string[];
  /** Packages that feed the emulator (BIOS), not the guest root. */
  firmware: string[];
  exclude: string[];
  initramfsModules: string[];
  prune: string[];
  keepKernelModules: string[];
}

export interface LockedPackage {
  name: string;
  version: string;
  filename: string;
  size: number;
  sha256: string;
  source: string;
  /** Why it is in the image: a root of the recipe, or the package that depends on it. */
  requiredBy: string;
}

export interface LockFile {
  comment: string;
  suite: string;
  architecture: string;
  /** Date of the Packages index the pins were taken from (its Release file's Date). */
  indexDate: string;
  packages: LockedPackage[];
}

export function readRecipe(): Recipe {
  return JSON.parse(readFileSync(RECIPE_PATH, "utf8")) as Recipe;
}

export function readLock(): LockFile {
  try {
    return JSON.parse(readFileSync(LOCK_PATH, "utf8")) as LockFile;
  } catch (e) {
    throw new Error(`cannot read ${LOCK_PATH}: ${(e as Error).message}. Run \`npx vgpu-lab image lock\` to create it.`);
  }
}

export function writeLock(lock: LockFile): void {
  writeFileSync(LOCK_PATH, JSON.stringify(lock, null, 2) + "\n");
}
