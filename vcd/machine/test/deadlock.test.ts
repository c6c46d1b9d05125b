// Naming a deadlock without the guest's help: the module table the vgpu module streams, the watch on interrupts
// staying off, the stack walk and the blame.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ModuleTable, formatSymbol } from "../modules.ts";
import { StuckWatch, blame, stackAddresses, withKernelSymbol, type CpuSample } from "../deadlock.ts";
import { MODINFO } from "../../vpcib/protocol.ts";

function nameWords(s: string): number[] {
  const out = [s.length];
  for (let i = 0; i < s.length; i += 4) {
    let w = 0;
    for (let j = 0; j < 4 && i + j < s.length; j++) w |= s.charCodeAt(i + j) << (8 * j);
    out.push(w >>> 0);
  }
  return out;
}
function loadRecord(name: string, base: number, size: number, syms: Array<[number, string]>): number[] {
  return [MODINFO.load, base, size, ...nameWords(name), syms.length, ...syms.flatMap(([a, n]) => [a, ...nameWords(n)])];
}

const BASE = 0xf8a00000;
function pm2ref(): ModuleTable {
  const t = new ModuleTable();
  for (const w of loadRecord("pm2ref", BASE, 0x3000, [[BASE + 0x900, "pm2ref_irq"], [BASE, "rd"], [BASE + 0x400, "pm2ref_queue"]])) t.push(w);
  return t;
}

test("the module stream: a load names functions by address, an unload forgets the module, garbage is skipped", () => {
  const t = new ModuleTable();
  for (const w of [0xdeadbeef, 7, ...loadRecord("pm2ref", BASE, 0x3000, [[BASE + 0x900, "pm2ref_irq"], [BASE, "rd"]])]) t.push(w);
  assert.equal(formatSymbol(t.lookup(BASE + 0x91c)!), "pm2ref_irq+0x1c [pm2ref]");
  assert.equal(t.lookup(BASE + 0x10)!.symbol, "rd");
  assert.equal(t.lookup(BASE + 0x3000), null, "past the text");
  assert.equal(t.lookup(0xc1000000), null, "kernel text is no module's");
  for (const w of [MODINFO.gone, ...nameWords("pm2ref")]) t.push(w);
  assert.equal(t.lookup(BASE + 0x91c), null);
  const saved = pm2ref().save();
  t.load(saved);
  assert.equal(t.lookup(BASE + 0x404)!.symbol, "pm2ref_queue", "the table rides in the machine state");
});

test("the watch: interrupts off in every sample for the bound is a deadlock, once; one sample with them on starts over", () => {
  const w = new StuckWatch(1000);
  const at = (ms: number, on = false): CpuSample => ({ ms, interruptsOn: on, kernel: true, eip: 0, esp: 0, ebp: 0, halted: false });
  let fired = 0;
  for (let ms = 0; ms <= 900; ms += 50) fired += +w.sample(at(ms));
  w.sample(at(950, true));
  for (let ms = 1000; ms < 1950; ms += 50) fired += +w.sample(at(ms));
  assert.equal(fired, 0, "interrupts came on in between");
  for (let ms = 1950; ms <= 4000; ms += 50) fired += +w.sample(at(ms));
  assert.equal(fired, 1);
  assert.ok(w.offFor(4000) >= 1000);
  const slow = new StuckWatch(1000);
  assert.equal(slow.sample(at(0)) || slow.sample(at(5000)), false, "one long slice is not enough: it needs several samples");
  const user = new StuckWatch(100);
  for (let ms = 0; ms < 2000; ms += 50) assert.equal(user.sample({ ...at(ms), kernel: false }), false, "user mode with IF=0 cannot happen on Linux; never blame it");
});

test("the watch: a CPU with interrupts off that keeps talking to the card is busy, not stuck; once it stops, the bound runs", () => {
  const w = new StuckWatch(1000);
  const at = (ms: number, progress: number): CpuSample => ({ ms, interruptsOn: false, kernel: true, eip: 0, esp: 0, ebp: 0, halted: false, progress });
  let fired = 0, mmio = 0;
  for (let ms = 0; ms <= 3000; ms += 50) fired += +w.sample(at(ms, mmio += 7));
  assert.equal(fired, 0, "a handler draining back-to-back completions for 3 s");
  for (let ms = 3050; ms < 4000; ms += 50) fired += +w.sample(at(ms, mmio));
  assert.equal(fired, 0, "less than the bound since the last access");
  for (let ms = 4000; ms <= 4500; ms += 50) fired += +w.sample(at(ms, mmio));
  assert.equal(fired, 1);
});

