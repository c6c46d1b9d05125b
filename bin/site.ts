// The lab as a static site: `npm run build` puts the page (Vite's build) and the guest assets (build/guest) in
// dist/, which any static web server can host; all it needs is HTTP range requests (v86 reads the disk image in
// ranges). `vgpu-lab serve` serves that build with the small server below, rebuilding it when its inputs changed.
import { createHash } from "node:crypto";
import { existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, relative, sep } from "node:path";
import { PROJECT_DIR, GUEST_DIR } from "../vcd/machine/node-host.ts";
import { sendFile } from "./http-range.ts";

export const DIST = join(PROJECT_DIR, "dist");
const STAMP = ".vgpu-lab-build";

/** Everything the built page depends on: its sources, the model it bundles, the config and the locked packages. */
function inputs(): string[] {
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
  for (const f of existsSync(GUEST_DIR) ? readdirSync(GUEST_DIR) : []) out.push(join(GUEST_DIR, f));
  return out.filter((p) => existsSync(p) && !/\.(test|integration)\.ts$/.test(p)).sort();
}

function fingerprint(): string {
  const h = createHash("sha256");
  for (const p of inputs()) {
    const s = statSync(p);
    h.update(`${relative(PROJECT_DIR, p)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest("hex").slice(0, 24);
}

/** Build dist/ when its inputs changed (or `force`); returns whether it built. */
export async function buildSite(options: { force?: boolean; log?: (s: string) => void } = {}): Promise<boolean> {
  const log = options.log ?? ((s: string) => process.stderr.write(`[site] ${s}\n`));
  const { ensureImage } = await import("./cli.ts");
  await ensureImage();
  const fp = fingerprint();
  if (!options.force && existsSync(join(DIST, STAMP)) && readFileSync(join(DIST, STAMP), "utf8") === fp) return false;
  log("building the page (vite build)");
  const { build } = await import("vite");
  await build({ configFile: join(PROJECT_DIR, "vite.config.ts"), logLevel: "warn" });
  log("adding the guest assets");
  const guest = join(DIST, "guest");
  rmSync(guest, { recursive: true, force: true });
  mkdirSync(guest, { recursive: true });
  for (const f of readdirSync(GUEST_DIR)) {
    const from = join(GUEST_DIR, f);
    if (!statSync(from).isFile()) continue;
    try { linkSync(from, join(guest, f)); } catch { copyFileSync(from, join(guest, f)); }
  }
  const leaks = checkSite();
  if (leaks.length) throw new Error(`dist/ holds what it must not: ${leaks.join(", ")}`);
  writeFileSync(join(DIST, STAMP), fingerprint());
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
 * What must never be in the site: the instructor's reference driver and grading material. Checks file names, and
 * the page's own files (not the guest's images) for lines of the reference driver's source.
 */
export function checkSite(dir = DIST): string[] {
  const bad: string[] = [];
  const refDir = join(PROJECT_DIR, "kmod/reference");
  const markers = existsSync(refDir)
    ? readdirSync(refDir).filter((f) => f.endsWith(".c")).flatMap((f) => readFileSync(join(refDir, f), "utf8").split("\n"))
      .filter((l) => /^(static|int|void)\b.*\(/.test(l) && l.length > 24).slice(0, 40)
    : [];
  for (const f of files(dir)) {
    const rel = relative(dir, f);
    if (/(^|[/\\])(reference|grading)([/\\]|$)|pm2ref\.c$|\.map$/.test(rel)) bad.push(rel);
    if (rel.startsWith("guest" + sep) || statSync(f).size > 20 << 20) continue;
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
  buildSite({ force: process.argv.includes("--force") }).then((built) => {
    if (!built) process.stderr.write("[site] dist/ is up to date\n");
  }, (e: Error) => { process.stderr.write(`[site] ${e.message}\n`); process.exitCode = 1; });
}
