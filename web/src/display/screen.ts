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
    // At most 30 uploads a second: a busy card changes VRAM constantly, and the upload costs the emulator time.
    if (on && drawn !== gpu.generation && performance.now() - lastDraw >= 33) {
      drawn = gpu.generation;
      lastDraw = performance.now();
      presenter.draw({ ...d, vram: gpu.card.vram });
      canvas.dataset.frames = String(Number(canvas.dataset.frames ?? 0) + 1);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
