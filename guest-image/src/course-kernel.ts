// The course flavour's kernel: Debian's own Linux source of the stock kernel's version (linux-source-X.Y), built on
// this host with Debian's i686 cross compiler, from Debian's 686 configuration reduced to what the guest uses plus
// the kernel's bug detectors (guest-image/kernel/course.config). Every tool comes from pinned Debian packages of the
// host's architecture (guest-image/course.lock.json), unpacked without root; nothing installed on the host is used
// but tar, xz and a shell. The result has the layout of Debian's linux-image and linux-headers packages, so the rest
// of the recipe treats it as one more unpacked package pair.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, cpSync, statSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { debianMirror, fetchPackagesIndex, httpGet } from "./mirror.ts";
import { fetchAll, unpackDeb } from "./deb.ts";
import { resolveClosure } from "./lock.ts";
import { cachedDir, cachePath, keyOf } from "./cache.ts";
import { IMAGE_DIR, readLock, readRecipe, type LockFile, type Recipe } from "./recipe.ts";
import type { Progress } from "./build.ts";

export const COURSE_LOCK_PATH = join(IMAGE_DIR, "course.lock.json");
export const COURSE_FRAGMENT_PATH = join(IMAGE_DIR, readRecipe().course.configFragment);
/** Bump when the way the kernel is configured or built changes. */
const KERNEL_BUILD_VERSION = 3;

/** Debian's name for this host's architecture (the toolchain runs here). */
export function hostDebArch(arch = process.arch): string {
  const map: Record<string, string> = { x64: "amd64", arm64: "arm64" };
  const a = map[arch];
  if (!a) throw new Error(`the course kernel is cross-compiled on amd64 or arm64 hosts; this one is ${arch}`);
  return a;
}

/** X.Y of the stock kernel, whose Debian source the course kernel is built from. */
export function kernelSeries(recipe: Recipe): string {
  const m = /^linux-image-(\d+\.\d+)\./.exec(recipe.kernel.image);
  if (!m) throw new Error(`cannot tell the kernel series from ${recipe.kernel.image}`);
  return m[1];
}

/** The packages the build needs on the host: the source, the cross compiler and the build's own tools. */
export function courseRoots(recipe: Recipe): string[] {
  return [`linux-source-${kernelSeries(recipe)}`, "gcc-i686-linux-gnu", "libc6-dev-i386-cross", "make", "flex", "bison", "bc"];
}

/** Present on every Debian system (Essential or required): not unpacked again. */
const HOST_BASE = ["libc6", "libc-bin", "libgcc-s1", "zlib1g", "libzstd1", "liblzma5", "libbz2-1.0", "perl-base", "dpkg", "debconf",
  "tar", "coreutils", "xz-utils", "libcrypt1", "libselinux1", "libpcre2-8-0", "libtinfo6", "libreadline8", "readline-common",
  "install-info", "libstdc++6", "gcc-12-base", "binutils", "libbinutils", "binutils-x86-64-linux-gnu", "binutils-common"];

export function readCourseLock(): LockFile {
  try {
    return JSON.parse(readFileSync(COURSE_LOCK_PATH, "utf8")) as LockFile;
  } catch (e) {
    throw new Error(`cannot read ${COURSE_LOCK_PATH}: ${(e as Error).message}. Run \`npx vgpu-lab image lock --flavour course\`.`);
  }
}

/** `image lock --flavour course`: pin the host packages of the kernel build, like the guest's own. */
export async function lockCourse(log: (s: string) => void = console.log): Promise<void> {
  const recipe = readRecipe();
  const arch = hostDebArch();
  const mirror = debianMirror();
  const release = new TextDecoder().decode(await httpGet(`${mirror}/dists/${recipe.suite}/Release`, "the Release file"));
  const indexDate = /^Date:\s*(.+)$/m.exec(release)?.[1] ?? "unknown";
  const index = [];
  for (const c of recipe.components) index.push(...(await fetchPackagesIndex(mirror, recipe.suite, c, arch)));
  const roots = courseRoots(recipe);
  // The index may hold several versions of the source (a point release under way): take the stock kernel's.
  const stock = readLock().packages.find((p) => p.name === recipe.kernel.image)!;
  const usable = index.filter((e) => e.Package !== roots[0] || e.Version === stock.version);
  if (!usable.some((e) => e.Package === roots[0])) {
    throw new Error(`the mirror has no ${roots[0]} ${stock.version} (the stock kernel's version): re-pin both (\`npx vgpu-lab image lock\`)`);
  }
  const packages = resolveClosure({ ...recipe, kernel: { ...recipe.kernel, image: roots[0], headers: roots[1] }, packages: roots.slice(2), firmware: [], exclude: HOST_BASE }, usable);
  const lock: LockFile = {
    comment: "The course kernel's build inputs for this host's architecture, pinned by `npx vgpu-lab image lock --flavour course`. Do not edit by hand.",
    suite: recipe.suite, architecture: arch, indexDate, packages,
  };
  writeFileSync(COURSE_LOCK_PATH, JSON.stringify(lock, null, 2) + "\n");
  log(`pinned ${packages.length} host packages (${(packages.reduce((s, p) => s + p.size, 0) / 1e6).toFixed(1)} MB) into ${COURSE_LOCK_PATH}`);
}

