// Starting the guest in the machine's worker: fetch the manifest and saved state (with progress), then restore.
import wasmUrl from "v86/build/v86.wasm?url";
import { Machine } from "../../../vcd/machine/machine.ts";
import type { CardVariant } from "../../../vcd/card/definition.ts";
import { assetsFromManifest, stateKeyOf, type GuestManifest } from "../../../vcd/machine/manifest.ts";
import type { Flavour } from "../../../vcd/machine/flavour.ts";

/** A phase, and for downloads the fraction done with the bytes so far and in all. */
export type BootProgress = (phase: string, fraction?: number, bytes?: number, total?: number) => void;

async function fetchWithProgress(url: string, onProgress: (f: number, got: number, total: number) => void): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`cannot fetch ${url}: ${res.status}`);
  const total = Number(res.headers.get("Content-Length") ?? 0);
  const chunks: Uint8Array[] = [];
  let got = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    if (total) onProgress(got / total, got, total);
  }
  const out = new Uint8Array(got);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}

async function gunzip(data: Uint8Array): Promise<ArrayBuffer> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).arrayBuffer();
}

/**
 * Restores the guest with `variant` plugged in (a state saved with another card re-plugs the slot). `base` is an
 * absolute URL (a worker resolves relative ones against its script). `prefetchProgress` hears the background disk
 * prefetch's download, after the shell is up.
 */
export async function bootGuest(base: string, variant: CardVariant, progress: BootProgress, prefetchProgress?: BootProgress, flavour?: Flavour): Promise<{ machine: Machine; flavour: Flavour }> {
  const res = await fetch(`${base}/manifest.json`, { cache: "no-cache" });
  if (!res.ok) throw new Error(`no guest at ${base}/ (${res.status})`);
  const manifest = (await res.json()) as GuestManifest;
  const has = manifest.flavour ?? "stock";
  if (flavour && flavour !== has) throw new Error(`this lab offers no ${flavour} kernel (?kernel=${flavour}); its guest has the ${has} kernel`);
  const assets = assetsFromManifest(manifest, (f) => `${base}/${f}`, wasmUrl, async (url) => {
    const gz = await fetchWithProgress(url, (f, got, total) => prefetchProgress?.("fetching the compiler and headers", f, got, total));
    return new Uint8Array(await gunzip(gz));
  });
  let state: ArrayBuffer | undefined;
  if (manifest.state && manifest.state.imageKey === stateKeyOf(manifest)) {
    progress("downloading machine state", 0);
    const gz = await fetchWithProgress(`${base}/${manifest.state.file}`, (f, got, total) => progress("downloading machine state", f, got, total));
    progress("unpacking machine state");
    state = await gunzip(gz);
  }
  progress(state ? "restoring the guest" : "booting the guest (no saved state)");
  return { machine: await Machine.start(assets, { state, platform: { variant } }), flavour: has };
}
