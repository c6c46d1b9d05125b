// `vgpu-lab test [unit|integration|e2e|course]…`: the whole suite, as CI runs it. Prints one closing tally.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { setPriority, tmpdir } from "node:os";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";

function findFiles(dir: string, suffix: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findFiles(p, suffix, out);
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

const SOURCE_DIRS = ["vcd", "guest-image", "kmod", "bin", "web/src", "e2e"].map((d) => join(PROJECT_DIR, d)).filter(existsSync);

interface Tally { passed: number; failed: number; skipped: number }

/** Run node's test runner on files; the TAP copy gives the counts. */
async function nodeTests(files: string[], label: string, concurrency = 1): Promise<Tally> {
  if (!files.length) return { passed: 0, failed: 0, skipped: 0 };
  const tap = join(mkdtempSync(join(tmpdir(), "vgpu-test-")), "out.tap");
  const t0 = Date.now();
  process.stdout.write(`\n== ${label}: ${files.length} files\n`);
  await new Promise((resolve) => spawn(process.execPath, [
    "--import", "tsx", "--test", `--test-concurrency=${concurrency}`,
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=tap", `--test-reporter-destination=${tap}`,
    ...files,
  ], { stdio: "inherit", cwd: PROJECT_DIR }).on("close", resolve));
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const count = (k: string) => Number(new RegExp(`^# ${k} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  const t = { passed: count("pass"), failed: count("fail") + count("cancelled"), skipped: count("skipped") + count("todo") };
  if (!text) t.failed++;
  process.stdout.write(`== ${label}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped in ${seconds(t0)}\n`);
  return t;
}

const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

/**
 * The course kernel's compile (a quarter hour of both cores, cached after), started at once in a process of its
 * own at the lowest priority: it takes the cycles the other phases leave (the image build and unit tests use one
 * core, a guest waiting on a timer none) and yields the rest, so the phases before the course phase barely slow.
 */
function courseKernelInBackground(): Promise<{ ok: boolean; report: string }> {
  const t0 = Date.now();
  const log = join(mkdtempSync(join(tmpdir(), "vgpu-kernel-")), "kernel.log");
  const out = openSync(log, "w");
  const child = spawn(process.execPath, [join(PROJECT_DIR, "bin/vgpu-lab.js"), "--flavour", "course", "image", "kernel"],
    { cwd: PROJECT_DIR, stdio: ["ignore", out, out] });
  try { setPriority(child.pid!, 19); } catch { /* a host that refuses: it competes as an equal */ }
  process.stdout.write(`== course kernel: compiling in the background at the lowest priority (log: ${log})\n`);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      closeSync(out);
      const text = readFileSync(log, "utf8");
      const done = /^course kernel .*$/m.exec(text)?.[0];
      resolve({ ok: code === 0, report: done ? `${done} (ready ${seconds(t0)} after the start, in the background)` : `failed (exit ${code}):\n${text.split("\n").slice(-40).join("\n")}` });
    });
  });
}

export async function runTests(args: string[]): Promise<number> {
  const tAll = Date.now();
  const want = new Set(args.length ? args : ["unit", "integration", "e2e", "course"]);
  const kernel = want.has("course") ? courseKernelInBackground() : undefined;
  const total: Tally = { passed: 0, failed: 0, skipped: 0 };
  const add = (t: Tally) => { total.passed += t.passed; total.failed += t.failed; total.skipped += t.skipped; };
  if (want.has("unit")) {
    add(await nodeTests(SOURCE_DIRS.flatMap((d) => findFiles(d, ".test.ts")), "unit"));
  }
  if (want.has("integration")) {
    const { ensureImage } = await import("./cli.ts");
    const tImage = Date.now();
    await ensureImage();
    process.stdout.write(`== image ready in ${seconds(tImage)}\n`);
    // Two files at a time: each boots one guest, and v86 runs a guest on one core.
    add(await nodeTests(SOURCE_DIRS.flatMap((d) => findFiles(d, ".integration.ts")), "integration", 2));
  }
  if (want.has("e2e")) {
    const { runE2E } = await import("../e2e/run.ts");
    const tE2E = Date.now();
    add(await runE2E());
    process.stdout.write(`== e2e done in ${seconds(tE2E)}\n`);
  }
  if (want.has("course")) {
    // The course flavour's guest, on the kernel compiled in the background: a process of its own, since a process
    // works on one flavour's build folder.
    process.stdout.write("\n== course: the course kernel and its guest\n");
    const t0 = Date.now();
    const k = await kernel!;
    process.stdout.write(`== ${k.report}\n`);
    const built = k.ok && spawnSync(process.execPath, [join(PROJECT_DIR, "bin/vgpu-lab.js"), "--flavour", "course", "image", "build"], { stdio: "inherit", cwd: PROJECT_DIR }).status === 0;
    process.stdout.write(`== course guest ready in ${seconds(t0)}\n`);
    if (!built) add({ passed: 0, failed: 1, skipped: 0 });
    else {
      // The detector tests beside the specs on the course kernel (the page on it, grading the fixture class).
      const { runE2E } = await import("../e2e/run.ts");
      for (const t of await Promise.all([nodeTests(SOURCE_DIRS.flatMap((d) => findFiles(d, ".course.ts")), "course"), runE2E({ course: true })])) add(t);
    }
    process.stdout.write(`== course done in ${seconds(t0)}\n`);
  }
  process.stdout.write(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped (${seconds(tAll)})\n`);
  return total.failed ? 1 : 0;
}
