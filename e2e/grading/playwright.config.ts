// The grading run's Playwright configuration (`vgpu-lab grade` sets the environment): the student's page served
// from a published site, one worker per machine, a blob report per shard for `playwright merge-reports`.
import { defineConfig } from "playwright/test";
import { CHROMIUM_ENGINE_ARGS } from "../../vcd/machine/engine-flags.ts";

const out = process.env.VGPU_GRADE_OUT ?? "grade-report";
const shard = (process.env.VGPU_GRADE_SHARD ?? "1/1").replace("/", "-of-");

export default defineConfig({
  testDir: ".",
  testMatch: /grade\.run\.ts$/,
  workers: Number(process.env.VGPU_GRADE_WORKERS ?? 1),
  fullyParallel: true,
  retries: 0,
  reporter: [["list"], ["blob", { outputDir: `${out}/blob`, fileName: `shard-${shard}.zip` }]],
  outputDir: `${out}/playwright`,
  use: {
    baseURL: process.env.VGPU_GRADE_URL,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.VGPU_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ...CHROMIUM_ENGINE_ARGS], // V8 flags for v86 (vcd/machine/engine-flags.ts)
    },
  },
});
