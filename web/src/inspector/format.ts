// Pure helpers of the inspector: field decoding for display (names and encodings from the variant definition),
// numbers, and the layout of the interrupt timeline. No DOM, no React: unit-tested in Node.
import type { CardVariant, FieldDef, RegisterDef } from "../../../vcd/card/definition.ts";
import { rangeMask } from "../../../vcd/card/definition.ts";
import type { IrqSample } from "../../../vcd/card/telemetry.ts";

export function hex(v: number, digits = 8): string {
  return "0x" + (v >>> 0).toString(16).padStart(digits, "0");
}

export function bitsLabel(f: FieldDef): string {
  return f.bits[0] === f.bits[1] ? `${f.bits[0]}` : `${f.bits[0]}:${f.bits[1]}`;
}

export interface FieldView {
  name: string;
  bits: string;
  value: number;
  /** The value as shown: an encoding's name from the definition, a flag, or a number. */
  text: string;
  description: string;
}

/** A register's value split into its fields, by the names the definition gives them (no fields: one "Value"). */
export function fieldViews(def: { fields?: readonly FieldDef[] }, value: number): FieldView[] {
  const fields = def.fields && def.fields.length ? [...def.fields].sort((a, b) => b.bits[0] - a.bits[0]) : null;
  if (!fields) return [{ name: "Value", bits: "31:0", value: value >>> 0, text: hex(value), description: "" }];
  return fields.map((f) => {
    const v = ((value >>> f.bits[1]) & rangeMask(f.bits)) >>> 0;
    const width = f.bits[0] - f.bits[1] + 1;
    const named = f.values ? Object.entries(f.values).find(([, n]) => n === v)?.[0] : undefined;
    const text = named !== undefined ? `${named} (${v})` : width === 1 ? (v ? "1" : "0") : width > 8 ? hex(v, Math.ceil(width / 4)) : String(v);
    return { name: f.name, bits: bitsLabel(f), value: v, text, description: f.description };
  });
}

/** Registers of the variant grouped as the manual groups them, each with its index in variant.registers. */
export function registerGroups(v: CardVariant): Array<{ group: string; registers: Array<{ index: number; def: RegisterDef }> }> {
  const order: string[] = [];
  const by = new Map<string, Array<{ index: number; def: RegisterDef }>>();
  v.registers.forEach((def, index) => {
    if (!by.has(def.group)) {
      by.set(def.group, []);
      order.push(def.group);
    }
    by.get(def.group)!.push({ index, def });
  });
  return order.map((group) => ({ group, registers: by.get(group)! }));
}

export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${Math.round(ns)} ns`;
}

export interface TimelineMark {
  x: number;
  ev: IrqSample;
}

/** A high stretch of one lane: from a raise to the next lower (or the right edge while still high). */
export interface TimelineBar {
  lane: number;
  x0: number;
  x1: number;
  names: string;
}

export interface TimelineLayout {
  marks: TimelineMark[];
  /** lane 0 is the interrupt line itself; lane i + 1 is interrupt definition i. */
  bars: TimelineBar[];
  acks: Array<{ lane: number; x: number; ev: IrqSample }>;
  lanes: string[];
  t0: number;
  t1: number;
}

/**
 * Places events on [x0, x1] by the card's time, but never closer than `gap` to the previous one (a burst of work
 * completes at one simulated instant): order is always visible, spacing shows time where there is time.
 */
export function layoutTimeline(v: CardVariant, irqs: readonly IrqSample[], x0: number, x1: number, gap = 6): TimelineLayout {
  const lanes = ["line", ...v.interrupts.map((i) => i.name)];
  const laneOfBit = new Map(v.interrupts.map((i, k) => [i.bit, k + 1]));
  const t0 = irqs.length ? irqs[0]!.timeNs : 0, t1 = irqs.length ? irqs[irqs.length - 1]!.timeNs : 0;
  const span = Math.max(1, t1 - t0);
  const raw: number[] = [];
  let prev = -Infinity;
  for (const ev of irqs) {
    const x = Math.max(x0 + ((ev.timeNs - t0) / span) * (x1 - x0), prev + gap);
    raw.push(x);
    prev = x;
  }
  const last = raw.length ? raw[raw.length - 1]! : x1;
  const scale = last > x1 ? (x1 - x0) / Math.max(1e-9, last - x0) : 1;
  const marks = irqs.map((ev, i) => ({ x: x0 + (raw[i]! - x0) * scale, ev }));
  const bars: TimelineBar[] = [];
  const acks: TimelineLayout["acks"] = [];
  let open: { x: number; bits: number; names: string } | null = null;
  const close = (x: number) => {
    if (!open) return;
    bars.push({ lane: 0, x0: open.x, x1: x, names: open.names });
    for (const d of v.interrupts) if ((open.bits >>> d.bit) & 1) bars.push({ lane: laneOfBit.get(d.bit)!, x0: open.x, x1: x, names: d.name });
    open = null;
  };
  for (const m of marks) {
    if (m.ev.kind === "raise") {
      close(m.x);
      open = { x: m.x, bits: m.ev.bits, names: m.ev.names.join(", ") };
    } else if (m.ev.kind === "lower") {
      close(m.x);
    } else {
      for (const d of v.interrupts) if ((m.ev.bits >>> d.bit) & 1) acks.push({ lane: laneOfBit.get(d.bit)!, x: m.x, ev: m.ev });
    }
  }
  close(x1);
  return { marks, bars, acks, lanes, t0, t1 };
}
