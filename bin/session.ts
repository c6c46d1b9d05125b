// A lab session the command line can drive the same way in Node and in headless Chromium (the product as
// students run it): run commands in the guest, put files in /work, read the card's counters.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hostFiles } from "../vcd/machine/node-host.ts";
import type { DiskPrefetchResult, ExecResult, Machine } from "../vcd/machine/machine.ts";
import type { RemoteMachine } from "../web/src/machine/remote.ts";
import type { IrqTiming } from "../vcd/machine/irq-timing.ts";
import type { Flavour } from "../vcd/machine/flavour.ts";
import { CHROMIUM_ENGINE_ARGS } from "../vcd/machine/engine-flags.ts";

/** How a session's machine is set up. */
export interface SessionOptions {
  /** When the card's interrupts reach the CPU (default prompt); see Platform.setIrqTiming. */
  irqTiming?: IrqTiming;
  irqSeed?: number;
  /** The page's warm-up build after the disk prefetch (on by default, as students have it; Chromium only). */
  warmUp?: boolean;
  /** The guest's kernel (default: this process's flavour); in Chromium, the page's `?kernel=`. */
  kernel?: Flavour;
  /** Chromium only: the guests the served site offers (default: this process's flavour and `kernel`). */
  kernels?: Flavour[];
  /**
   * Chromium only: start it with the lab's V8 flags (vcd/machine/engine-flags.ts), as the tests and the grader do.
   * Off by default: a student's browser runs with V8's defaults.
   */
  engineFlags?: boolean;
}

/** The card's work and the host's cost of simulating it, since the machine started. */
export interface CardCounters {
  dmaWords: number;
  pixels: number;
  primitives: number;
  /** Wall time the host spent inside the card model (DMA decode, interpreter, rasterizer). */
  simulateMs: number;
  irqRaises: number;
  mmio: number;
}

/** Where the machine's background disk prefetch is: not arrived yet ("pending"), or how it ended. */
export type DiskPrefetchState = { pending: true } | DiskPrefetchResult;

export interface LabSession {
  readonly where: "node" | "chromium";
  /** From opening the session (the page, in Chromium) to a usable shell, and of that the machine's own start. */
  readonly readyMs: number;
  readonly machineStartMs: number;
  exec(command: string, timeoutMs?: number): Promise<ExecResult>;
  /** The disk prefetch now (`wait`: once it has arrived or failed). */
  diskPrefetch(wait?: boolean): Promise<DiskPrefetchState>;
  /** Disk bytes the machine fetched itself (outside the prefetch) since it started. */
  diskBytesFetched(): Promise<number>;
  putFile(path: string, data: Uint8Array): Promise<void>;
  card(): Promise<CardCounters>;
  /**
   * In the lab page only: types `keys` into the editor, one every `intervalMs`, and returns each keystroke's latency
   * in ms, from the key event's time stamp to the end of the first frame painted after it (a requestAnimationFrame
   * callback, then a task: the frame holding the echoed character has been produced).
   */
  keystrokeLatency?(keys: string, intervalMs: number): Promise<number[]>;
  close(): Promise<void>;
}

/** The prefetch's state, without waiting for it unless `wait` (the page's session does the same in the page). */
function prefetchNow(m: Machine, wait: boolean): Promise<DiskPrefetchState> {
  return wait ? m.diskPrefetched : Promise.race([m.diskPrefetched, new Promise<DiskPrefetchState>((r) => setTimeout(() => r({ pending: true }), 0))]);
}

export async function openNodeSession(options: SessionOptions = {}): Promise<LabSession> {
  const { startNodeMachine } = await import("../vcd/machine/node-host.ts");
  const t0 = Date.now();
  const m = await startNodeMachine({ irqTiming: options.irqTiming, irqSeed: options.irqSeed, flavour: options.kernel });
  const readyMs = Date.now() - t0;
  return {
    where: "node",
    readyMs,
    machineStartMs: m.bootMs,
    diskPrefetch: (wait = false) => prefetchNow(m, wait),
    diskBytesFetched: async () => m.emulator.diskBytesFetched(),
    exec: (command, timeout = 600_000) => m.exec(command, { timeout }),
    putFile: (path, data) => m.putFile(path, data),
    card: async () => ({ ...m.platform.card.stats, ...m.platform.gpu.cost }),
    close: () => m.destroy(),
  };
}

/**
 * Serves the lab as students get it (the static site in dist/, built when out of date, as the README's run command
 * does), opens it in headless Chromium and drives the page's machine through one typed proxy.
 */
