import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test, expect, type Page } from "playwright/test";
import { hostFiles, PROJECT_DIR } from "../vcd/machine/node-host.ts";

type Vgpu = { vgpu: { machine: import("../web/src/machine/remote.ts").RemoteMachine } };

/** Copies a host folder into the page's guest under /work/<prefix>, as bin/session.ts does. */
async function copyIn(page: Page, hostDir: string, prefix: string): Promise<void> {
  for (const [rel, abs] of hostFiles(hostDir)) {
    const b64 = readFileSync(abs).toString("base64");
    await page.evaluate(([p, b]) => {
      const bin = atob(b);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return (window as unknown as Vgpu).vgpu.machine.putFile(p, bytes);
    }, [join(prefix, rel), b64] as const);
  }
}

async function exec(page: Page, command: string, timeout = 2_400_000): Promise<{ exitCode: number; out: string }> {
  const r = await page.evaluate(([c, t]) => (window as unknown as Vgpu).vgpu.machine.exec(c as string, { timeout: t as number }), [command, timeout] as const);
  return { exitCode: r.exitCode ?? -1, out: `${r.stdout}${r.stderr}` };
}

// The reference driver draws Table 1's triangles by DMA while the inspector watches: the last buffers appear decoded
// into the variant's tag names, the interrupt timeline shows the completions, and a register opens the manual there.
test("the inspector shows DMA buffers by tag name and interrupts while the reference driver draws; a register opens its manual section", async ({ page }, info) => {
  test.setTimeout(3_000_000);
  await page.goto("/?warm-up=off");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 600_000 });

  for (const d of ["reference", "tests", "include"]) await copyIn(page, join(PROJECT_DIR, "kmod", d), `insp/${d}`);
  // About a minute on an idle 2-core host; half an hour when five builds share it.
  const build = await exec(page, "make -s -C /work/insp/reference 2>&1 && make -s -C /work/insp/tests tri-bench 2>&1");
  expect(build.exitCode, build.out).toBe(0);
  const load = await exec(page, "insmod $(ls /work/insp/reference/*.ko | head -1)");
  expect(load.exitCode, load.out).toBe(0);

  const names = await page.evaluate(() => {
    const v = (window as unknown as Vgpu).vgpu.machine.variant;
    const tag = (role: string) => v.tags.find((t) => t.role === role)!.name;
    const reg = v.registers.find((r) => r.role === "dmaAddress")!;
    return { render: tag("render"), startXDom: tag("startXDom"), dmaAddress: reg.name, dmaAddressHasFields: !!reg.fields?.length, dmaInt: v.interrupts.find((i) => i.role === "dma")!.name };
  });

  await page.getByTestId("pane-inspector").click();
  const inspector = page.getByTestId("inspector");
  await expect(inspector).toBeVisible({ timeout: 30_000 });

  // Table 1's workload the way `bench table1` runs it in a tab (burst mode), at a CI-sized N: every triangle drawn,
  // one completion interrupt per buffer (tri-bench packs 682 triangles of 24 words into a 64 KiB buffer).
  const n = 3000, height = 20;
  const stats = () => page.evaluate(async () => {
    const c = await (window as unknown as Vgpu).vgpu.machine.card();
    return { ...c.stats, ...c.cost };
  });
  expect((await exec(page, "echo 1 > /sys/module/vgpu/parameters/burst")).exitCode).toBe(0);
  const before = await stats();
  const bench = await exec(page, `/work/insp/tests/tri-bench -q -n ${n} -h ${height}`);
  expect(bench.exitCode, bench.out).toBe(0);
  expect(bench.out).toMatch(new RegExp(`^\\s*${height}\\s+${n}\\s+[0-9.]+`, "m"));
  const after = await stats();
  expect(after.irqRaises - before.irqRaises).toBe(Math.ceil(n / 682));
  expect(after.dmaWords - before.dmaWords).toBe(n * 24 + Math.ceil(n / 682) * 2);
  expect(after.pixels - before.pixels).toBeGreaterThan(n * height * height * 0.3);

  const buffer = inspector.getByTestId("dma-buffer").first();
  await expect(buffer).toBeVisible({ timeout: 10_000 });
  await expect(buffer.locator("summary")).toContainText("complete");
  await expect(buffer.locator("table")).toContainText(names.startXDom);
  await expect(buffer.locator("table")).toContainText(names.render);
  const timeline = inspector.getByTestId("irq-timeline");
  await expect.poll(async () => Number(await timeline.getAttribute("data-raises")), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(Number(await timeline.getAttribute("data-acks"))).toBeGreaterThan(0);
  // Acknowledgement marks name the bits the handler wrote back; the reference driver acknowledges DMA completions.
  const acked = await timeline.locator("path.ack title").allTextContents();
  expect(acked.join("\n")).toContain(names.dmaInt);
  await expect(inspector.getByRole("table", { name: /Card registers/ })).toBeVisible();
  await info.attach("inspector after tri-bench", { body: await page.screenshot(), contentType: "image/png" });

  // Keyboard: one tab stop in the register table, arrows move between registers, Enter opens the manual.
  const link = inspector.locator(`table.insp-regs button.reg-link[data-register="${names.dmaAddress}"]`);
  await link.focus();
  await page.keyboard.press("ArrowDown");
  const next = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.register);
  expect(next).toBeTruthy();
  expect(next).not.toBe(names.dmaAddress);
  await page.keyboard.press("ArrowUp");
  await expect(link).toBeFocused();

  await link.click();
  await expect(page.getByTestId("pane-manual")).toHaveAttribute("aria-selected", "true");
  const manual = page.getByTestId("manual");
  const anchor = names.dmaAddressHasFields ? `reg-${names.dmaAddress}-fields` : `reg-${names.dmaAddress}`;
  const section = manual.locator(`[id="${anchor}"]`);
  await expect(section).toHaveClass(/manual-target/);
  await expect(section).toBeInViewport();
  await expect(section).toContainText(names.dmaAddress);
  await info.attach("manual opened at the register", { body: await page.screenshot(), contentType: "image/png" });

  const search = page.getByTestId("manual-search");
  await search.fill("DMACount");
  await expect(manual.getByRole("status")).toContainText(/^1 of \d+/);
  await search.press("Enter");
  await expect(manual.getByRole("status")).toContainText(/^2 of \d+/);
  await expect(manual.locator("mark.manual-hit.current")).toBeInViewport();
  await info.attach("manual search", { body: await page.screenshot(), contentType: "image/png" });
});