/** The toolchain: every host package unpacked into one tree, and the environment that runs from it. */
async function toolchain(lock: LockFile, progress: Progress): Promise<{ root: string; env: NodeJS.ProcessEnv }> {
  const tools = lock.packages.filter((p) => !p.name.startsWith("linux-source-"));
  const debs = await fetchAll(debianMirror(), tools, (d, t, name) => progress(`download ${name}`, d, t));
  const root = await cachedDir(cachePath("course", `toolchain-${keyOf(tools.map((p) => p.sha256))}`), async (dir) => {
    let n = 0;
    for (const p of tools) {
      const from = await unpackDeb(debs.get(p.name)!, p);
      cpSync(from, dir, { recursive: true, verbatimSymlinks: true, force: true, filter: (s) => !s.endsWith("/.done") });
      progress(`toolchain ${p.name}`, ++n, tools.length);
    }
  });
  const multiarch = hostDebArch() === "amd64" ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
  const env: NodeJS.ProcessEnv = {
    PATH: `${root}/usr/bin:${root}/bin:/usr/bin:/bin`,
    LD_LIBRARY_PATH: [`${root}/usr/lib/${multiarch}`, `${root}/lib/${multiarch}`].join(":"),
    M4: `${root}/usr/bin/m4`,
    BISON_PKGDATADIR: `${root}/usr/share/bison`,
    HOME: process.env.HOME ?? "/tmp",
    LANG: "C", LC_ALL: "C",
  };
  return { root, env };
}

/** Debian's configuration with every module dropped except the fragment's, then the fragment. */
export function courseConfig(debian: string, fragment: string): string {
  const wanted = parseFragment(fragment);
  const lines = debian.split("\n").map((l) => {
    const m = /^(CONFIG_\w+)=m$/.exec(l);
    if (m && !wanted.has(m[1])) return `# ${m[1]} is not set`;
    return l;
  });
  return lines.join("\n") + "\n" + [...wanted].map(([k, v]) => (v === "n" ? `# ${k} is not set` : `${k}=${v}`)).join("\n") + "\n";
}

export function parseFragment(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const l = raw.trim();
    if (!l || l.startsWith("#")) continue;
    const m = /^(CONFIG_\w+)=(.*)$/.exec(l);
    if (!m) throw new Error(`${COURSE_FRAGMENT_PATH}: not a Kconfig assignment: ${l}`);
    out.set(m[1], m[2]);
  }
  return out;
}

/** Options of the fragment the final configuration does not hold as written. */
export function unmetOptions(fragment: Map<string, string>, final: string): string[] {
  const have = new Map<string, string>();
  for (const l of final.split("\n")) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(l) ?? /^# (CONFIG_\w+) is not set$/.exec(l);
    if (m) have.set(m[1], m[2] ?? "n");
  }
  return [...fragment].filter(([k, v]) => (have.get(k) ?? "n") !== v).map(([k, v]) => `${k}=${v} (got ${have.get(k) ?? "n"})`);
}

/**
 * How kbuild builds its host programs (fixdep, modpost, conf…): with this host's own C compiler when it has one,
 * as kbuild expects; otherwise with the cross compiler as static i386 programs, which run only where the host's
 * kernel runs i386 programs (many do not: "Exec format error").
 */
export function hostCompiler(path = process.env.PATH ?? ""): string[] {
  for (const dir of path.split(":").filter(Boolean)) {
    for (const cc of ["cc", "gcc"]) {
      const p = join(dir, cc);
      try {
        if (statSync(p).isFile()) return [`HOSTCC=${p}`];
      } catch { /* not here */ }
    }
  }
  return ["HOSTCC=i686-linux-gnu-gcc", "HOSTLDFLAGS=-static"];
}

/**
 * The flags every module built against the course kernel gets, the kernel itself being built without debug info
 * (`kernel/course.config`): the line tables of gcc's `-g` without the type descriptions (what the kernel's own
 * DEBUG_INFO_REDUCED adds), so a report's frames in a module resolve to file:line. The headers tree exports them to
 * the guest's kbuild; the host's module builds pass them too.
 */
export const MODULE_DEBUG_CFLAGS = "-g -fno-var-tracking -femit-struct-debug-baseonly";

