// `vgpu-lab image build`: pinned .debs → kernel, initramfs, read-only system root (EROFS) and BIOS files in build/guest/.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { debianMirror } from "./mirror.ts";
import { fetchAll, unpackDeb } from "./deb.ts";
import { cachePath, cachedFile, keyOf, sha256, writeAtomic } from "./cache.ts";
import { IMAGE_DIR, type LockedPackage, type Recipe } from "./recipe.ts";
import { guestInputs } from "./inputs.ts";
import { GUEST_DIR } from "../../vcd/machine/node-host.ts";
import { FileTree } from "./tree.ts";
import { writeErofs } from "./erofs.ts";
import { writeCpio } from "./cpio.ts";
import { depmodFiles, indexModules, loadOrder } from "./modules.ts";
import { compileRulePaths, isConfigStamp, makefileCompilerPath, memoizeCompilerProbes, wrapCompileRule } from "./kbuild-tuning.ts";

/** Bump when the way images are assembled changes, so cached outputs are rebuilt. */
const ASSEMBLY_VERSION = 6;

export { GUEST_DIR };

export type { GuestManifest } from "../../vcd/machine/manifest.ts";
import type { GuestManifest } from "../../vcd/machine/manifest.ts";

export type Progress = (phase: string, done?: number, total?: number) => void;

function overlayFiles(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push([relative(dir, p), p]);
    }
  };
  walk(dir);
  return out;
}

/** The applet names compiled into a busybox binary ("[", "[[", "acpid", …). */
export function busyboxApplets(bin: Uint8Array): string[] {
  const needle = new TextEncoder().encode("\0[\0[[\0");
  outer: for (let i = 0; i < bin.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bin[i + j] !== needle[j]) continue outer;
    const names: string[] = [];
    let s = i + 1;
    while (bin[s] !== 0) {
      let e = s;
      while (bin[e] !== 0) e++;
      const name = new TextDecoder().decode(bin.subarray(s, e));
      if (!/^[a-z0-9_.[\-]+$/.test(name)) break;
      names.push(name);
      s = e + 1;
    }
    if (names.length > 50) return names;
  }
  throw new Error("cannot find the applet list in busybox");
}

function kernelRelease(recipe: Recipe): string {
  return recipe.kernel.image.replace(/^linux-image-/, "");
}

/** Assemble the system root tree from unpacked packages plus the overlay. */
/** Kernel modules built in the guest (the lab's platform: vpcib, vgpu), by name, and which to load at boot. */
export interface PlatformModules {
  modules: Map<string, Uint8Array>;
  load: string[];
  /** modules.dep, modules.alias and their binary indexes as the guest's depmod made them for the final tree. */
  index: Map<string, Uint8Array>;
  /**
   * What the starter project's build leaves for the image, by path below the root: its precompiled headers
   * (usr/lib/kbuild-pch/<key>/prefix.h{,.gch}) and the compiler cache of its test programs (usr/lib/vgpu-lab/ccache).
   */
  starter?: Map<string, Uint8Array>;
  /** Whether `starter` holds the precompiled headers (the course flavour ships the test programs' cache only). */
  starterHeaders?: boolean;
}

