// Interrupt timing on a fake v86: a CPU that runs a scripted guest in code blocks, batches and slices the way v86's
// main loop does (do_many_cycles_native until LOOP_COUNTER instructions or a halt, then run_hardware_timers and
// handle_irqs), under the real platform (bus, card, adapter). The guest starts a burst DMA with two register writes;
// the question is at which instruction the CPU takes the card's interrupt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { V86Hardware } from "../v86-adapter.ts";
import { Platform, GPU_SLOT } from "../platform.ts";
import { IrqScheduler, prng, RANDOM_SPAN, type IrqTiming } from "../irq-timing.ts";
import { VPCIB, portOf } from "../../vpcib/protocol.ts";
import { layoutOf } from "../../card/layout.ts";
import { StreamBuilder } from "../../card/stream.ts";
import { permedia2v } from "../../card/variants/permedia2v.ts";

type Op = number | { reg: "dmaAddress" | "dmaCount" | "intEnable"; value: number };
const RAM = 1 << 20, PIC_MASTER = RAM + 16, PIC_SLAVE = RAM + 32;
const LOOP = 1000, SLICE = 4000; // instructions per batch and per slice (v86: 100 003 and about 1 ms)

class FakeCpu {
  readonly buffer = new ArrayBuffer(RAM + 64);
  readonly wasm_memory = { buffer: this.buffer };
  readonly mem8 = new Uint8Array(this.buffer, 0, RAM);
  readonly memory_size = [RAM];
  readonly in_hlt = new Uint8Array(1);
  readonly instruction_counter = new Uint32Array(1);
  interruptsOn = true;
  line = false;
  /** Instruction counts at which the CPU took the interrupt. */
  readonly taken: number[] = [];
  readonly mmio: Array<{ base: number; size: number; w32: (a: number, v: number) => void }> = [];
  readonly portWrites = new Map<number, (v: number) => void>();
  blocks: Op[][] = [];
  pc = 0;
  io = {
    mmap_register: (base: number, size: number, _r8: unknown, _w8: unknown, _r32: unknown, w32: (a: number, v: number) => void) => this.mmio.push({ base, size, w32 }),
    register_read: () => undefined,
    register_write: (port: number, _dev: unknown, _w8: unknown, _w16: unknown, w32: (v: number) => void) => this.portWrites.set(port, w32),
  };
  get_pic_addr_master() { return PIC_MASTER; }
  get_pic_addr_slave() { return PIC_SLAVE; }
  jit_dirty_cache() {}
  device_raise_irq(_n: number) { this.line = true; this.handle_irqs(); }
  device_lower_irq(_n: number) { this.line = false; }
  handle_irqs() {
    if (this.interruptsOn && this.line) {
      this.taken.push(this.instruction_counter[0]!);
      this.interruptsOn = false; // the handler runs; this guest never returns from it
    }
  }
  run_hardware_timers(_acpi: unknown, _now: number) { return 0; }
  private runBlock(ops: Op[]) {
    for (const op of ops) {
      if (typeof op === "number") { this.instruction_counter[0] += op; continue; }
      const l = layoutOf(permedia2v);
      const addr = this.mmio[0]!.base + l.reg(op.reg).def.offset;
      const w = this.mmio.find((m) => addr >= m.base && addr < m.base + m.size)!;
      w.w32(addr, op.value);
    }
  }
  /** v86's main_loop, in small. */
  main_loop(): number {
    const start = this.instruction_counter[0]!;
    for (;;) {
      const batch = this.instruction_counter[0]!;
      while (this.instruction_counter[0]! - batch < LOOP && !this.in_hlt[0] && this.pc < this.blocks.length) this.runBlock(this.blocks[this.pc++]!);
      this.run_hardware_timers(0, 0);
      this.handle_irqs();
      if (this.in_hlt[0]) return 1;
      if (this.instruction_counter[0]! - start >= SLICE || this.pc >= this.blocks.length) return 0;
    }
  }
}

/** Plug the card, enable memory and bus mastering, burst on; the DMA buffer holds one Sync. */
function rig(mode: IrqTiming, seed = 0) {
  const cpu = new FakeCpu();
  const hw = new V86Hardware(cpu);
  const platform = new Platform(hw, { irqTiming: mode, irqSeed: seed });
  const out = (name: string, v: number) => cpu.portWrites.get(portOf(name))!(v);
  out("SLOT_SEL", GPU_SLOT);
  out("SLOT_CTRL", 1);
  out("CFG_ADDR", (GPU_SLOT << 3) << 12 | 4);
  out("CFG_DATA", 0x6);
  platform.card.options.burst = true;
  const words = new StreamBuilder(permedia2v).sync(false).words();
  new Uint32Array(cpu.buffer, 0x1000, words.length).set(words);
  const dmaBit = layoutOf(permedia2v).irq("dma");
  return { cpu, platform, dmaBit, words };
}

/** 100 instructions, then a block that starts the DMA (the write in its middle), then plain blocks of 50. */
function program(r: ReturnType<typeof rig>): number {
  r.cpu.blocks = [[100], [{ reg: "intEnable", value: r.dmaBit }, 10, { reg: "dmaAddress", value: 0x1000 }, 5, { reg: "dmaCount", value: r.words.length }, 20], ...Array.from({ length: 400 }, () => [50])];
  return 135; // the end of the block that started the DMA
}

