// Where Debian packages come from: the machine's apt sources, unless VGPU_DEBIAN_MIRROR says otherwise.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export class MirrorError extends Error {}

/** The Debian mirror base URL (ending without a slash). */
export function debianMirror(env = process.env): string {
  const fromEnv = env.VGPU_DEBIAN_MIRROR?.trim();
  if (fromEnv) return fromEnv.replace(/\/+$/, "");
  const found = mirrorsFromAptSources();
  if (found.length) return found[0];
  throw new MirrorError(
    "no Debian mirror found: set VGPU_DEBIAN_MIRROR to a Debian archive URL (the folder that holds dists/ and pool/), " +
      "or add one to /etc/apt/sources.list.d/",
  );
}

/** Archive URLs named by the apt sources of this machine (one-line and deb822 formats), main archive first. */
export function mirrorsFromAptSources(root = "/etc/apt"): string[] {
  const files: string[] = [];
  if (existsSync(`${root}/sources.list`)) files.push(`${root}/sources.list`);
  if (existsSync(`${root}/sources.list.d`)) {
    for (const f of readdirSync(`${root}/sources.list.d`).sort()) {
      if (f.endsWith(".list") || f.endsWith(".sources")) files.push(`${root}/sources.list.d/${f}`);
    }
  }
  const urls: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".sources")) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const types = /^Types:\s*(.+)$/im.exec(stanza)?.[1] ?? "";
        const uris = /^URIs:\s*(.+)$/im.exec(stanza)?.[1] ?? "";
        const enabled = /^Enabled:\s*no/im.test(stanza) === false;
        if (enabled && types.split(/\s+/).includes("deb")) urls.push(...uris.split(/\s+/).filter(Boolean));
      }
    } else {
      for (const line of text.split("\n")) {
        const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/.exec(line);
        if (m) urls.push(m[1]);
      }
    }
  }
  const norm = urls.filter((u) => /^https?:\/\//.test(u)).map((u) => u.replace(/\/+$/, ""));
  // The security archive does not carry the main suite; put it last.
  norm.sort((a, b) => Number(/security/.test(a)) - Number(/security/.test(b)));
  return [...new Set(norm)];
}

export async function httpGet(url: string, what: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new MirrorError(`cannot reach the Debian mirror for ${what} (${url}): ${(e as Error).message}. ` +
      `Check the network or set VGPU_DEBIAN_MIRROR.`);
  }
  if (!res.ok) {
    throw new MirrorError(`${what}: the mirror answered ${res.status} ${res.statusText} for ${url}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** One stanza of a Packages index. */
export interface PackageEntry {
  Package: string;
  Version: string;
  Filename: string;
  Size: string;
  SHA256: string;
  Depends?: string;
  "Pre-Depends"?: string;
  Provides?: string;
  Source?: string;
  Architecture?: string;
  [field: string]: string | undefined;
}

export function parsePackages(text: string): PackageEntry[] {
  const out: PackageEntry[] = [];
  for (const stanza of text.split(/\n\n+/)) {
    if (!stanza.trim()) continue;
    const e: Record<string, string> = {};
    let last = "";
    for (const line of stanza.split("\n")) {
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (last) e[last] += "\n" + line;
        continue;
      }
      const i = line.indexOf(":");
      if (i < 0) continue;
      last = line.slice(0, i);
      e[last] = line.slice(i + 1).trim();
    }
    if (e.Package && e.Filename) out.push(e as PackageEntry);
  }
  return out;
}

export async function fetchPackagesIndex(mirror: string, suite: string, component: string, arch: string): Promise<PackageEntry[]> {
  const url = `${mirror}/dists/${suite}/${component}/binary-${arch}/Packages.gz`;
  const gz = await httpGet(url, `the ${suite}/${component} ${arch} package index`);
  return parsePackages(gunzipSync(gz).toString("utf8"));
}