/** make's arguments for kbuild in the course kernel's tree: the kernel's own build and an external module's alike. */
function kbuildArgs(src: string, obj: string, release: string): string[] {
  return ["-C", src, `O=${obj}`, "ARCH=i386", "CROSS_COMPILE=i686-linux-gnu-", `KERNELRELEASE=${release}`, ...hostCompiler()];
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; log: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => out.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      const text = Buffer.concat(out).toString();
      writeFileSync(opts.log, text);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(" ")} failed (exit ${code}); log: ${opts.log}\n${text.split("\n").slice(-40).join("\n")}`));
    });
  });
}

export interface CourseKernel {
  /** The kernel release (uname -r). */
  release: string;
  /** A tree laid out like Debian's linux-image package: boot/vmlinuz-R, usr/lib/modules/R/... */
  image: string;
  /** A tree laid out like Debian's linux-headers-R package (the -common and kbuild packages stay Debian's). */
  headers: string;
  /** The kernel's source tree and its object tree (configured and built; objects removed): external modules build here. */
  src: string;
  obj: string;
  /** Seconds the compile took (when it last ran). */
  buildSeconds?: number;
  /** The digest of every input: the build's cache key. */
  key: string;
  /** True when it came from the cache (buildSeconds is then the time it took when it was built). */
  cached: boolean;
}

/** The course kernel, built unless cached for these inputs. */
export async function courseKernel(progress: Progress = () => {}): Promise<CourseKernel> {
  const recipe = readRecipe();
  const stockLock = readLock();
  const lock = readCourseLock();
  const stockRelease = recipe.kernel.image.replace(/^linux-image-/, "");
  const release = stockRelease.replace(/-[^-]+$/, "-course");
  const fragment = readFileSync(COURSE_FRAGMENT_PATH, "utf8");
  const stockImage = stockLock.packages.find((p) => p.name === recipe.kernel.image)!;
  const key = keyOf(KERNEL_BUILD_VERSION, lock.packages.map((p) => p.sha256), stockImage.sha256, fragment, release);
  let buildSeconds: number | undefined;
  const out = await cachedDir(cachePath("course", `kernel-${key}`), async (dir) => {
    const { env } = await toolchain(lock, progress);
    const srcPkg = lock.packages.find((p) => p.name.startsWith("linux-source-"))!;
    progress(`download ${srcPkg.name}`);
    const [srcDeb] = (await fetchAll(debianMirror(), [srcPkg], () => {})).values();
    const srcUnpacked = await unpackDeb(srcDeb, srcPkg);
    const tarball = readdirSync(join(srcUnpacked, "usr/src")).find((f) => /^linux-source-.*\.tar\.xz$/.test(f));
    if (!tarball) throw new Error(`${srcPkg.name}: no source tarball in usr/src`);
    // The source and object trees stay, trimmed, with the result: kbuild builds external modules against them on
    // this host (the course tests' fixtures), as the guest does against the headers.
    const work = join(dir, "tree");
    mkdirSync(work, { recursive: true });
    progress("unpack the kernel source");
    execFileSync("tar", ["-xJf", join(srcUnpacked, "usr/src", tarball), "-C", work, "--no-same-owner"], { stdio: "inherit" });
    const src = join(work, tarball.replace(/\.tar\.xz$/, ""));
    const obj = join(work, "obj");
    mkdirSync(obj);
    const stockUnpacked = await unpackDeb((await fetchAll(debianMirror(), [stockImage], () => {})).values().next().value!, stockImage);
    const debianConfig = readFileSync(join(stockUnpacked, `boot/config-${stockRelease}`), "utf8");
    writeFileSync(join(obj, ".config"), courseConfig(debianConfig, fragment));
    const makeArgs = (extra: string[]) => [...kbuildArgs(src, obj, release), "KBUILD_BUILD_USER=vgpu-lab", "KBUILD_BUILD_HOST=vgpu-lab",
      "KBUILD_BUILD_TIMESTAMP=1970-01-01", ...extra];
    progress("configure");
    await run("make", makeArgs(["olddefconfig"]), { cwd: work, env, log: join(work, "config.log") });
    const unmet = unmetOptions(parseFragment(fragment), readFileSync(join(obj, ".config"), "utf8"));
    if (unmet.length) throw new Error(`the course configuration does not hold what ${COURSE_FRAGMENT_PATH} asks:\n  ${unmet.join("\n  ")}`);
    const jobs = String(Number(process.env.VGPU_KERNEL_JOBS ?? availableParallelism()));
    progress(`compile (make -j${jobs} bzImage modules)`);
    const t0 = performance.now();
    await run("make", makeArgs([`-j${jobs}`, "bzImage", "modules"]), { cwd: work, env, log: join(work, "build.log") });
    buildSeconds = (performance.now() - t0) / 1000;
    progress("install");
    const img = join(dir, "image"), hdr = join(dir, "headers");
    mkdirSync(join(img, "boot"), { recursive: true });
    cpSync(join(obj, "arch/x86/boot/bzImage"), join(img, `boot/vmlinuz-${release}`));
    cpSync(join(obj, ".config"), join(img, `boot/config-${release}`));
    cpSync(join(obj, "System.map"), join(img, `boot/System.map-${release}`));
    await run("make", makeArgs(["modules_install", `INSTALL_MOD_PATH=${join(img, "usr")}`, "INSTALL_MOD_STRIP=1", "DEPMOD=/bin/true"]),
      { cwd: work, env, log: join(work, "install.log") });
    for (const l of ["build", "source"]) rmSync(join(img, `usr/lib/modules/${release}/${l}`), { force: true });
    // Headers: what Debian's linux-headers-R package holds (the -common and kbuild packages are Debian's own).
    const h = join(hdr, `usr/src/linux-headers-${release}`);
    mkdirSync(h, { recursive: true });
    for (const f of [".config", "Module.symvers", "include/generated", "include/config", "arch/x86/include/generated", "scripts/module.lds"]) {
      if (existsSync(join(obj, f))) cpSync(join(obj, f), join(h, f === "scripts/module.lds" ? "arch/x86/module.lds" : f), { recursive: true });
    }
    const series = kernelSeries(recipe);
    const common = `linux-headers-${stockRelease.replace(/-[^-]+$/, "-common")}`;
    writeFileSync(join(h, "Makefile"), `# Modules get line tables, the kernel has no debug info (vgpu-lab's guest-image/src/course-kernel.ts)\n` +
      `export KCFLAGS += ${MODULE_DEBUG_CFLAGS}\ninclude /usr/src/${common}/Makefile\n`);
    writeFileSync(join(h, ".kernelvariables"), `override ARCH = x86\noverride KERNELRELEASE = ${release}\nCC = $(CROSS_COMPILE)gcc-12\nDEBIAN_KERNEL_NO_CC_VERSION_CHECK = y\n`);
    symlinkSync(`../../lib/linux-kbuild-${series}/scripts`, join(h, "scripts"));
    symlinkSync(`../../lib/linux-kbuild-${series}/tools`, join(h, "tools"));
    mkdirSync(join(hdr, `usr/lib/modules/${release}`), { recursive: true });
    symlinkSync(`/usr/src/linux-headers-${release}`, join(hdr, `usr/lib/modules/${release}/build`));
    symlinkSync(`/usr/src/${common}`, join(hdr, `usr/lib/modules/${release}/source`));
    writeFileSync(join(dir, "build.json"), JSON.stringify({ release, buildSeconds, jobs: Number(jobs), bzImage: statSync(join(img, `boot/vmlinuz-${release}`)).size }, null, 2) + "\n");
    trimObjects(obj);
  });
  const info = JSON.parse(readFileSync(join(out, "build.json"), "utf8")) as { buildSeconds: number };
  const tree = join(out, "tree");
  const src = join(tree, readdirSync(tree).find((f) => f.startsWith("linux-source-"))!);
  return {
    release, image: join(out, "image"), headers: join(out, "headers"), src, obj: join(tree, "obj"),
    buildSeconds: buildSeconds ?? info.buildSeconds, key, cached: buildSeconds === undefined,
  };
}

