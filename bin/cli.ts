// `npx vgpu-lab <command>`: how scripts, CI and instructors drive the lab headless.
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { stateKeyOf } from "../vcd/machine/manifest.ts";
import { currentFlavour } from "../vcd/machine/flavour.ts";

import { VARIANT_USAGE } from "./variant.ts";
import { PUBLISH_USAGE } from "./publish.ts";
import { GRADE_USAGE } from "./grade.ts";

const USAGE = `usage: vgpu-lab [--flavour stock|course] <command> [options]

  --flavour           which guest kernel: Debian's stock 686 kernel (default) or the course kernel, the same
                      source with the kernel's bug detectors on (lockdep, might-sleep, kmemleak, DMA API debug)

  exec [--dir HOSTDIR] [--timeout SECONDS] [--boot] [--irq-timing MODE] [--irq-seed S] -- 'shell command'
                      run a command in a fresh guest (restored from the saved state); exits with its status
                      (124 when it timed out, 125 when the kernel panicked, 123 when the guest deadlocked:
                      stuck in the kernel with interrupts off; the module and function are named on stderr)
                      --irq-timing: when the card's interrupts reach the CPU: prompt (default), adversarial
                      (right after the register write that raised them) or random (reproducible with --irq-seed)
  image lock [--flavour course]   re-pin the guest's Debian packages (when the mirror moved on); with
                      --flavour course, the host packages that build the course kernel
  image kernel --flavour course   build the course kernel alone (cached), print its build time
  image build         build the guest image and its saved state (cached; fast when nothing changed)
  bench machine [--kernels stock,course]   boot, restore and kbuild timings of the guest, beside native figures;
                      with two kernels, each one's table and their ratios
  bench table1 [--n N] [--heights 20,…,100] [--where chromium,node] [--kernels stock,course] [--engine-flags]
                      the paper's Table 1 through the reference driver, beside the paper's cards; with both
                      kernels, course/stock
  bench ide [--runs N] [--n TRIANGLES] [--engine-flags]   a fresh lab tab in headless Chromium: usable shell, first
                      and warm Build of the starter, Table 1 in the page, keystroke latency idle and while the card
                      draws. Chromium runs with V8's defaults, as a student's browser does; --engine-flags starts it
                      with the lab's V8 flags (vcd/machine/engine-flags.ts), as the tests and the grader do
  serve [--port N] [--dev] [--kernels stock,course]   serve the lab: its static build (dist/, rebuilt when
                      stale), or Vite's dev server. The page boots the --flavour kernel; --kernels (and the dev
                      server, for every guest built) offers the others too, chosen by ?kernel=course
${VARIANT_USAGE}${PUBLISH_USAGE}${GRADE_USAGE}
  test [unit|integration|e2e|course]…   run the tests (all four by default; course runs the
                      detector tests and the page on the course kernel, which compiles in the background from the start)
`;

function takeFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
function takeBool(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

const progress = (phase: string, done?: number, total?: number) => {
  if (phase === "image up to date") return;
  if (done !== undefined && total !== undefined) {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K[image] ${phase} (${done}/${total})`);
    if (done === total) process.stderr.write(process.stderr.isTTY ? "\n" : `[image] ${phase.split(" ")[0]}: ${total} packages\n`);
  } else process.stderr.write(`[image] ${phase}\n`);
};

/** Build the image and its state when missing or stale. */
export async function ensureImage(): Promise<void> {
  const { buildGuest } = await import("../guest-image/src/platform.ts");
  const m = await buildGuest(progress);
  if (!m.state || m.state.imageKey !== stateKeyOf(m)) {
    const { takeState } = await import("../guest-image/src/state.ts");
    await takeState(progress);
  }
}

async function cmdExec(args: string[]): Promise<number> {
  const dd = args.indexOf("--");
  const cmdParts = dd >= 0 ? args.splice(dd).slice(1) : [];
  const dir = takeFlag(args, "--dir");
  const timeout = Number(takeFlag(args, "--timeout") ?? 600);
  const boot = takeBool(args, "--boot");
  const screenshot = takeFlag(args, "--screenshot");
  const irqTiming = takeFlag(args, "--irq-timing") ?? "prompt";
  const irqSeed = takeFlag(args, "--irq-seed");
  if (args.length || !cmdParts.length) {
    process.stderr.write("usage: vgpu-lab exec [--dir HOSTDIR] [--timeout SECONDS] [--boot] [--irq-timing prompt|adversarial|random] [--irq-seed S] [--screenshot FILE.png] -- 'shell command'\n");
    return 2;
  }
  const { IRQ_TIMINGS } = await import("../vcd/machine/irq-timing.ts");
  if (!(IRQ_TIMINGS as readonly string[]).includes(irqTiming)) {
    process.stderr.write(`vgpu-lab exec: --irq-timing must be one of ${IRQ_TIMINGS.join(", ")}, not "${irqTiming}"\n`);
    return 2;
  }
  if (irqSeed !== undefined && !/^(0x[0-9a-f]+|\d+)$/i.test(irqSeed)) {
    process.stderr.write(`vgpu-lab exec: --irq-seed must be a number, not "${irqSeed}"\n`);
    return 2;
  }
  if (dir && !existsSync(dir)) {
    process.stderr.write(`vgpu-lab exec: no such folder: ${dir}\n`);
    return 2;
  }
  await ensureImage();
  const { startNodeMachine, copyDirIn } = await import("../vcd/machine/node-host.ts");
  const machine = await startNodeMachine({ boot, irqTiming: irqTiming as import("../vcd/machine/irq-timing.ts").IrqTiming, irqSeed: irqSeed === undefined ? undefined : Number(irqSeed) >>> 0 });
  try {
    if (dir) await copyDirIn(machine, resolve(dir));
    // Output arrives line by line while the command runs (a build shows its progress).
    const r = await machine.exec(cmdParts.join(" "), { timeout: timeout * 1000, onStdout: (t) => process.stdout.write(t) });
    process.stderr.write(r.stderr);
    if (screenshot) {
      const shot = machine.platform.gpu.screen();
      if (!shot) process.stderr.write("vgpu-lab exec: no screenshot: the card is not in a video mode\n");
      else {
        const { encodePng } = await import("../vcd/card/png.ts");
        const { deflateSync } = await import("node:zlib");
        writeFileSync(screenshot, encodePng(shot.width, shot.height, shot.rgba, (d) => deflateSync(d)));
        process.stderr.write(`vgpu-lab exec: screen ${shot.width}x${shot.height} written to ${screenshot}\n`);
      }
    }
    if (r.status === "timeout") {
      process.stderr.write(`vgpu-lab exec: the command ran past its timeout of ${timeout} s; the machine was restored\n`);
      return 124;
    }
    if (r.status === "deadlock") {
      process.stderr.write(`vgpu-lab exec: ${r.deadlock?.line ?? "deadlock"}; the machine was restored\n`);
      return 123;
    }
    if (r.status === "panic") {
      process.stderr.write(`vgpu-lab exec: the guest kernel panicked; the machine was restored. Console tail:\n${r.consoleTail}\n`);
      return 125;
    }
    return r.exitCode ?? 1;
  } finally {
    await machine.destroy();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  try {
    switch (cmd) {
      case "exec":
        return await cmdExec(args);
      case "image": {
        const sub = args[0];
        const flavour = currentFlavour();
        if (sub === "lock" && flavour === "course") {
          const { lockCourse } = await import("../guest-image/src/course-kernel.ts");
          await lockCourse((s) => process.stderr.write(s + "\n"));
          return 0;
        }
        if (sub === "kernel" && flavour === "course") {
          const { courseKernel } = await import("../guest-image/src/course-kernel.ts");
          const k = await courseKernel(progress);
          process.stdout.write(`course kernel ${k.release}: ${k.cached ? "cached (compiled" : "compiled"} in ${k.buildSeconds?.toFixed(0)} s${k.cached ? " when it was built)" : ""}; ${k.image}\n`);
          return 0;
        }
        if (sub === "lock") {
          const { lockImage } = await import("../guest-image/src/lock.ts");
          await lockImage((s) => process.stderr.write(s + "\n"));
          return 0;
        }
        if (sub === "build") { await ensureImage(); return 0; }
        if (sub === "state") {
          const { takeState } = await import("../guest-image/src/state.ts");
          await takeState(progress);
          return 0;
        }
        break;
      }
      case "bench": {
        const { runBench } = await import("./bench.ts");
        return await runBench(args);
      }
      case "variant": {
        const { runVariant } = await import("./variant.ts");
        return runVariant(args);
      }
      case "grade": {
        const { runGrade } = await import("./grade.ts");
        return await runGrade(args);
      }
      case "publish": {
        const { runPublish } = await import("./publish.ts");
        return await runPublish(args);
      }
      case "serve": {
        const { serve } = await import("./serve.ts");
        return await serve(args);
      }
      case "test": {
        const { runTests } = await import("./test.ts");
        return await runTests(args);
      }
      case undefined:
      case "help":
      case "--help":
        process.stdout.write(USAGE);
        return cmd ? 0 : 2;
    }
    process.stderr.write(`vgpu-lab: unknown command '${argv.join(" ")}'\n${USAGE}`);
    return 2;
  } catch (e) {
    process.stderr.write(`vgpu-lab ${cmd}: ${(e as Error).message}\n`);
    if (process.env.VGPU_DEBUG) console.error(e);
    return 1;
  }
}
