// The platform stage: the lab's own kernel modules (kmod/vpcib, kmod/vgpu) compiled inside the guest, against
// the image's kernel headers, with the image's gcc — this host cannot run Debian's i386 build tools — then baked
// into the image so every boot loads them (the course kernel's are compiled here, against its own tree).
//
// The starter stage: the starter project built where the lab puts it (/work) in a booted bare image, keeping the
// precompiled headers kbuild-pch-cc makes for it (its driver's leading #includes, its .mod.c) and the compiler
// cache of its test programs (etc/ccache.conf). The image ships them read-only, so a student's first Build compiles
// against them instead of parsing the kernel headers twice, and the course's unchanged test programs build from
// the cache in seconds instead of minutes of gcc -O2. The course flavour ships the cache only: precompiling the
// starter's headers under its debug kernel took longer than the rest of its image, and the cache is what its users
// (the grader's checks, the detector tests) rebuild for every machine.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { bootFresh, hostFiles, nodeAssets } from "../../vcd/machine/node-host.ts";
import { buildImage, type PlatformModules, type Progress } from "./build.ts";
import { cachedDir, cachePath, keyOf, sha256 } from "./cache.ts";
import { IMAGE_DIR, PROJECT_DIR } from "./recipe.ts";
import { guestInputs } from "./inputs.ts";
import { buildCourseModule, courseKernel } from "./course-kernel.ts";
import { currentFlavour } from "../../vcd/machine/flavour.ts";
import type { Machine } from "../../vcd/machine/machine.ts";
import { STARTER_PROJECT, STARTER_TEST_PROGRAMS } from "../../kmod/starter/project.ts";

const PLATFORM_VERSION = 3;
/** Built together by kmod/Kbuild; loaded at boot by modprobe (vgpu pulls in vpcib). */
const MODULES = ["vpcib", "vgpu"];
const LOAD = ["vgpu"];
const SOURCES = ["kmod/Kbuild", "kmod/vpcib", "kmod/vgpu", "kmod/include/vpcib.h", "kmod/include/generated/vpcib_hw.h"];

function sourceFiles(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else if (!/\.(o|ko|mod|mod\.c|cmd|order|symvers)$/.test(p)) out.push([relative(join(PROJECT_DIR, "kmod"), p), p]);
  };
  for (const s of SOURCES) walk(join(PROJECT_DIR, s));
  return out;
}

/**
 * The platform modules, compiled unless cached for these sources and packages: in a booted bare image for the stock
 * kernel (its build tools are i386 programs), on this host against the kernel's own tree for the course kernel (the
 * same kbuild run in its debug guest took six minutes; the guest's kbuild on that kernel is what the image's warm-up
 * build and the course tests exercise). Either way the guest's own depmod indexes them.
 */