test("blame: the CPU in a module's code is named at once; spinning in the kernel, the first module frame on the stack", () => {
  const t = pm2ref();
  const none = () => null;
  const inIrq = blame({ ms: 0, interruptsOn: false, kernel: true, eip: BASE + 0x91c, esp: 0, ebp: 0, halted: false }, t, none, 1500);
  assert.equal(inIrq.module, "pm2ref");
  assert.equal(inIrq.symbol, "pm2ref_irq");
  assert.match(inIrq.line, /pm2ref_irq\+0x1c \[pm2ref\], spinning$/);

  // The kernel's spinlock slow path called from pm2ref_irq+0x40: frames at 0x1000 (slowpath) → 0x1100 (pm2ref_irq).
  const stack = new Map<number, number>([[0x1000, 0x1100], [0x1004, 0xc1234567], [0x1100, 0x1200], [0x1104, BASE + 0x940], [0x1200, 0], [0x1204, 0xc1000010]]);
  const read = (va: number) => stack.get(va) ?? (va >= 0xf00 && va < 0x1400 ? 0 : null);
  assert.deepEqual(stackAddresses(read, 0xf00, 0x1000, (a) => t.inModule(a)).slice(0, 3), [0xc1234567, BASE + 0x940, 0xc1000010]);
  const spin = blame({ ms: 0, interruptsOn: false, kernel: true, eip: 0xc1050000, esp: 0xf00, ebp: 0x1000, halted: false }, t, read, 2000);
  assert.equal(spin.symbol, "pm2ref_irq");
  assert.equal(spin.offset, 0x40);
  assert.match(spin.line, /in pm2ref_irq\+0x40 \[pm2ref\], spinning in the kernel at 0xc1050000/);
  const named = withKernelSymbol(spin, "native_queued_spin_lock_slowpath+0x2a");
  assert.match(named.line, /spinning in native_queued_spin_lock_slowpath\+0x2a$/);

  // No frame pointer chain (ebp garbage): the scan from esp still finds the module's return address.
  const scan = new Map<number, number>([[0xf08, BASE + 0x420]]);
  const r2 = blame({ ms: 0, interruptsOn: false, kernel: true, eip: 0xc1050000, esp: 0xf00, ebp: 0x5, halted: false }, t, (va) => (va >= 0xf00 && va < 0x1800 ? scan.get(va) ?? 0 : null), 2000);
  assert.equal(r2.symbol, "pm2ref_queue");
  const lost = blame({ ms: 0, interruptsOn: false, kernel: true, eip: 0xc1050000, esp: 0xf00, ebp: 0, halted: true }, new ModuleTable(), none, 2000);
  assert.equal(lost.module, null);
  assert.match(lost.line, /no module's code on the stack\), halted/);
});

test("the watch: on a starved host the guest runs few instructions per second; interrupts off that long but for few instructions is not stuck", () => {
  const at = (ms: number, instructions: number, halted = false): CpuSample => ({ ms, interruptsOn: false, kernel: true, eip: 0, esp: 0, ebp: 0, halted, instructions });
  const slow = new StuckWatch(1000, 50_000_000);
  let fired = 0;
  for (let ms = 0; ms <= 3000; ms += 50) fired += +slow.sample(at(ms, ms * 1000)); // 1 M instructions/s
  assert.equal(fired, 0, "3 s of host time, 3 M instructions: a busy handler on a starved host");
  for (let ms = 3050; ms <= 6000; ms += 50) fired += +slow.sample(at(ms, 3_000_000 + (ms - 3000) * 100_000)); // the host frees up
  assert.equal(fired, 1, "past 50 M instructions with interrupts off: stuck");
  const halted = new StuckWatch(1000, 50_000_000);
  let h = 0;
  for (let ms = 0; ms <= 1500; ms += 50) h += +halted.sample(at(ms, 42, true));
  assert.equal(h, 1, "HLT with interrupts off runs no instructions and is stuck for good");
});

test("the watch: an episode across the wrap of v86's 32-bit instruction counter is still stuck", () => {
  const at = (ms: number, instructions: number): CpuSample => ({ ms, interruptsOn: false, kernel: true, eip: 0, esp: 0, ebp: 0, halted: false, instructions });
  const w = new StuckWatch(1000, 50_000_000);
  const start = 2 ** 32 - 20_000_000; // 20 M instructions before the counter wraps
  let fired = 0, at1 = -1;
  for (let ms = 0; ms <= 3000; ms += 50) {
    const counter = (start + ms * 100_000) >>> 0; // 100 M instructions/s, as the counter reads
    if (w.sample(at(ms, counter))) { fired++; at1 = ms; }
  }
  assert.equal(fired, 1, "interrupts off for 3 s and 300 M instructions across the wrap");
  assert.ok(at1 >= 1000 && at1 <= 1100, `fired at ${at1} ms, when both bounds were first met`);
});