function rootTree(recipe: Recipe, lock: LockedPackage[], unpacked: Map<string, string>, platform?: PlatformModules): { tree: FileTree; modIndex: ReturnType<typeof indexModules> } {
  const release = kernelRelease(recipe);
  const tree = new FileTree();
  const modDir = `usr/lib/modules/${release}`;
  const firmware = new Set(recipe.firmware);
  const prune = recipe.prune.map((p) => p.replace(/^\/+/, ""));
  const keepMods = recipe.keepKernelModules.map((p) => `${modDir}/${p}`);
  const filter = (p: string) => {
    if (prune.some((x) => p === x || p.startsWith(x + "/"))) return false;
    if (isConfigStamp(p)) return false;
    if (p.startsWith(modDir + "/kernel/") && !keepMods.some((k) => p === k || p.startsWith(k + "/") || k.startsWith(p + "/"))) return false;
    return true;
  };
  // busybox applets first: real packages (make, kmod, pciutils …) replace them.
  const bbPkg = lock.find((p) => p.name.startsWith("busybox"))!;
  const bb = readFileSync(join(unpacked.get(bbPkg.name)!, "bin/busybox"));
  for (const a of busyboxApplets(bb)) if (a !== "busybox") tree.addSymlink(`usr/bin/${a}`, "/usr/bin/busybox");
  for (const p of lock) if (!firmware.has(p.name)) tree.addHostDir(unpacked.get(p.name)!, filter);
  for (const l of ["bin", "sbin", "lib"]) tree.addSymlink(l, `usr/${l}`);
  const rewrite = (path: string, edit: (text: string, path: string) => string) => {
    const node = tree.nodes.get(path);
    if (node?.kind !== "file") throw new Error(`${path} is missing from the kernel headers`);
    const text = node.data ? new TextDecoder().decode(node.data) : readFileSync(node.src!, "utf8");
    tree.addFile(path, edit(text, path), node.mode);
  };
  rewrite(makefileCompilerPath(release), memoizeCompilerProbes);
  for (const path of compileRulePaths(release)) rewrite(path, wrapCompileRule);
  tree.addSymlink("usr/sbin/init", "/usr/bin/busybox");
  tree.addSymlink("usr/bin/sh", "busybox");
  tree.addSymlink("usr/bin/awk", "mawk");
  // cc is ccache in front of gcc (etc/ccache.conf): user programs' compiles come from the image's cache.
  tree.addSymlink("usr/bin/cc", "ccache");
  for (const d of ["proc", "sys", "dev", "tmp", "run", "root", "var", "home", "work", "mnt"]) tree.add(d, { kind: "dir", mode: 0o755 });
  for (const [rel, host] of overlayFiles(join(IMAGE_DIR, "overlay/rootfs"))) {
    tree.add(rel.replace(/^(bin|sbin|lib)\//, "usr/$1/"), { kind: "file", mode: statSync(host).mode & 0o777, src: host, size: statSync(host).size });
  }
  tree.addFile("etc/vgpu/release", `${release}\n`);
  tree.addFile("etc/hostname", "vgpu-lab\n");
  tree.addFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  tree.addFile("etc/group", "root:x:0:\n");
  if (platform) {
    for (const [name, ko] of platform.modules) tree.addFile(`${modDir}/extra/${name}.ko`, ko);
    tree.addFile("etc/vgpu/modules", platform.load.join("\n") + "\n");
    for (const [path, data] of platform.starter ?? []) tree.addFile(path, data, 0o644);
  }
  const modIndex = indexModules(tree, modDir);
  if (platform?.index.size) {
    for (const [name, data] of platform.index) tree.addFile(`${modDir}/${name}`, data);
  } else {
    const dep = depmodFiles(modIndex);
    tree.addFile(`${modDir}/modules.dep`, dep.dep);
    tree.addFile(`${modDir}/modules.alias`, dep.alias);
  }
  return { tree, modIndex };
}

/** Builds the image; without `platform` it is the bare stage in which the platform modules get compiled. */
export async function buildImage(progress: Progress = () => {}, platform?: PlatformModules): Promise<GuestManifest> {
  const { recipe, lock, local, flavour } = await guestInputs(progress);
  const release = kernelRelease(recipe);
  const overlayKey = overlayFiles(join(IMAGE_DIR, "overlay")).map(([rel, host]) => [rel, sha256(readFileSync(host))]);
  const platformKey = platform ? [[...platform.modules].map(([n, ko]) => [n, sha256(ko)]), platform.load, [...platform.index].map(([n, d]) => [n, sha256(d)]), [...platform.starter ?? []].map(([n, d]) => [n, sha256(d)])] : null;
  const key = keyOf(ASSEMBLY_VERSION, recipe, lock.packages.map((p) => p.sha256), overlayKey, platformKey);
  mkdirSync(GUEST_DIR, { recursive: true });
  const manifestPath = join(GUEST_DIR, "manifest.json");
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as GuestManifest;
    if (m.key === key && Object.values(m.files).every((f) => existsSync(join(GUEST_DIR, f)))) {
      progress("image up to date");
      return m;
    }
  }

  const mirror = debianMirror();
  progress("download");
  const debs = await fetchAll(mirror, lock.packages.filter((p) => !local.has(p.name)), (d, t, name) => progress(`download ${name}`, d, t));
  const unpacked = new Map<string, string>();
  let n = 0;
  for (const p of lock.packages) {
    unpacked.set(p.name, local.get(p.name) ?? await unpackDeb(debs.get(p.name)!, p));
    progress(`unpack ${p.name}`, ++n, lock.packages.length);
  }
  progress("assemble system root");
  const { tree, modIndex } = rootTree(recipe, lock.packages, unpacked, platform);
  const rootfs = await cachedFile(cachePath("images", `rootfs-${key}.erofs`), () => writeErofs(tree));
  writeAtomic(join(GUEST_DIR, "rootfs.img"), rootfs);

  progress("assemble initramfs");
  const init = new FileTree();
  const bbPkg = lock.packages.find((p) => p.name.startsWith("busybox"))!;
  init.addFile("bin/busybox", readFileSync(join(unpacked.get(bbPkg.name)!, "bin/busybox")), 0o755);
  init.addFile("init", readFileSync(join(IMAGE_DIR, "overlay/initramfs/init")), 0o755);
  const order = loadOrder(modIndex, recipe.initramfsModules.filter((m) => !/virtio|9p/.test(m)));
  for (const m of order) {
    const node = tree.nodes.get(`usr/lib/modules/${release}/${modIndex.path.get(m)}`)!;
    init.addFile(`modules/${m}.ko`, tree.contents(node));
  }
  init.addFile("modules.load", order.join("\n") + "\n");
  const initrd = gzipSync(writeCpio(init), { level: 6 });
  writeAtomic(join(GUEST_DIR, "initrd.img"), initrd);

  progress("kernel and firmware");
  const kpkg = lock.packages.find((p) => p.name === recipe.kernel.image)!;
  const bzimage = readFileSync(join(unpacked.get(kpkg.name)!, `boot/vmlinuz-${release}`));
  writeAtomic(join(GUEST_DIR, "bzImage"), bzimage);
  const fw = lock.packages.find((p) => p.name === "seabios")!;
  const bios = readFileSync(join(unpacked.get(fw.name)!, "usr/share/seabios/bios.bin"));
  const vgabios = readFileSync(join(unpacked.get(fw.name)!, "usr/share/seabios/vgabios-stdvga.bin"));
  writeAtomic(join(GUEST_DIR, "bios.bin"), bios);
  writeAtomic(join(GUEST_DIR, "vgabios.bin"), vgabios);

  const manifest: GuestManifest = {
    key, kernelRelease: release, cmdline: recipe.kernel.cmdline, memoryMB: recipe.memoryMB,
    files: { bzimage: "bzImage", initrd: "initrd.img", rootfs: "rootfs.img", bios: "bios.bin", vgabios: "vgabios.bin" },
    sizes: { bzimage: bzimage.length, initrd: initrd.length, rootfs: rootfs.length, bios: bios.length, vgabios: vgabios.length,
      rootFiles: [...tree.nodes.values()].filter((x) => x.kind === "file").length },
    packages: lock.packages.map((p) => ({ name: p.name, version: p.version, source: p.source })),
    platform: platform ? [...platform.modules.keys()] : undefined,
    flavour,
    starterHeaders: platform ? (platform.starterHeaders ?? false) : undefined,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
  progress("image built");
  return manifest;
}
