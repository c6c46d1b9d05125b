// The guest image's manifest (written by guest-image, read by whoever starts a machine) and how it becomes assets.
import type { GuestAssets } from "./machine.ts";

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
  /** The saved machine state, when one was taken for this image. */
  state?: { file: string; imageKey: string; bytes: number; rawBytes: number; takenAt: string };
}

/** Bumped when the way the state is taken changes (warm-up, zeroed free memory …): older states are retaken. */
const STATE_RECIPE = 4;

/** The key a state taken now for this image carries; a state with any other key is stale. */
export function stateKeyOf(m: Pick<GuestManifest, "key">): string {
  return `${m.key}/state-${STATE_RECIPE}`;
}

/** Resolve a manifest's files against a base (a folder in Node, a URL prefix in the browser). */
export function assetsFromManifest(m: GuestManifest, resolve: (file: string) => string, wasm: string): GuestAssets {
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
  };
}
