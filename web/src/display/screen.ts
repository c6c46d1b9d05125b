// The screen pane: the card's screen when it is in a video mode, otherwise v86's own VGA console (as the
// paper's daemon switched to its X display when the card entered graphics mode). Redraws once per animation
// frame, and only when the card did something.
import type { Machine } from "../../../vcd/machine/machine.ts";
import { createPresenter } from "./presenter.ts";

export function attachScreen(machine: Machine, vga: HTMLElement, canvas: HTMLCanvasElement, label: HTMLElement): void {
  const presenter = createPresenter(canvas);
  const gpu = machine.platform.gpu;
  let drawn = -1;
  let mode = "";
  let lastDraw = 0;
  let busySince = 0;
  const frame = () => {
    const d = gpu.card.display();
    const on = d.enabled && d.format !== "unknown" && d.width > 0 && d.height > 0;
    const now = on ? `${d.width}x${d.height} ${d.format}` : "text";
    if (now !== mode) {
      mode = now;
      vga.hidden = on;
      canvas.hidden = !on;
      label.textContent = on ? `card: ${now} (${presenter.kind})` : "card: no video mode — VGA console";
      canvas.dataset.mode = now;
      drawn = -1;
    }
    // Uploading the screen costs the emulator time (in headless Chromium's software GL, 30 uploads a second of a
    // 1024x768 screen took a third of the page's time: tri-bench h100 25 s instead of 16 s per 1M). A change after
    // a quiet spell is shown within 33 ms; a card that keeps changing the screen for over a second is shown at
    // 10 frames a second.
    const t = performance.now();
    const changed = drawn !== gpu.generation;
    if (!changed) busySince = 0;
    else if (!busySince) busySince = t;
    const interval = busySince && t - busySince > 1000 ? 100 : 33;
    if (on && changed && t - lastDraw >= interval) {
      drawn = gpu.generation;
      lastDraw = t;
      presenter.draw({ ...d, vram: gpu.card.vram });
      canvas.dataset.frames = String(Number(canvas.dataset.frames ?? 0) + 1);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
