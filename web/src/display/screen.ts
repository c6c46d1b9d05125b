// The screen pane: the card's screen when it is in a video mode, otherwise v86's VGA text console (as the paper's
// daemon switched to its X display when the card entered graphics mode). The machine's worker sends frames when the
// card changed the screen (web/src/machine/screen-feed.ts); each is drawn at the next animation frame.
import type { RemoteMachine } from "../machine/remote.ts";
import type { ScreenFrame } from "../machine/protocol.ts";
import { createPresenter } from "./presenter.ts";

export function attachScreen(machine: RemoteMachine, vga: HTMLElement, canvas: HTMLCanvasElement, label: HTMLElement): void {
  const presenter = createPresenter(canvas);
  const text = vga.querySelector<HTMLElement>(".vga-text") ?? vga;
  let next: ScreenFrame | null = null;
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    const f = next;
    next = null;
    if (!f) return;
    presenter.draw({ ...f, vram: new Uint8Array(f.pixels) });
    canvas.dataset.frames = String(Number(canvas.dataset.frames ?? 0) + 1);
    machine.frameDone();
  };
  machine.attachScreen({
    mode(mode) {
      const on = mode !== "text";
      vga.hidden = on;
      canvas.hidden = !on;
      label.textContent = on ? `card: ${mode} (${presenter.kind})` : "card: no video mode — VGA console";
      canvas.dataset.mode = mode;
    },
    frame(f) {
      next = f;
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(draw);
      }
    },
    text(rows) {
      text.textContent = rows.join("\n");
    },
  });
}