export async function platformModules(progress: Progress = () => {}): Promise<PlatformModules> {
  const { recipe, lock } = await guestInputs(progress);
  const files = sourceFiles();
  const onHost = currentFlavour() === "course";
  const key = keyOf(PLATFORM_VERSION, recipe.kernel, lock.packages.map((p) => p.sha256), files.map(([rel, host]) => [rel, sha256(readFileSync(host))]), onHost);
  const dir = await cachedDir(cachePath("platform", key), async (out) => {
    if (onHost) {
      progress("compile vpcib and vgpu on this host against the course kernel's tree");
      const src = join(out, "src");
      for (const [rel, host] of files) { mkdirSync(dirname(join(src, rel)), { recursive: true }); writeFileSync(join(src, rel), readFileSync(host)); }
      await buildCourseModule(await courseKernel(progress), src, "/work/.platform");
      for (const m of MODULES) writeFileSync(join(out, `${m}.ko`), readFileSync(join(src, m, `${m}.ko`)));
    }
    const bare = await buildImage(progress);
    progress(`boot the bare image to ${onHost ? "index" : "compile"} the platform modules`);
    const machine = await bootFresh(nodeAssets(bare), progress);
    try {
      for (const [rel, host] of files) await machine.putFile(`.platform/${rel}`, readFileSync(host));
      if (onHost) {
        for (const m of MODULES) await machine.putFile(`.platform/${m}/${m}.ko`, readFileSync(join(out, `${m}.ko`)));
      } else {
        progress("compile vpcib and vgpu in the guest");
        const r = await machine.exec("make -s -C /lib/modules/$(uname -r)/build M=/work/.platform modules 2>&1", { timeout: 900_000 });
        if (r.status !== "exited" || r.exitCode !== 0) {
          throw new Error(`the platform modules did not compile in the guest (${r.status} ${r.exitCode}):\n${r.stdout}\n${r.stderr}\n${r.consoleTail ?? ""}`);
        }
        for (const m of MODULES) writeFileSync(join(out, `${m}.ko`), await machine.getFile(`.platform/${m}/${m}.ko`));
      }
      // The module index of the final image, made by the guest's own depmod (binary indexes that libkmod users
      // such as `lspci -k` need), over the image's modules plus ours. By path: busybox sh would run its own applet.
      progress("index the modules with the guest's depmod");
      const idx = await machine.exec([
        "set -e; R=$(uname -r); B=/tmp/depmod; M=$B/lib/modules/$R",
        "mkdir -p $M/extra && cp -a /lib/modules/$R/kernel /lib/modules/$R/modules.order /lib/modules/$R/modules.builtin /lib/modules/$R/modules.builtin.modinfo $M/",
        `cp ${MODULES.map((m) => `/work/.platform/${m}/${m}.ko`).join(" ")} $M/extra/`,
        "/usr/sbin/depmod -b $B $R && mkdir -p /work/.platform/index && cd $M && for f in modules.*; do case $f in modules.order|modules.builtin|modules.builtin.modinfo) ;; *) cp $f /work/.platform/index/ ;; esac; done",
        "ls /work/.platform/index",
      ].join("\n"), { timeout: 600_000 });
      if (idx.status !== "exited" || idx.exitCode !== 0) throw new Error(`depmod failed in the guest:\n${idx.stdout}\n${idx.stderr}`);
      mkdirSync(join(out, "index"));
      for (const f of idx.stdout.split(/\s+/).filter(Boolean)) writeFileSync(join(out, "index", f), await machine.getFile(`.platform/index/${f}`));
    } finally {
      await machine.destroy();
    }
  });
  const index = new Map(readdirSync(join(dir, "index")).map((f) => [f, new Uint8Array(readFileSync(join(dir, "index", f)))]));
  return { modules: new Map(MODULES.map((m) => [m, new Uint8Array(readFileSync(join(dir, `${m}.ko`)))])), load: LOAD, index };
}

const STARTER_VERSION = 2;
/** Where the image ships precompiled headers (kbuild-pch-cc's KBUILD_PCH_SHIPPED), below the root. */
export const SHIPPED_PCH_DIR = "usr/lib/kbuild-pch";
// The wrapper itself is left out of the key (a change to how it names headers shows at once: the state recipe
// fails when the starter's build does not use them); the scanner and kbuild's rules decide what a header holds.
const STARTER_INPUTS = ["overlay/rootfs/usr/libexec/kbuild-pch-prefix.awk", "src/kbuild-tuning.ts", "overlay/rootfs/etc/ccache.conf"];
/** Where the image ships the compiler cache of the starter's test programs, below the root (etc/ccache.conf). */
export const SHIPPED_CCACHE_DIR = "usr/lib/vgpu-lab/ccache";

/**
 * The starter project's precompiled headers (unless `headers` is false) and its test programs' compiler cache, by
 * path below the root, made in a booted bare image unless cached.
 */