export async function openChromiumSession(port = 5181, options: SessionOptions = {}): Promise<LabSession> {
  const { ensureChromium, CHROMIUM } = await import("../e2e/run.ts");
  const { buildSite, serveStatic, DIST } = await import("./site.ts");
  const { currentFlavour } = await import("../vcd/machine/flavour.ts");
  const { chromium } = await import("playwright");
  ensureChromium();
  await buildSite({ kernels: options.kernels ?? [...new Set([currentFlavour(), ...(options.kernel ? [options.kernel] : [])])] });
  const server = await serveStatic(DIST, port);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
      ...(options.engineFlags ? CHROMIUM_ENGINE_ARGS : [])],
  });
  const page = await browser.newPage();
  const t0 = Date.now();
  const query = new URLSearchParams({ ...(options.warmUp === false ? { "warm-up": "off" } : {}), ...(options.kernel ? { kernel: options.kernel } : {}) }).toString();
  await page.goto(`http://127.0.0.1:${port}/${query ? `?${query}` : ""}`);
  await page.waitForFunction(() => document.body.dataset.ready === "true" || document.body.dataset.ready === "error", null, { timeout: 600_000 });
  if ((await page.evaluate(() => document.body.dataset.ready)) !== "true") {
    throw new Error(`the lab page did not start: ${await page.evaluate(() => document.getElementById("status")?.textContent)}`);
  }
  const readyMs = Date.now() - t0;
  type Lab = { machine: RemoteMachine };
  if (options.irqTiming) {
    await page.evaluate(([mode, seed]) => (window as unknown as { vgpu: Lab }).vgpu.machine.setIrqTiming(mode as IrqTiming, seed as number), [options.irqTiming, options.irqSeed ?? 0] as const);
  }
  return {
    where: "chromium",
    readyMs,
    machineStartMs: await page.evaluate(() => (window as unknown as { vgpu: Lab }).vgpu.machine.bootMs),
    diskPrefetch: (wait = false) => page.evaluate((w) => {
      const m = (window as unknown as { vgpu: Lab }).vgpu.machine;
      return w ? m.diskPrefetched : Promise.race([m.diskPrefetched, new Promise<DiskPrefetchState>((r) => setTimeout(() => r({ pending: true }), 0))]);
    }, wait),
    diskBytesFetched: () => page.evaluate(() => (window as unknown as { vgpu: Lab }).vgpu.machine.diskBytesFetched()),
    exec: (command, timeout = 600_000) =>
      page.evaluate(([c, t]) => ((window as unknown as { vgpu: Lab }).vgpu.machine.exec(c as string, { timeout: t as number })), [command, timeout] as const),
    putFile: async (path, data) => {
      const b64 = Buffer.from(data).toString("base64");
      await page.evaluate(([p, b]) => {
        const bin = atob(b);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        return (window as unknown as { vgpu: Lab }).vgpu.machine.putFile(p, bytes);
      }, [path, b64] as const);
    },
    card: () => page.evaluate(async () => {
      const c = await (window as unknown as { vgpu: Lab }).vgpu.machine.card();
      return { ...c.stats, ...c.cost };
    }),
    keystrokeLatency: async (keys, intervalMs) => {
      await page.locator(".monaco-editor .view-lines").click();
      await page.keyboard.press("Control+End");
      await page.evaluate(() => {
        const w = window as unknown as { keyLatency?: number[] };
        if (!w.keyLatency) {
          document.addEventListener("keydown", (e) => {
            const t = e.timeStamp;
            requestAnimationFrame(() => setTimeout(() => w.keyLatency!.push(performance.now() - t), 0));
          }, { capture: true });
        }
        w.keyLatency = [];
      });
      for (const k of keys) {
        await page.keyboard.press(k === " " ? "Space" : k);
        await new Promise((r) => setTimeout(r, intervalMs));
      }
      await page.waitForFunction((n) => (window as unknown as { keyLatency: number[] }).keyLatency.length >= n, keys.length, { timeout: 60_000 });
      return page.evaluate(() => (window as unknown as { keyLatency: number[] }).keyLatency);
    },
    close: async () => {
      await browser.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Copies a host folder into the session's /work (skipping build products). */
export async function copyTree(s: Pick<LabSession, "putFile">, hostDir: string, guestPrefix: string): Promise<number> {
  const files = hostFiles(hostDir);
  for (const [rel, abs] of files) await s.putFile(join(guestPrefix, rel), readFileSync(abs));
  return files.length;
}