/** The object tree without what only the kernel's own link needed (objects, archives, vmlinux): a tenth of its size. */
function trimObjects(obj: string): void {
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (p !== join(obj, "scripts")) walk(p); }
      else if (/\.(o|a)$|^vmlinux(\.o)?$|^\.tmp_vmlinux/.test(e.name)) rmSync(p);
    }
  };
  walk(obj);
}

/**
 * Build external modules on this host against the course kernel's own tree (what the guest's in-guest kbuild does
 * against the headers, in seconds instead of minutes). `guestDir` is where the folder will be in the guest: the
 * debug info's file names say that path, so a report's frames resolve to it there.
 */
export async function buildCourseModule(kernel: CourseKernel, dir: string, guestDir: string): Promise<void> {
  const { env } = await toolchain(readCourseLock(), () => {});
  await run("make", [...kbuildArgs(kernel.src, kernel.obj, kernel.release), `M=${dir}`, `KCFLAGS=${MODULE_DEBUG_CFLAGS} -fdebug-prefix-map=${dir}=${guestDir}`, "modules"],
    { cwd: dir, env, log: join(dir, ".host-build.log") });
}

/** Build user programs for the guest on this host: the i386 cross compiler, linked statically. */
export async function buildGuestPrograms(dir: string): Promise<void> {
  const { env } = await toolchain(readCourseLock(), () => {});
  await run("make", ["-C", dir, "CC=i686-linux-gnu-gcc -static"], { cwd: dir, env, log: join(dir, ".host-build.log") });
}
