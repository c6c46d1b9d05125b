// The worker's screen feed with a fake card: the VGA console's rows when the card has no video mode, then frames of
// the visible rows only when the card changed the screen, one in flight until the page has drawn it.
import { strict as assert } from "node:assert";
import { it, type TestContext } from "node:test";
import { startScreenFeed, type FeedSource } from "./screen-feed.ts";
import type { FromWorker } from "./protocol.ts";
import type { DisplayInfo } from "../../../vcd/card/card.ts";

function fakeMachine() {
  const vram = new Uint8Array(64 * 1024);
  let display: DisplayInfo = { enabled: false, width: 0, height: 0, strideBytes: 0, baseBytes: 0, format: "unknown", bytesPerPixel: 0 };
  let text: string[] | null = ["SeaBIOS", ""];
  const gpu = { generation: 0, card: { vram, display: () => display } };
  const m = { platform: { gpu }, emulator: { textScreen: () => text } } as unknown as FeedSource;
  return { m, vram, gpu, setDisplay: (d: DisplayInfo) => { display = d; }, setText: (t: string[] | null) => { text = t; } };
}

/** A feed on a fake machine, its timers and clock driven by `step`, what it sent collected in `sent`. */
function startFake(t: TestContext) {
  t.mock.timers.enable({ apis: ["setInterval"] });
  const f = fakeMachine();
  const sent: FromWorker[] = [];
  let clock = 0;
  const feed = startScreenFeed(f.m, (msg) => sent.push(msg), () => clock);
  const step = (ms: number) => { clock += ms; t.mock.timers.tick(ms); };
  return { f, sent, feed, step };
}

it("sends the VGA console's rows while the card has no video mode, and only when they change", (t) => {
  const { f, sent, feed, step } = startFake(t);
  step(16);
  assert.deepEqual(sent, [{ t: "mode", mode: "text" }, { t: "text", rows: ["SeaBIOS", ""] }]);
  step(1000);
  assert.equal(sent.length, 2, "unchanged rows are not sent again");
  f.setText(["SeaBIOS", "Linux"]);
  step(300);
  assert.deepEqual(sent.at(-1), { t: "text", rows: ["SeaBIOS", "Linux"] });
  feed.stop();
});

it("sends a frame of the visible rows when the card changed the screen, the next once the page drew it", (t) => {
  const { f, sent, feed, step } = startFake(t);
  // 4x3 pixels of 32 bits, rows 32 bytes apart, starting 6 bytes into VRAM (not 4-byte aligned on purpose).
  f.setDisplay({ enabled: true, width: 4, height: 3, strideBytes: 32, baseBytes: 6, format: "x8r8g8b8", bytesPerPixel: 4 });
  for (let i = 0; i < 200; i++) f.vram[i] = i;
  f.gpu.generation = 1;
  step(16);
  const frames = () => sent.filter((s): s is Extract<FromWorker, { t: "frame" }> => s.t === "frame").map((s) => s.frame);
  assert.deepEqual(sent[0], { t: "mode", mode: "4x3 x8r8g8b8" });
  assert.equal(frames().length, 1);
  const fr = frames()[0]!;
  const px = new Uint8Array(fr.pixels);
  assert.equal(fr.baseBytes, 2, "the copy starts at the 4-byte boundary below the screen's base");
  assert.equal(px.length, 2 + 3 * 32, "whole rows from the base");
  assert.equal(px[fr.baseBytes], 6, "the first pixel byte is VRAM's byte at the base");
  assert.equal(px[fr.baseBytes + 2 * 32 + 15], 6 + 64 + 15, "the last row's last pixel byte");

  f.gpu.generation = 2;
  step(100);
  assert.equal(frames().length, 1, "no second frame while the first is not drawn");
  feed.frameDone();
  step(16);
  assert.equal(frames().length, 2);
  assert.equal(frames()[1]!.generation, 2);
  feed.frameDone();
  step(500);
  assert.equal(frames().length, 2, "no frame when the card did not change the screen");

  f.setDisplay({ enabled: false, width: 0, height: 0, strideBytes: 0, baseBytes: 0, format: "unknown", bytesPerPixel: 0 });
  step(16);
  assert.deepEqual(sent.filter((s) => s.t === "mode").at(-1), { t: "mode", mode: "text" });
  feed.stop();
});
