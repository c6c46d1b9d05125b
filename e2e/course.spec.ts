import { test, expect, type Page } from "playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { ROOT, command, importZipFile, referenceProject } from "./lab.ts";
import { racyVariant } from "../kmod/test/racy.ts";

// The course kernel in the student's page (`?kernel=course`, served beside the stock guest): the paper's race handed
// in as a project, built, loaded and tested with the lab's own buttons; lockdep's report becomes problems on the
// lines of the student's file that take the lock, and a line in the console. Runs in the course phase of
// `npx vgpu-lab test` (VGPU_E2E_COURSE=1), once the course guest is built.

type Lab = { lab: { getState(): { problems: Array<{ path: string | null; line: number; severity: string; source?: string; message: string }>; setSettings(s: object): void } } };
const kernelProblems = (page: Page) => page.evaluate(() =>
  (window as unknown as { vgpu: Lab }).vgpu.lab.getState().problems.filter((p) => p.source === "kernel"));

test("?kernel=course: the paper's race built and tested in the page, lockdep's report on the lines that take the lock", async ({ page }, info) => {
  test.setTimeout(3_600_000);
  await page.setViewportSize({ width: 1600, height: 960 });
  await page.goto("/?kernel=course&warm-up=off");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 600_000 });
  await expect(page.locator("body")).toHaveAttribute("data-kernel", "course");
  await expect(page.getByTestId("kernel")).toHaveText(/course kernel/);
  await page.evaluate(() => (window as unknown as { vgpu: Lab }).vgpu.lab.getState().setSettings({ buildTimeoutS: 2400, testTimeoutS: 900, commandTimeoutS: 300 }));

  const racy = racyVariant(readFileSync(join(ROOT, "kmod/reference/pm2ref.c"), "utf8"));
  await importZipFile(page, "racy.zip", zipSync({ ...referenceProject(), "pm2ref.c": strToU8(racy) }));
  await expect(page.getByTestId("notice")).toContainText("Imported");
  await command(page, "build");
  await expect(page.getByTestId("status")).toContainText("Build succeeded");
  await command(page, "load");
  await command(page, "test");

  // The report: problems on pm2ref.c, one per frame of the driver's in its stacks; the innermost of the ioctl path
  // (pm2ref_queue) and of the handler (pm2ref_irq) are the lines that take the queue lock.
  await expect.poll(async () => (await kernelProblems(page)).length, { timeout: 120_000 }).toBeGreaterThan(0);
  const problems = await kernelProblems(page);
  const lines = racy.split("\n");
  const placed = problems.filter((p) => p.path === "pm2ref.c");
  for (const p of placed) expect(p.message).toMatch(/^lockdep: WARNING: inconsistent lock state \(in \w+\)$/);
  for (const fn of ["pm2ref_queue", "pm2ref_irq"]) {
    const p = placed.find((x) => x.message.endsWith(`(in ${fn})`));
    expect(p, `a problem in ${fn}: ${JSON.stringify(problems)}`).toBeDefined();
    expect(lines[p!.line - 1], `${fn} at line ${p!.line}`).toMatch(/spin_lock\(/);
  }
  const irq = placed.find((x) => x.message.endsWith("(in pm2ref_irq)"))!;
  await page.getByTestId("tab-problems").click();
  await expect(page.locator(`.problem.error[data-path="pm2ref.c"][data-line="${irq.line}"]`).first()).toBeVisible();
  await expect(page.locator(".xterm-rows")).toContainText("the kernel reported a bug");
  await info.attach("lockdep's report as problems", { body: await page.screenshot(), contentType: "image/png" });
});
