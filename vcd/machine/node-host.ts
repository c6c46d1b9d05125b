// Starting machines in Node: the built guest in build/guest/, its saved state, and copying host folders in.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
import { gunzip, gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Machine, type GuestAssets, type MachineOptions } from "./machine.ts";
import { assetsFromManifest, stateKeyOf, type GuestManifest } from "./manifest.ts";
import { currentFlavour, guestDirName, type Flavour } from "./flavour.ts";
import { V8_WASM_FLAGS } from "./engine-flags.ts";

export const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));
/** Where a flavour's built guest lives. */
export function guestDirOf(flavour: Flavour): string {
  return join(process.env.VGPU_BUILD ?? join(PROJECT_DIR, "build"), guestDirName(flavour));
}
/** The built guest of the flavour this process works on (see flavour.ts). */
export const GUEST_DIR = guestDirOf(currentFlavour());

export function v86WasmPath(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve("v86").replace(/libv86\.m?js$/, ""), "v86.wasm");
}

export function readManifest(dir = GUEST_DIR): GuestManifest {
  const p = join(dir, "manifest.json");
  if (!existsSync(p)) throw new Error(`no guest image in ${dir}: run \`npx vgpu-lab image build\``);
  return JSON.parse(readFileSync(p, "utf8")) as GuestManifest;
}

const gunzipAsync = promisify(gunzip);

let core: Promise<WebAssembly.Module> | undefined;

/**
 * v86.wasm, compiled once per process with V8's defaults, after which this process's V8 takes the lab's flags
 * (engine-flags.ts): v86's own code tiers up to V8's optimizing compiler as it gets hot, while the modules v86's JIT
 * makes from guest code, all compiled later, stay on the baseline compiler. Every Node machine instantiates this
 * module. VGPU_V8_DEFAULTS=1 leaves V8's defaults for everything, for measuring the difference.
 */
export function v86Core(): Promise<WebAssembly.Module> {
  core ??= readFile(v86WasmPath()).then((bytes) => WebAssembly.compile(bytes)).then((module) => {
    if (!process.env.VGPU_V8_DEFAULTS) for (const f of V8_WASM_FLAGS) setFlagsFromString(f);
    return module;
  });
  return core;
}

export function nodeAssets(m: GuestManifest, dir = GUEST_DIR): GuestAssets {
  const assets = assetsFromManifest(m, (f) => join(dir, f), v86WasmPath(), async (path) => new Uint8Array(await gunzipAsync(await readFile(path))));
  return { ...assets, compiledWasm: v86Core };
}

/** The saved state for this image, decompressed, or undefined when none was taken. */
export function readState(m: GuestManifest, dir = GUEST_DIR): ArrayBuffer | undefined {
  if (!m.state || m.state.imageKey !== stateKeyOf(m) || !existsSync(join(dir, m.state.file))) return undefined;
  const raw = gunzipSync(readFileSync(join(dir, m.state.file)));
  return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
}

/**
 * Boot a guest from scratch, for building the image: a second try when the first does not come up. The course
 * kernel now and then stops early in a cold boot on a loaded host (after "smpboot: weird, boot CPU (#0) not listed
 * by the BIOS", the guest idle); a healthy boot takes 15-60 s, so a try gets `timeoutMs`.
 */
export async function bootFresh(assets: GuestAssets, log: (s: string) => void, timeoutMs = 300_000): Promise<Machine> {
  try {
    return await Machine.start(assets, { bootTimeout: timeoutMs });
  } catch (e) {
    const msg = (e as Error).message;
    if (!/did not come up/.test(msg)) throw e;
    const last = msg.trim().split("\n").pop() ?? "";
    log(`the guest did not come up within ${timeoutMs / 1000} s (its console's last line: ${last.trim()}); booting it again`);
    return Machine.start(assets, { bootTimeout: timeoutMs });
  }
}

/** Start the built guest (this process's flavour unless given): restore its saved state when there is one, else boot. */
export async function startNodeMachine(options: MachineOptions & { boot?: boolean; flavour?: Flavour } = {}): Promise<Machine> {
  const dir = options.flavour ? guestDirOf(options.flavour) : GUEST_DIR;
  const m = readManifest(dir);
  const state = options.boot ? undefined : options.state ?? readState(m, dir);
  return Machine.start(nodeAssets(m, dir), { ...options, state });
}

/** Files below a host folder as [path relative to it, absolute path], sorted, build products left out. */
export function hostFiles(hostDir: string, skip: RegExp = /\.(o|ko|cmd|mod|mod\.c|order|symvers)$/): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && !skip.test(name)) out.push([relative(hostDir, p), p]);
    }
  };
  walk(hostDir);
  return out;
}

/** Copy a host folder into the guest's work folder. */
export async function copyDirIn(machine: Pick<Machine, "putFile">, hostDir: string, guestPrefix = ""): Promise<number> {
  const files = hostFiles(hostDir, /^$/);
  for (const [rel, abs] of files) await machine.putFile(join(guestPrefix, rel), readFileSync(abs));
  return files.length;
}