export async function starterBuild(progress: Progress = () => {}, { headers = true } = {}): Promise<Map<string, Uint8Array>> {
  const { recipe, lock } = await guestInputs(progress);
  // A cache-only stage adds one part to the key; the full stage's key is unchanged, so its cached build stays valid.
  const key = keyOf(STARTER_VERSION, recipe.kernel, lock.packages.map((p) => p.sha256),
    STARTER_PROJECT.map((f) => [f.path, sha256(readFileSync(join(PROJECT_DIR, f.from)))]),
    STARTER_INPUTS.map((f) => sha256(readFileSync(join(IMAGE_DIR, f)))), ...(headers ? [] : [["cache only"]]));
  const dir = await cachedDir(cachePath("starter-pch", key), async (out) => {
    const bare = await buildImage(progress);
    progress(headers ? "boot the bare image to build the starter project and precompile its headers" : "boot the bare image to build the starter's test programs");
    const machine = await bootFresh(nodeAssets(bare), progress);
    try {
      for (const f of STARTER_PROJECT) await machine.putFile(f.path, readFileSync(join(PROJECT_DIR, f.from)));
      if (headers) await precompileStarterHeaders(machine, out);
      progress("compile the starter's test programs into the compiler cache the image ships");
      const t = await machine.exec("cd /work/tests && CCACHE_DIR=/work/.ccache CCACHE_NOREADONLY=1 make -s >/dev/null 2>&1 && cd /work/.ccache && find . -type f | sed 's#^\\./##'", { timeout: 3_600_000 });
      const files = t.stdout.split("\n").filter(Boolean);
      // One result per program at least (ccache adds a manifest per compile, and a CACHEDIR.TAG per folder).
      if (t.status !== "exited" || t.exitCode !== 0 || files.filter((f) => /R$/.test(f)).length < STARTER_TEST_PROGRAMS.length) {
        throw new Error(`the starter's test programs did not compile into the cache (${t.status} ${t.exitCode}):\n${t.stdout}\n${t.stderr}`);
      }
      for (const f of files) {
        mkdirSync(dirname(join(out, "ccache", f)), { recursive: true });
        writeFileSync(join(out, "ccache", f), await machine.getFile(`.ccache/${f}`));
      }
    } finally {
      await machine.destroy();
    }
  });
  const shipped = new Map<string, Uint8Array>(readdirSync(dir).filter((d) => /^[0-9a-f]{32}$/.test(d)).flatMap((d) => ["prefix.h", "prefix.h.gch"].map((f) =>
    [`${SHIPPED_PCH_DIR}/${d}/${f}`, new Uint8Array(readFileSync(join(dir, d, f)))] as const)));
  // Every file of the cache, whatever its name (nothing in it is a build product to leave out).
  for (const [rel, host] of hostFiles(join(dir, "ccache"), /(?!)/)) shipped.set(`${SHIPPED_CCACHE_DIR}/${rel}`, new Uint8Array(readFileSync(host)));
  return shipped;
}

/** Builds the starter project in `machine`'s /work and copies the headers kbuild-pch-cc precompiled for it to `out`. */
async function precompileStarterHeaders(machine: Machine, out: string): Promise<void> {
  const r = await machine.exec([
    "make -s -C /work 2>&1 && /usr/libexec/kbuild-pch-cc --wait 3600 || exit 1",
    "mkdir -p /work/.pch && cd /var/cache/kbuild/pch && for d in */; do d=${d%/}",
    "[ -f $d/prefix.h.gch ] && mkdir /work/.pch/$d && cp $d/prefix.h $d/prefix.h.gch /work/.pch/$d/ && echo $d; done; true",
  ].join("\n"), { timeout: 3_600_000 });
  const entries = r.stdout.split(/\s+/).filter((d) => /^[0-9a-f]{32}$/.test(d));
  if (r.status !== "exited" || r.exitCode !== 0 || entries.length !== 2) {
    throw new Error(`the starter project's precompiled headers were not made (${r.status} ${r.exitCode}, ${entries.length} of 2):\n${r.stdout}\n${r.stderr}`);
  }
  for (const d of entries) {
    mkdirSync(join(out, d));
    for (const f of ["prefix.h", "prefix.h.gch"]) writeFileSync(join(out, d, f), await machine.getFile(`.pch/${d}/${f}`));
  }
}

/** The full image: bare stage, platform modules and what the starter's build leaves (headers, cache), final image. */
export async function buildGuest(progress: Progress = () => {}) {
  const platform = await platformModules(progress);
  // The course flavour leaves the starter's headers out (see the top of this file) and keeps the test programs' cache.
  const headers = currentFlavour() !== "course";
  return buildImage(progress, { ...platform, starter: await starterBuild(progress, { headers }), starterHeaders: headers });
}
