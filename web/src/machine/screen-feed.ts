// The screen as the worker sends it to the page: the card's visible framebuffer when the card is in a video mode,
// otherwise v86's VGA text console (as the paper's daemon switched to its X display when the card entered graphics
// mode). Frames are copies of the visible rows, transferred, one in flight at a time: the page says when it drew one.
import type { Machine } from "../../../vcd/machine/machine.ts";
import type { FromWorker, ScreenFrame } from "./protocol.ts";

const TICK_MS = 16;
const TEXT_EVERY_MS = 250;

export interface ScreenFeed {
  /** The page drew the last frame. */
  frameDone(): void;
  stop(): void;
}

/** What the feed reads of the machine: the card's display and VRAM, and v86's text console. */
export type FeedSource = { platform: { gpu: Pick<Machine["platform"]["gpu"], "card" | "generation"> }; emulator: Pick<Machine["emulator"], "textScreen"> };

export function startScreenFeed(m: FeedSource, post: (msg: FromWorker, transfer?: Transferable[]) => void, now = () => performance.now()): ScreenFeed {
  const gpu = m.platform.gpu;
  let mode = "";
  let drawn = -1;
  let inFlight = false;
  let lastDraw = -Infinity;
  let busySince = 0;
  let lastText = -Infinity;
  let text = "";
  const tick = () => {
    const d = gpu.card.display();
    const on = d.enabled && d.format !== "unknown" && d.width > 0 && d.height > 0;
    const current = on ? `${d.width}x${d.height} ${d.format}` : "text";
    if (current !== mode) {
      mode = current;
      drawn = -1;
      text = "";
      lastText = -Infinity;
      post({ t: "mode", mode });
    }
    const t = now();
    if (!on) {
      if (t - lastText >= TEXT_EVERY_MS) {
        lastText = t;
        const rows = m.emulator.textScreen();
        const joined = rows?.join("\n") ?? "";
        if (rows && joined !== text) {
          text = joined;
          post({ t: "text", rows });
        }
      }
      return;
    }
    // Copying and drawing a screen costs time (in headless Chromium's software GL, 30 uploads a second of a
    // 1024x768 screen took a third of the page's time when the machine ran beside them). A change after a quiet
    // spell is shown within 33 ms; a card that keeps changing the screen for over a second is shown at 10 frames/s.
    const changed = drawn !== gpu.generation;
    if (!changed) busySince = 0;
    else if (!busySince) busySince = t;
    const interval = busySince && t - busySince > 1000 ? 100 : 33;
    if (!changed || inFlight || t - lastDraw < interval) return;
    const vram = gpu.card.vram;
    const rows = Math.min(d.height, Math.floor((vram.length - d.baseBytes) / d.strideBytes));
    if (rows <= 0) return;
    // From a 4-byte boundary, so the page can view 16-bit pixels; whole rows, so it counts the same rows.
    const start = d.baseBytes & ~3;
    const end = Math.min(vram.length, d.baseBytes + d.strideBytes * rows);
    const frame: ScreenFrame = { ...d, baseBytes: d.baseBytes - start, pixels: vram.slice(start, end).buffer, generation: gpu.generation };
    drawn = gpu.generation;
    lastDraw = t;
    inFlight = true;
    post({ t: "frame", frame }, [frame.pixels]);
  };
  const timer = setInterval(tick, TICK_MS);
  return {
    frameDone: () => { inFlight = false; },
    stop: () => clearInterval(timer),
  };
}
