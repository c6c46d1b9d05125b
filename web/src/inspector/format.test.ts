// The inspector's pure helpers: fields by the definition's names and encodings, and the timeline's layout.
import { strict as assert } from "node:assert";
import { it } from "node:test";
import { permedia2v as v } from "../../../vcd/card/variants/permedia2v.ts";
import type { IrqSample } from "../../../vcd/card/telemetry.ts";
import { fieldViews, layoutTimeline, registerGroups } from "./format.ts";

it("splits a register into the fields the variant names, with encodings by name", () => {
  const intFlags = v.registers.find((r) => r.role === "intFlags")!;
  const views = fieldViews(intFlags, 0b11);
  assert.deepEqual(views.map((f) => f.name).sort(), intFlags.fields!.map((f) => f.name).sort());
  const dma = v.interrupts.find((i) => i.role === "dma")!.name;
  assert.equal(views.find((f) => f.name === dma)!.value, 1);
  const withValues = [...v.registers, ...v.tags].find((r) => r.fields?.some((f) => f.values))!;
  const f = withValues.fields!.find((x) => x.values)!;
  const [name, n] = Object.entries(f.values!)[0]!;
  const word = (n << f.bits[1]) >>> 0;
  assert.equal(fieldViews(withValues, word).find((x) => x.name === f.name)!.text, `${name} (${n})`);
  assert.deepEqual(fieldViews({}, 0x1234).map((x) => [x.name, x.text]), [["Value", "0x00001234"]]);
});

it("groups every register once, in the definition's order", () => {
  const all = registerGroups(v).flatMap((g) => g.registers.map((r) => r.index));
  assert.deepEqual(all.sort((a, b) => a - b), v.registers.map((_, i) => i));
});

it("lays out raise/ack/lower in order even when they share one instant", () => {
  const ev = (seq: number, kind: IrqSample["kind"], bits: number, timeNs = 1000): IrqSample => ({ seq, timeNs, kind, bits, names: [] });
  const t = layoutTimeline(v, [ev(1, "raise", 1), ev(2, "ack", 1), ev(3, "lower", 0), ev(4, "raise", 2, 5000)], 0, 100);
  const xs = t.marks.map((m) => m.x);
  assert.ok(xs[0]! < xs[1]! && xs[1]! < xs[2]! && xs[2]! < xs[3]!, xs.join(","));
  assert.ok(xs[3]! <= 100);
  const dmaLane = 1 + v.interrupts.findIndex((i) => i.bit === 0);
  assert.ok(t.bars.some((b) => b.lane === 0 && b.x0 === xs[0] && b.x1 === xs[2]), "line high from raise to lower");
  assert.ok(t.bars.some((b) => b.lane === dmaLane), "bit 0 lane");
  assert.equal(t.acks.length, 1);
  assert.ok(t.bars.some((b) => b.lane === 0 && b.x0 === xs[3] && b.x1 === 100), "still high at the right edge");
});
