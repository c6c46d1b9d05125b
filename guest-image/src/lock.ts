// `vgpu-lab image lock`: resolve the recipe's packages against the mirror's index and pin every .deb by SHA-256.
import { debianMirror, fetchPackagesIndex, httpGet, type PackageEntry } from "./mirror.ts";
import { readRecipe, writeLock, LOCK_PATH, type LockedPackage, type Recipe } from "./recipe.ts";

/** Names in a Depends field: alternatives are '|', versions and arch qualifiers dropped. */
export function parseDepends(field: string | undefined): string[][] {
  if (!field) return [];
  return field.split(",").map((group) =>
    group.split("|").map((alt) => alt.trim().replace(/\s*\(.*\)$/, "").replace(/:\w+$/, "").replace(/\s*\[.*\]$/, "")).filter(Boolean),
  );
}

export function resolveClosure(recipe: Recipe, index: PackageEntry[]): LockedPackage[] {
  const byName = new Map<string, PackageEntry>();
  const providers = new Map<string, string[]>();
  for (const e of index) {
    const prev = byName.get(e.Package);
    // Several versions can sit in one index while a transition is under way: keep the last, as apt lists them.
    if (!prev) byName.set(e.Package, e);
    for (const [p] of parseDepends(e.Provides)) {
      const list = providers.get(p) ?? [];
      list.push(e.Package);
      providers.set(p, list);
    }
  }
  const exclude = new Set(recipe.exclude);
  const chosen = new Map<string, LockedPackage>();
  const roots = [recipe.kernel.image, recipe.kernel.headers, ...recipe.packages, ...recipe.firmware];
  const queue: Array<[string, string]> = roots.map((r) => [r, "recipe"]);
  const pick = (alts: string[]): string | undefined => {
    for (const a of alts) if (chosen.has(a)) return a;
    for (const a of alts) if (!exclude.has(a) && byName.has(a)) return a;
    for (const a of alts) for (const p of providers.get(a) ?? []) if (!exclude.has(p)) return p;
    return undefined;
  };
  for (let i = 0; i < queue.length; i++) {
    const [name, by] = queue[i];
    if (chosen.has(name) || exclude.has(name)) continue;
    const e = byName.get(name);
    if (!e) {
      const p = pick([name]);
      if (p && p !== name) { queue.push([p, by]); continue; }
      throw new Error(`package ${name} (needed by ${by}) is not in the ${recipe.suite} ${recipe.architecture} index. ` +
        `If the mirror moved on, edit guest-image/recipe.json and run \`npx vgpu-lab image lock\`.`);
    }
    chosen.set(name, {
      name, version: e.Version, filename: e.Filename, size: Number(e.Size), sha256: e.SHA256,
      source: (e.Source ?? e.Package).split(" ")[0], requiredBy: by,
    });
    for (const alts of [...parseDepends(e["Pre-Depends"]), ...parseDepends(e.Depends)]) {
      if (alts.some((a) => exclude.has(a))) continue;
      const p = pick(alts);
      if (!p) throw new Error(`no package satisfies '${alts.join(" | ")}' (a dependency of ${name})`);
      queue.push([p, name]);
    }
  }
  return [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export async function lockImage(log: (s: string) => void = console.log): Promise<void> {
  const recipe = readRecipe();
  const mirror = debianMirror();
  const release = new TextDecoder().decode(await httpGet(`${mirror}/dists/${recipe.suite}/Release`, "the Release file"));
  const indexDate = /^Date:\s*(.+)$/m.exec(release)?.[1] ?? "unknown";
  const index: PackageEntry[] = [];
  for (const c of recipe.components) index.push(...(await fetchPackagesIndex(mirror, recipe.suite, c, recipe.architecture)));
  const packages = resolveClosure(recipe, index);
  writeLock({
    comment: "Pinned by `npx vgpu-lab image lock` from the suite's Packages index; sha256 is the index's SHA256 field. Do not edit by hand.",
    suite: recipe.suite, architecture: recipe.architecture, indexDate, packages,
  });
  const mb = packages.reduce((s, p) => s + p.size, 0) / 1e6;
  log(`pinned ${packages.length} packages (${mb.toFixed(1)} MB of .debs) from the index of ${indexDate} into ${LOCK_PATH}`);
}
