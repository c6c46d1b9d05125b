// The guest image's manifest (written by guest-image, read by whoever starts a machine) and how it becomes assets.
import type { GuestAssets } from "./machine.ts";
import type { Flavour } from "./flavour.ts";

export interface GuestManifest {
  /** Identifies the image contents; a saved state is valid only for the image it was taken on. */
  key: string;
  kernelRelease: string;
  cmdline: string;
  memoryMB: number;
  files: { bzimage: string; initrd: string; rootfs: string; bios: string; vgabios: string };
  sizes: Record<string, number>;
  packages: Array<{ name: string; version: string; source: string }>;
  /** Platform modules built in the guest and baked into the image (absent in the bare compile stage). */
  platform?: string[];
  /** Which kernel (see flavour.ts); absent in manifests older than the course flavour (stock). */
  flavour?: Flavour;
  /** False when the image ships no precompiled headers for the starter project (the course flavour). */
  starterHeaders?: boolean;
  /** The saved machine state, when one was taken for this image. */
  state?: { file: string; imageKey: string; bytes: number; rawBytes: number; takenAt: string; diskPrefetch?: DiskPrefetchInfo };
}

/**
 * The system disk's ranges a first build reads, packed into one gzip'd file (their bytes one after the other) and
 * fetched after a restore, once the shell is usable (guest-image/src/disk-prefetch.ts says why).
 */
export interface DiskPrefetchInfo {
  file: string;
  /** Byte ranges of the disk, sorted, in multiples of 256 bytes. */
  ranges: Array<[offset: number, length: number]>;
  /** Bytes of disk the ranges cover, and the packed file's size. */
  bytes: number;
  packedBytes: number;
}

/** Bumped when the way the state is taken changes (warm-up, zeroed free memory …): older states are retaken. */
const STATE_RECIPE = 5;

/** The key a state taken now for this image carries; a state with any other key is stale. */
export function stateKeyOf(m: Pick<GuestManifest, "key">): string {
  return `${m.key}/state-${STATE_RECIPE}`;
}

/**
 * Resolve a manifest's files against a base (a folder in Node, a URL prefix in the browser). `loadPacked` reads a
 * gzip'd file the host way (fetch in the browser, the file system in Node); without it there is no disk prefetch.
 */
export function assetsFromManifest(m: GuestManifest, resolve: (file: string) => string, wasm: string,
  loadPacked?: (file: string) => Promise<Uint8Array>): GuestAssets {
  const prefetch = m.state?.imageKey === stateKeyOf(m) ? m.state.diskPrefetch : undefined;
  return {
    wasm,
    bios: { url: resolve(m.files.bios) },
    vgaBios: { url: resolve(m.files.vgabios) },
    bzimage: { url: resolve(m.files.bzimage) },
    initrd: { url: resolve(m.files.initrd) },
    disk: { url: resolve(m.files.rootfs), size: m.sizes.rootfs },
    cmdline: m.cmdline,
    kernelRelease: m.kernelRelease,
    memoryMB: m.memoryMB,
    flavour: m.flavour ?? "stock",
    diskPrefetch: prefetch && loadPacked ? { ranges: prefetch.ranges, bytes: prefetch.bytes, packedBytes: prefetch.packedBytes, load: () => loadPacked(resolve(prefetch.file)) } : undefined,
  };
}
