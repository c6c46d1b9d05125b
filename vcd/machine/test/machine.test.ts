import { test } from "node:test";
import assert from "node:assert/strict";
import { AgentParser, encodeRequest, type AgentReply } from "../agent.ts";
import { ConsoleWatch, type KernelEvent } from "../console-watch.ts";

const feed = (p: { push(b: number): void }, s: string) => { for (const c of new TextEncoder().encode(s)) p.push(c); };

test("agent: requests are one line of id and a base64 script that first changes to its folder", () => {
  const line = encodeRequest(7, "/work/it's here", "echo 'hi there'\nexit 3");
  assert.match(line, /^7 \S+\n$/);
  const script = Buffer.from(line.trim().split(" ")[1]!, "base64").toString();
  assert.equal(script, "cd '/work/it'\\''s here' 2>/dev/null || cd /\necho 'hi there'\nexit 3");
});

test("agent: replies are parsed out of noise, readiness is reported", () => {
  const replies: AgentReply[] = [];
  let ready = 0;
  const p = new AgentParser((r) => replies.push(r), () => ready++);
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  feed(p, "garbage\r\n@@vgpu ready\n");
  feed(p, `\x1b[6n@@vgpu 3 2 ${b64("out\n")} ${b64("err\n")}\n`);
  feed(p, "@@vgpu 4 0  \n");
  assert.equal(ready, 1);
  assert.deepEqual(replies, [
    { id: 3, status: 2, stdout: "out\n", stderr: "err\n" },
    { id: 4, status: 0, stdout: "", stderr: "" },
  ]);
});

test("agent: streamed stdout lines reach their command's sink", () => {
  const got: Array<[number, string]> = [];
  const p = new AgentParser(() => {}, () => {}, (id, text) => got.push([id, text]));
  feed(p, `@@vgpu-out 5 ${Buffer.from("  CC [M]  a.o\n").toString("base64")}\n`);
  assert.deepEqual(got, [[5, "  CC [M]  a.o\n"]]);
  assert.match(encodeRequest(5, "/", "make", true), / stream\n$/);
});

test("console watch: oops, panic and warnings become events; the tail is kept", () => {
  const events: KernelEvent[] = [];
  const w = new ConsoleWatch((e) => events.push(e), 64);
  feed(w, "[   1.0] ordinary line\r\n");
  feed(w, "[   2.5] BUG: kernel NULL pointer dereference, address: 00000000\n");
  feed(w, "[   2.6] WARNING: CPU: 0 PID: 12 at drivers/foo.c:10 foo+0x1/0x2\n");
  feed(w, "[   3.0] Kernel panic - not syncing: Fatal exception\n");
  assert.deepEqual(events.map((e) => e.kind), ["oops", "warning", "panic"]);
  assert.equal(events[2].line, "Kernel panic - not syncing: Fatal exception");
  assert.ok(w.text().length <= 64 && w.text().endsWith("Fatal exception\n"));
});

test("console watch: the kernel's oops banner is an oops, a shell line that mentions oops is not", () => {
  const events: KernelEvent[] = [];
  const w = new ConsoleWatch((e) => events.push(e));
  feed(w, "/work # test -f /work/oops.c && lsmod | grep -c oops; echo OOPS\r\n");
  feed(w, "/work # insmod ./oops.ko\r\n");
  assert.equal(events.length, 0, "a shell line is not an oops");
  feed(w, "[  702.7] Oops: 0002 [#1] PREEMPT SMP\n");
  assert.deepEqual(events.map((e) => e.kind), ["oops"]);
});

test("console watch: the bug detectors' reports are named, before the oops and warning patterns they resemble", () => {
  const events: KernelEvent[] = [];
  const w = new ConsoleWatch((e) => events.push(e));
  const lines = [
    ["lockdep", "[   9.1] WARNING: inconsistent lock state"],
    ["lockdep", "[   9.2] WARNING: possible circular locking dependency detected"],
    ["might-sleep", "[   9.3] BUG: sleeping function called from invalid context at mm/slab.h:710"],
    ["spinlock", "[   9.4] BUG: spinlock recursion on CPU#0, tri-bench/93"],
    ["kmemleak", "[   9.5] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"],
    ["dma-api", "[   9.6] DMA-API: pci 0001:10:00.0: device driver has pending DMA allocations while released from device [count=1]"],
    ["ubsan", "[   9.7] UBSAN: shift-out-of-bounds in /work/pm2ref.c:120:14"],
    ["objects", "[   9.8] ODEBUG: free active (active state 0) object type: timer_list hint: pm2_tick+0x0/0x20 [pm2ref]"],
    ["lockup", "[   9.9] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:88]"],
    ["hung-task", "[  10.0] INFO: task tri-bench:93 blocked for more than 20 seconds."],
    ["irq-left", "[  10.1] vgpu: pm2ref left a handler on IRQ 9, the card's (0001:10:00.0), after unloading: free_irq() is missing from its remove() or exit"],
  ] as const;
  for (const [, l] of lines) feed(w, l + "\n");
  assert.deepEqual(events.map((e) => (e.kind === "report" ? e.detector : e.kind)), lines.map(([d]) => d));
  assert.equal(events[0].line, "WARNING: inconsistent lock state");
  events.length = 0;
  feed(w, "[  11.0] BUG: kernel NULL pointer dereference, address: 00000010\n");
  assert.deepEqual(events.map((e) => e.kind), ["oops"], "a BUG that is not a detector's stays an oops");
});