/** Runs one slice; returns the instruction count at its end. */
async function runSlice(cpu: FakeCpu): Promise<number> {
  cpu.main_loop();
  const end = cpu.instruction_counter[0]!;
  await new Promise((r) => setImmediate(r)); // the slice returned: microtasks and the card's pump run
  return end;
}

test("prompt: the interrupt comes when the slice ends, thousands of instructions after the write", async () => {
  const r = rig("prompt");
  const writeEnds = program(r);
  const end = await runSlice(r.cpu);
  assert.deepEqual(r.cpu.taken, [end]);
  assert.ok(end - writeEnds > 3000);
  r.platform.stop();
});

test("adversarial: the interrupt comes at the end of the block that made the write, before any other code", async () => {
  const r = rig("adversarial");
  const writeEnds = program(r);
  await runSlice(r.cpu);
  assert.deepEqual(r.cpu.taken, [writeEnds]);
  assert.equal(r.cpu.in_hlt[0], 0, "the forced stop is taken back: the CPU is not left halted");
  r.platform.stop();
});

test("adversarial: with interrupts off at the write, the interrupt waits until they are on (the driver that uses spin_lock_irq is safe)", async () => {
  const r = rig("adversarial");
  program(r);
  r.cpu.interruptsOn = false;
  r.cpu.main_loop();
  assert.deepEqual(r.cpu.taken, []);
  r.cpu.interruptsOn = true;
  r.cpu.handle_irqs(); // e.g. at the next batch, once the driver re-enabled interrupts
  assert.equal(r.cpu.taken.length, 1);
  r.platform.stop();
});

test("random: reproducible for a seed, and between the two bounds", async () => {
  const at = async (seed: number) => {
    const r = rig("random", seed);
    const writeEnds = program(r);
    const end = await runSlice(r.cpu);
    r.platform.stop();
    return { d: r.cpu.taken[0]! - writeEnds, max: end - writeEnds };
  };
  const delays: number[] = [];
  for (let seed = 1; seed <= 24; seed++) {
    const { d, max } = await at(seed);
    assert.equal((await at(seed)).d, d, `seed ${seed} gives the same delay twice`);
    assert.ok(d >= 0 && d <= max, `delay ${d} lies between adversarial (0) and prompt (${max})`);
    delays.push(d);
  }
  assert.ok(delays.includes(0), "some interrupts come at once");
  assert.ok(delays.some((d) => d > 0 && d < 3000), "some come in the middle of the slice");
});

test("switching back to prompt unhooks v86: its main loop and timers are its own again", () => {
  const cpu = new FakeCpu();
  const own = { main: cpu.main_loop, timers: cpu.run_hardware_timers };
  const hw = new V86Hardware(cpu);
  hw.setIrqTiming("adversarial");
  assert.notEqual((cpu as { main_loop: unknown }).main_loop, own.main);
  hw.setIrqTiming("prompt");
  assert.equal(Object.hasOwn(cpu, "main_loop") ? cpu.main_loop : own.main, own.main);
  assert.equal(Object.hasOwn(cpu, "run_hardware_timers") ? cpu.run_hardware_timers : own.timers, own.timers);
});

test("the guest sets the timing through the sideband, and reads it back", () => {
  const r = rig("prompt");
  const sel = (reg: number, v?: number) => {
    r.cpu.portWrites.get(portOf("SB_ADDR"))!(reg);
    if (v !== undefined) r.cpu.portWrites.get(portOf("SB_DATA"))!(v);
  };
  sel(3, 42); // IRQ_SEED
  sel(2, 2); // IRQ_TIMING = random
  assert.deepEqual(r.platform.irqTiming, { mode: "random", seed: 42 });
  assert.equal(r.platform.gpu.sidebandRead(2), 2);
  sel(2, 7); // not a mode: nothing changes
  assert.equal(r.platform.irqTiming.mode, "random");
  assert.ok(VPCIB.portBase > 0);
  r.platform.stop();
});

test("the scheduler alone: a lowered line cancels a held raise; the slice's end delivers what is still held", () => {
  const lines: Array<[number, boolean]> = [];
  let boundaryRequests = 0, n = 0;
  const queued: Array<() => void> = [];
  const s = new IrqScheduler({ setLine: (l, v) => lines.push([l, v]), requestBoundary: () => boundaryRequests++, instructions: () => n, afterSlice: (cb) => queued.push(cb) });
  s.setMode("adversarial");
  s.inSlice = true;
  s.raise(9);
  assert.equal(boundaryRequests, 1);
  s.cancel(9);
  s.boundary();
  assert.deepEqual(lines, []);
  s.raise(9);
  queued.splice(0).forEach((cb) => cb());
  assert.deepEqual(lines, [[9, true]], "at the latest when the slice ends");
  s.setMode("random", 7);
  const held: number[] = [];
  for (let i = 0; i < 200; i++) { s.raise(9); held.push(s.waiting); s.flush(); n += 10; }
  assert.ok(held.every((h) => h === 1));
  assert.throws(() => s.setMode("sometimes" as IrqTiming), /unknown interrupt timing/);
  const a = prng(5), b = prng(5);
  for (let i = 0; i < 10; i++) assert.equal(a(), b());
  assert.ok(RANDOM_SPAN > SLICE);
});
