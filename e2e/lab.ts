// What the e2e specs do to the lab page: run a toolbar command to its end, type into the console, hand in the
// reference driver as a project, count the card's lit pixels.
import { expect, type Page } from "playwright/test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { strToU8 } from "fflate";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

type Busy = { lab: { getState(): { busy: string | null } } };

/** Click a toolbar command and wait until the lab is idle again. */
export async function command(page: Page, id: string, timeout = 1_500_000): Promise<void> {
  await expect(page.getByTestId(`cmd-${id}`)).toBeEnabled({ timeout });
  await page.getByTestId(`cmd-${id}`).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { vgpu: Busy }).vgpu.lab.getState().busy), { timeout, intervals: [500] }).toBeNull();
}

/** Type a line into the guest's console and wait for text (computed by the shell, so the echoed line never matches). */
export async function typeInConsole(page: Page, line: string, expectText: string | RegExp, timeout = 120_000): Promise<void> {
  await page.getByTestId("tab-console").click();
  await page.locator(".xterm").click();
  await page.keyboard.type(line + "\n");
  await expect(page.locator(".xterm-rows")).toContainText(expectText, { timeout });
}

function tree(dir: string, prefix: string, out: Record<string, Uint8Array>): void {
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) tree(abs, `${prefix}${name}/`, out);
    else if (!/\.(o|ko|cmd)$/.test(name)) out[prefix + name] = readFileSync(abs);
  }
}

/**
 * The complete driver as a student project, read here from disk (the lab never serves it): pm2ref.c, the shared
 * headers (`header` replaces the generated one, for a variant), the course's test programs, a Makefile.
 */
export function referenceProject(header?: Uint8Array): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  files["pm2ref.c"] = readFileSync(join(ROOT, "kmod/reference/pm2ref.c"));
  tree(join(ROOT, "kmod/include"), "include/", files);
  tree(join(ROOT, "kmod/tests"), "tests/", files);
  if (header) files["include/generated/pm2v_regs.h"] = header;
  files["Makefile"] = strToU8([
    "obj-m := pm2ref.o",
    "ccflags-y := -I$(src)/include",
    "KDIR ?= /lib/modules/$(shell uname -r)/build",
    "", "all:", "\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules",
    "", "test:", "\t$(MAKE) -s -C tests pm2ref-tests", "\t./tests/pm2ref-tests -n 20",
    "", "clean:", "\t$(MAKE) -C $(KDIR) M=$(CURDIR) clean", "",
  ].join("\n"));
  return files;
}

export async function importZipFile(page: Page, name: string, data: Uint8Array): Promise<void> {
  await page.getByTestId("import-input").setInputFiles({ name, mimeType: "application/zip", buffer: Buffer.from(data) });
}

/** Pixels of the card's canvas that are not black. */
export async function colouredPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const src = document.querySelector("#card") as HTMLCanvasElement;
    if (!src.width) return 0;
    const c = document.createElement("canvas");
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 60) n++;
    return n;
  });
}
