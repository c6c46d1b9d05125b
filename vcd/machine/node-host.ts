// Starting machines in Node: the built guest in build/guest/, its saved state, and copying host folders in.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { Machine, type MachineOptions } from "./machine.ts";
import { assetsFromManifest, type GuestManifest } from "./manifest.ts";

export const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const GUEST_DIR = process.env.VGPU_BUILD ? join(process.env.VGPU_BUILD, "guest") : join(PROJECT_DIR, "build", "guest");

export function v86WasmPath(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve("v86").replace(/libv86\.m?js$/, ""), "v86.wasm");
}

export function readManifest(dir = GUEST_DIR): GuestManifest {
  const p = join(dir, "manifest.json");
  if (!existsSync(p)) throw new Error(`no guest image in ${dir}: run \`npx vgpu-lab image build\``);
  return JSON.parse(readFileSync(p, "utf8")) as GuestManifest;
}

export function nodeAssets(m: GuestManifest, dir = GUEST_DIR) {
  return assetsFromManifest(m, (f) => join(dir, f), v86WasmPath());
}

/** The saved state for this image, decompressed, or undefined when none was taken. */
export function readState(m: GuestManifest, dir = GUEST_DIR): ArrayBuffer | undefined {
  if (!m.state || m.state.imageKey !== m.key || !existsSync(join(dir, m.state.file))) return undefined;
  const raw = gunzipSync(readFileSync(join(dir, m.state.file)));
  return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
}

/** Start the built guest: restore its saved state when there is one, else boot. */
export async function startNodeMachine(options: MachineOptions & { boot?: boolean } = {}): Promise<Machine> {
  const m = readManifest();
  const state = options.boot ? undefined : options.state ?? readState(m);
  return Machine.start(nodeAssets(m), { ...options, state });
}

/** Copy a host folder into the guest's work folder. */
export async function copyDirIn(machine: Machine, hostDir: string, guestPrefix = ""): Promise<number> {
  let n = 0;
  const walk = async (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) await walk(p);
      else if (st.isFile()) {
        await machine.putFile(join(guestPrefix, relative(hostDir, p)), readFileSync(p));
        n++;
      }
    }
  };
  await walk(hostDir);
  return n;
}
