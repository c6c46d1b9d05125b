// The page's yield between v86's slices (v86-adapter.ts): a MessageChannel on the same thread instead of v86's
// round trip through a Blob Worker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { installChannelYield } from "../v86-adapter.ts";

test("the channel yield: the next slice in a later task, a wait after its milliseconds, v86's worker let go", async () => {
  const ticks: Array<[number, number]> = [];
  let workerGone = false;
  const t0 = performance.now();
  const inner: Record<string, unknown> = {
    unregister_yield: () => { workerGone = true; },
    yield_callback: (tick: number) => ticks.push([tick, performance.now() - t0]),
  };
  installChannelYield(inner);
  assert.ok(workerGone, "v86's Blob Worker is terminated");
  const y = inner.yield as (ms: number, tick: number) => void;
  y(20, 2); // halted until a timer 20 ms away
  y(0, 1); // the next slice at once
  assert.equal(ticks.length, 0, "never inside the caller's slice");
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(ticks.map(([t]) => t), [1, 2]);
  assert.ok(ticks[0]![1] < 15, `the next slice came after ${ticks[0]![1].toFixed(1)} ms`);
  assert.ok(ticks[1]![1] >= 19, `the wait ended after ${ticks[1]![1].toFixed(1)} ms`);
  (inner.unregister_yield as () => void)(); // closes the channel: nothing keeps the process alive
});
