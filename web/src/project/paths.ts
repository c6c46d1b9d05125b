// Project paths: relative, forward slashes, no "." or ".." elements, printable names. One check for the tree's
// create and rename, the zip import and IndexedDB restores.

export const MAX_PATH_LENGTH = 200;

/** Why `path` cannot be a project file's path, or null when it can. */
export function checkPath(path: string): string | null {
  if (!path) return "a file needs a name";
  if (path.length > MAX_PATH_LENGTH) return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return `${path}: absolute paths are not allowed`;
  if (path.includes("\\")) return `${path}: use / between folders`;
  const parts = path.split("/");
  if (parts.some((p) => p === ".." || p === ".")) return `${path}: "." and ".." are not allowed in paths`;
  if (parts.some((p) => p === "")) return `${path}: empty folder name`;
  if (/[\x00-\x1f\x7f]/.test(path)) return `${path}: control characters in the name`;
  if (!/^[\w.+@ -]+(\/[\w.+@ -]+)*$/.test(path)) return `${path}: use letters, digits, and . _ - + @ in names`;
  return null;
}

/** Files the build makes, never part of the project (kbuild's and the tests' products). */
export function isBuildProduct(path: string): boolean {
  return /\.(o|ko|mod|mod\.c|cmd|order|symvers|d|a|so)$/.test(path) || /(^|\/)\.[^/]*\.cmd$/.test(path) || /(^|\/)\.tmp_/.test(path);
}
