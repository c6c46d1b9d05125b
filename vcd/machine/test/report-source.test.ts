import { test } from "node:test";
import assert from "node:assert/strict";
import { moduleFrames, parseFrameLines, reportBlock, reportTitle } from "../report-source.ts";

// The shape of the course kernel's report of the paper's race (abridged), between other console lines.
const CONSOLE = `[   30.1] pm2ref 0001:10:00.0: /dev/pm2ref0: 640x480 32 bpp, 8 MiB VRAM, IRQ 11
[   31.0] ================================
[   31.0] WARNING: inconsistent lock state
[   31.0] 6.1.0-50-course #1 Not tainted
[   31.0] --------------------------------
[   31.0] inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.
[   31.0] tri-bench/93 [HC0[0]:SC0[0]:HE1:SE1] takes:
[   31.0] c8a04e3c (&dev->lock){?.-.}-{2:2}, at: pm2ref_queue+0x1c/0x120 [pm2ref]
[   31.0] {IN-HARDIRQ-W} state was registered at:
[   31.0]   lock_acquire+0xa6/0x2a0
[   31.0]   _raw_spin_lock+0x2f/0x40
[   31.0]   pm2ref_irq+0x32/0x1b0 [pm2ref]
[   31.0]   __handle_irq_event_percpu+0x46/0x1c0
[   31.0] 
[   31.0] other info that might help us debug this:
[   31.0] 1 lock held by tri-bench/93:
[   31.0]  #0: c8a04e3c (&dev->lock){?.-.}-{2:2}, at: pm2ref_queue+0x1c/0x120 [pm2ref]
[   31.0] 
[   31.0] stack backtrace:
[   31.0] Call Trace:
[   31.0]  dump_stack_lvl+0x45/0x5c
[   31.0]  ? pm2ref_ioc_submit+0x90/0x230 [pm2ref]
[   31.0]  pm2ref_ioctl+0x4d/0x80 [pm2ref]
[   31.0]  __ia32_sys_ioctl+0x2a/0x40
[   32.0] DMA-API: pci 0001:10:00.0: device driver has pending DMA allocations while released from device [count=6]
[   32.0]   dma_free_attrs+0x10/0x50
[   32.0]   other_frame+0x1/0x2 [other]
`;

test("report block: from the report's first line to the next report", () => {
  const block = reportBlock(CONSOLE, "WARNING: inconsistent lock state");
  assert.match(block, /^\[   31\.0\] WARNING: inconsistent lock state/);
  assert.match(block, /pm2ref_ioctl\+0x4d/);
  assert.doesNotMatch(block, /DMA-API|other_frame/);
  assert.equal(reportBlock(CONSOLE, "never printed"), "");
});

test("module frames: each once, in order, the '? ' guess marks dropped, kernel frames left out", () => {
  const frames = moduleFrames(reportBlock(CONSOLE, "WARNING: inconsistent lock state"));
  assert.deepEqual(frames.map((f) => f.frame), [
    "pm2ref_queue+0x1c/0x120 [pm2ref]",
    "pm2ref_irq+0x32/0x1b0 [pm2ref]",
    "pm2ref_ioc_submit+0x90/0x230 [pm2ref]",
    "pm2ref_ioctl+0x4d/0x80 [pm2ref]",
  ]);
  assert.deepEqual(frames[1], { frame: "pm2ref_irq+0x32/0x1b0 [pm2ref]", fn: "pm2ref_irq", module: "pm2ref" });
});

test("kframe2line's answer: frames placed on file and line; what it could not place is absent", () => {
  const out = "pm2ref_queue+0x1c [pm2ref] /work/kmod/racy/pm2ref.c:684\nnoise\npm2ref_irq+0x32 [pm2ref] /work/kmod/racy/pm2ref.c:521 (discriminator 2)\n";
  assert.deepEqual(parseFrameLines(out), [
    { fn: "pm2ref_queue", module: "pm2ref", file: "/work/kmod/racy/pm2ref.c", line: 684 },
    { fn: "pm2ref_irq", module: "pm2ref", file: "/work/kmod/racy/pm2ref.c", line: 521 },
  ]);
});

test("report title: the detector and its sentence, without the console's prefixes", () => {
  assert.equal(reportTitle("lockdep", "[   31.0] WARNING: inconsistent lock state"), "lockdep: WARNING: inconsistent lock state");
  assert.equal(reportTitle("irq-left", "[  10.1] vgpu: pm2ref left a handler on IRQ 9"), "irq-left: vgpu: pm2ref left a handler on IRQ 9");
});
