import { defineConfig } from "playwright/test";
import { CHROMIUM_ENGINE_ARGS } from "../vcd/machine/engine-flags.ts";

const PORT = Number(process.env.VGPU_E2E_PORT ?? 5179);

export default defineConfig({
  testDir: ".",
  // The specs on the course kernel run in the course phase, on their own (VGPU_E2E_COURSE=1: the course guest is
  // built by then; the dev server offers it at ?kernel=course beside the stock one): the page on it, and grading
  // the fixture class (the grader's default kernel).
  testMatch: process.env.VGPU_E2E_COURSE ? /(course|grade)\.spec\.ts$/ : /.*\.spec\.ts$/,
  testIgnore: process.env.VGPU_E2E_COURSE ? [] : [/(course|grade)\.spec\.ts$/],
  timeout: 240_000,
  // Two pages at a time: each runs its guest on one core (as the integration files do), so the e2e phase takes
  // half the wall time on a two-core runner.
  workers: Number(process.env.VGPU_E2E_WORKERS ?? 2),
  reporter: [["list"], ["json"]],
  outputDir: "../test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.VGPU_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ...CHROMIUM_ENGINE_ARGS], // V8 flags for v86 (vcd/machine/engine-flags.ts)
    },
    trace: "retain-on-failure",
  },
  webServer: {
    command: `node bin/vgpu-lab.js serve --dev --no-watch --port ${PORT}`,
    cwd: "..",
    url: `http://127.0.0.1:${PORT}/`,
    timeout: 900_000,
    reuseExistingServer: false,
  },
});
