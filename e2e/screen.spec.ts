import { test, expect, type Page } from "playwright/test";
import type { RemoteMachine } from "../web/src/machine/remote.ts";

// The guest programs a 640x480 32 bpp mode through /dev/mem and writes a pixel through BAR1; the page must
// switch from the VGA console to the card's screen and show that pixel.
test("the card's screen replaces the VGA console when the guest sets a video mode", async ({ page }) => {
  await page.goto("/?warm-up=off");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true", { timeout: 180_000 });
  await expect(page.getByTestId("screen-label")).toContainText("no video mode");
  await expect(page.getByTestId("card-canvas")).toBeHidden();

  const { bar0, bar1, regs } = await page.evaluate(async () => {
    const m = (window as unknown as { vgpu: { machine: RemoteMachine } }).vgpu.machine;
    const reg = (role: string) => m.variant.registers.find((r) => r.role === role)!.offset;
    return {
      bar0: await m.barAddress(0, 0), bar1: await m.barAddress(0, 1),
      regs: { hTotal: reg("hTotal"), hbEnd: reg("hbEnd"), vTotal: reg("vTotal"), vbEnd: reg("vbEnd"),
        screenStride: reg("screenStride"), screenBase: reg("screenBase"), videoControl: reg("videoControl") },
    };
  });
  const poke = (off: number, v: number) => `busybox devmem ${bar0 + off} 32 ${v}`;
  const script = [
    // No driver is bound: enable the device's memory decoding by hand, as sysfs allows.
    "echo 1 > /sys/bus/pci/devices/0001:10:00.0/enable",
    // One orange pixel (x8r8g8b8 0x00ff8000) in the middle of the screen, written through BAR1.
    `busybox devmem ${bar1 + (240 * 640 + 320) * 4} 32 0x00ff8000`,
    poke(regs.hTotal, 399), poke(regs.hbEnd, 80), poke(regs.vTotal, 524), poke(regs.vbEnd, 45),
    poke(regs.screenStride, 320), poke(regs.screenBase, 0), poke(regs.videoControl, 1 | (1 << 16)),
    "echo mode-set-$((40+2))",
  ].join("; ");
  await page.locator(".xterm").click();
  await page.keyboard.type(script + "\n");
  await expect(page.locator(".xterm-rows")).toContainText("mode-set-42", { timeout: 120_000 });

  await expect(page.getByTestId("screen-label")).toContainText("640x480 x8r8g8b8");
  await expect(page.getByTestId("card-canvas")).toBeVisible();
  await expect(page.locator("#vga")).toBeHidden();
  await expect.poll(() => centrePixel(page), { timeout: 10_000 }).toEqual([0xff, 0x80, 0x00]);
});

async function centrePixel(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const src = document.querySelector("#card") as HTMLCanvasElement;
    const c = document.createElement("canvas");
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(src, 0, 0);
    return Array.from(ctx.getImageData(src.width >> 1, src.height >> 1, 1, 1).data.slice(0, 3));
  });
}
