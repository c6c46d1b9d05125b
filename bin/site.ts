// The lab as a static site: `npm run build` puts the page (Vite's build) and the guest assets (build/guest) in
// dist/, which any static web server can host; all it needs is HTTP range requests (v86 reads the disk image in
// ranges). `--kernels stock,course` puts both kernels' guests in, for the page's `?kernel=`. `vgpu-lab serve`
// serves that build with the small server below, rebuilding it when its inputs changed.
import { createHash } from "node:crypto";
import { existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, relative, sep } from "node:path";
import { spawnSync } from "node:child_process";
import { PROJECT_DIR, guestDirOf } from "../vcd/machine/node-host.ts";
import { currentFlavour, KERNELS_INDEX, parseFlavour, siteGuestDir, type Flavour, type KernelsIndex } from "../vcd/machine/flavour.ts";
import { sendFile } from "./http-range.ts";

export const DIST = join(PROJECT_DIR, "dist");
const STAMP = ".vgpu-lab-build";

/** Everything the built page depends on: its sources, the model it bundles, the config and the locked packages. */
function inputs(kernels: Flavour[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  for (const d of ["web", "vcd", "kmod/starter"]) walk(join(PROJECT_DIR, d));
  for (const f of ["vite.config.ts", "package-lock.json", "package.json"]) out.push(join(PROJECT_DIR, f));
  for (const dir of kernels.map(guestDirOf)) for (const f of existsSync(dir) ? readdirSync(dir) : []) out.push(join(dir, f));
  return out.filter((p) => existsSync(p) && !/\.(test|integration)\.ts$/.test(p)).sort();
}

function fingerprint(kernels: Flavour[]): string {
  const h = createHash("sha256");
  h.update(kernels.join(",") + "\n");
  for (const p of inputs(kernels)) {
    const s = statSync(p);
    h.update(`${relative(PROJECT_DIR, p)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest("hex").slice(0, 24);
}

/**
 * The kernels a site offers, from `--kernels stock,course` (default: this process's flavour alone). The first is
 * this process's flavour: the one a plain URL gets.
 */
export function parseKernels(args: string[]): Flavour[] {
  const i = args.indexOf("--kernels");
  const own = currentFlavour();
  if (i < 0) return [own];
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error("--kernels needs a list, e.g. --kernels stock,course");
  const list = v.split(",").filter(Boolean).map(parseFlavour);
  return [own, ...new Set(list.filter((f) => f !== own))];
}

/** Every other kernel's guest built (each in a process of its own: a process works on one flavour's folder). */
export function ensureOtherGuests(kernels: Flavour[]): void {
  for (const f of kernels.filter((k) => k !== currentFlavour())) {
    if (spawnSync(process.execPath, [join(PROJECT_DIR, "bin/vgpu-lab.js"), "--flavour", f, "image", "build"], { stdio: "inherit", cwd: PROJECT_DIR }).status !== 0) {
      throw new Error(`the ${f} guest did not build`);
    }
  }
}

/**
 * Build dist/ when its inputs changed (or `force`); returns whether it built. `kernels`: the guests it carries, the
 * first in guest/ (what a plain URL boots), any other in guest-<flavour>/ for `?kernel=`, listed in kernels.json.
 */
export async function buildSite(options: { force?: boolean; log?: (s: string) => void; kernels?: Flavour[] } = {}): Promise<boolean> {
  const log = options.log ?? ((s: string) => process.stderr.write(`[site] ${s}\n`));
  const kernels = options.kernels ?? [currentFlavour()];
  const index: KernelsIndex = { default: kernels[0]!, offered: kernels };
  const { ensureImage } = await import("./cli.ts");
  await ensureImage();
  ensureOtherGuests(kernels);
  const fp = fingerprint(kernels);
  if (!options.force && existsSync(join(DIST, STAMP)) && readFileSync(join(DIST, STAMP), "utf8") === fp) return false;
  log("building the page (vite build)");
  const { build } = await import("vite");
  await build({ configFile: join(PROJECT_DIR, "vite.config.ts"), logLevel: "warn" });
  for (const f of kernels) {
    const dir = siteGuestDir(index, f);
    log(`adding the ${f} guest in ${dir}/`);
    const guest = join(DIST, dir);
    rmSync(guest, { recursive: true, force: true });
    mkdirSync(guest, { recursive: true });
    for (const name of readdirSync(guestDirOf(f))) {
      const from = join(guestDirOf(f), name);
      if (!statSync(from).isFile()) continue;
      try { linkSync(from, join(guest, name)); } catch { copyFileSync(from, join(guest, name)); }
    }
  }
  writeFileSync(join(DIST, KERNELS_INDEX), JSON.stringify(index, null, 2) + "\n");
  const leaks = checkSite();
  if (leaks.length) throw new Error(`dist/ holds what it must not: ${leaks.join(", ")}`);
  writeFileSync(join(DIST, STAMP), fingerprint(kernels));
  log(`dist/ ready (${(siteBytes() / 1e6).toFixed(0)} MB)`);
  return true;
}

/** Every file under `dir` (absolute paths). */
export function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p); else out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function siteBytes(): number {
  return files(DIST).reduce((n, f) => n + statSync(f).size, 0);
}

/**
 * Lines only the instructor's reference driver has: code lines of kmod/reference/*.c that no file the page bundles
 * on purpose (the starter project, the test programs, the card's headers) also has, and that a bundler keeps verbatim
 * (no quotes, backslashes or tabs to escape). The starter opens with the reference's includes and implements the same
 * interface (same function names), so a shared line says nothing about a leak.
 */
export function referenceMarkers(project = PROJECT_DIR, max = 40): string[] {
  const texts = (dir: string, keep: (f: string) => boolean) =>
    existsSync(join(project, dir)) ? files(join(project, dir)).filter(keep).map((f) => readFileSync(f, "utf8")) : [];
  const shipped = [...texts("kmod/starter", () => true), ...texts("kmod/tests", () => true),
    ...texts("kmod/include", (f) => f.endsWith(".h"))].join("\n");
  const seen = new Set<string>();
  return texts("kmod/reference", (f) => f.endsWith(".c")).flatMap((t) => t.split("\n")).map((l) => l.trim())
    .filter((l) => l.length >= 28 && !/^(\/\*|\*|\/\/|#)/.test(l) && !/["'\\\t]/.test(l) && !shipped.includes(l))
    .filter((l) => !seen.has(l) && seen.add(l)).slice(0, max);
}

/**
 * What must never be in the site: the instructor's reference driver and grading material. Checks file names, and
 * the page's own files (not the guest's images) for lines only the reference driver has.
 */
export function checkSite(dir = DIST): string[] {
  const bad: string[] = [];
  const markers = referenceMarkers();
  for (const f of files(dir)) {
    const rel = relative(dir, f);
    if (/(^|[/\\])(reference|grading)([/\\]|$)|\.map$/.test(rel)) bad.push(rel);
    if (/^guest(-\w+)?[/\\]/.test(rel) || statSync(f).size > 20 << 20) continue;
    const text = readFileSync(f, "latin1");
    const hit = markers.find((m) => text.includes(m));
    if (hit) bad.push(`${rel} (has "${hit.slice(0, 40)}")`);
  }
  return bad;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".ttf": "font/ttf", ".woff2": "font/woff2",
  ".zip": "application/zip", ".md": "text/markdown; charset=utf-8",
};

/** A static file server with HTTP ranges: all the site needs from a host. */
export function serveStatic(dir: string, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer((req, res) => {
    let rel = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    if (rel.endsWith("/")) rel += "index.html";
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      return res.end("not found");
    }
    res.setHeader("Content-Type", TYPES[extname(file)] ?? "application/octet-stream");
    res.setHeader("Cache-Control", rel.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    sendFile(req, res, file);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

// `npm run build`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*[/\\]/, "/"))) {
  Promise.resolve().then(() => buildSite({ force: process.argv.includes("--force"), kernels: parseKernels(process.argv.slice(2)) })).then((built) => {
    if (!built) process.stderr.write("[site] dist/ is up to date\n");
  }, (e: Error) => { process.stderr.write(`[site] ${e.message}\n`); process.exitCode = 1; });
}
