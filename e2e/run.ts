// Runs the Playwright suite against a lab server it starts itself. Installs Debian's Chromium when missing (CI).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";

export const CHROMIUM = process.env.VGPU_CHROMIUM ?? "/usr/bin/chromium";

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is missing (${CHROMIUM}); install Debian's chromium package, or set VGPU_CHROMIUM`);
  }
  process.stdout.write("[e2e] installing Debian's chromium package\n");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const r = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
  if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error("could not install chromium with apt-get");
}

/** The Playwright suite; `course`: the course kernel's spec alone (its guest built). */
export async function runE2E(options: { course?: boolean } = {}): Promise<{ passed: number; failed: number; skipped: number }> {
  ensureChromium();
  const out = join(mkdtempSync(join(tmpdir(), "vgpu-e2e-")), "report.json");
  process.stdout.write(`\n== e2e${options.course ? " on the course kernel" : ""} (Playwright, headless Chromium)\n`);
  const status = await new Promise<number | null>((resolve) => spawn(process.execPath, [join(PROJECT_DIR, "node_modules/playwright/cli.js"), "test", "-c", join(PROJECT_DIR, "e2e/playwright.config.ts")], {
    stdio: "inherit", cwd: PROJECT_DIR,
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out, ...(options.course ? { VGPU_E2E_COURSE: "1" } : {}) },
  }).on("close", resolve));
  if (!existsSync(out)) return { passed: 0, failed: 1, skipped: 0 };
  const stats = JSON.parse(readFileSync(out, "utf8")).stats ?? {};
  const failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
  // Playwright failing before any test (its web server's port taken, a config error) is a failure too.
  return { passed: stats.expected ?? 0, failed: failed || (status !== 0 ? 1 : 0), skipped: stats.skipped ?? 0 };
}
