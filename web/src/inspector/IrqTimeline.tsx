// The interrupt timeline as a picture: the INTA line and one lane per interrupt of the variant; a bar while the line
// is raised (on the lanes of the bits that raised it), a tick where the driver acknowledged bits by writing IntFlags.
// The last events are also listed as text for screen readers and for reading exact values.
import { memo } from "react";
import type { CardVariant } from "../../../vcd/card/definition.ts";
import type { IrqSample } from "../../../vcd/card/telemetry.ts";
import { formatNs, hex, layoutTimeline } from "./format.ts";

const W = 640, LANE = 16, LEFT = 78, RIGHT = 8, TOP = 6;

export const IrqTimeline = memo(function IrqTimeline({ variant, irqs }: { variant: CardVariant; irqs: readonly IrqSample[] }) {
  const shown = irqs.slice(-120);
  const t = layoutTimeline(variant, shown, LEFT, W - RIGHT);
  const H = TOP + t.lanes.length * LANE + 18;
  const raises = shown.filter((e) => e.kind === "raise").length, acks = shown.filter((e) => e.kind === "ack").length;
  const label = shown.length
    ? `Interrupt timeline: ${raises} raised, ${acks} acknowledged, over ${formatNs(t.t1 - t.t0)} of card time; last: ${describe(shown[shown.length - 1]!)}`
    : "Interrupt timeline: no interrupt yet";
  return (
    <figure className="insp-timeline">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={label} data-testid="irq-timeline" data-raises={raises} data-acks={acks}>
        {t.lanes.map((name, i) => (
          <g key={name}>
            <text x={LEFT - 6} y={TOP + i * LANE + LANE * 0.7} textAnchor="end" className="lane-name">{name}</text>
            <line x1={LEFT} x2={W - RIGHT} y1={TOP + (i + 1) * LANE - 2} y2={TOP + (i + 1) * LANE - 2} className="lane-base" />
          </g>
        ))}
        {t.bars.map((b, i) => (
          <rect key={i} x={b.x0} y={TOP + b.lane * LANE + 2} width={Math.max(2, b.x1 - b.x0)} height={LANE - 5} className={b.lane === 0 ? "bar line" : "bar"}>
            <title>{`${b.lane === 0 ? "INTA raised" : b.names}: ${b.names}`}</title>
          </rect>
        ))}
        {t.acks.map((a, i) => (
          <path key={i} d={`M${a.x - 4},${TOP + a.lane * LANE + 1} L${a.x + 4},${TOP + a.lane * LANE + 1} L${a.x},${TOP + a.lane * LANE + 8} Z`} className="ack">
            <title>{`acknowledged ${a.ev.names.join(", ")} (wrote ${hex(a.ev.bits, 2)}) at ${formatNs(a.ev.timeNs)}`}</title>
          </path>
        ))}
        <text x={LEFT} y={H - 4} className="axis">{shown.length ? formatNs(t.t0) : ""}</text>
        <text x={W - RIGHT} y={H - 4} textAnchor="end" className="axis">{shown.length ? `${formatNs(t.t1)} (card time)` : ""}</text>
      </svg>
      <figcaption>
        <span className="legend"><span className="sw bar" /> raised <span className="sw ack" /> acknowledged</span>
        <ol className="insp-irq-list" aria-label="Last interrupt events, newest first">
          {[...shown].reverse().slice(0, 8).map((e) => <li key={`${e.seq}-${e.kind}`}>{describe(e)}</li>)}
        </ol>
      </figcaption>
    </figure>
  );
});

function describe(e: IrqSample): string {
  const what = e.kind === "raise" ? "raised" : e.kind === "lower" ? "lowered" : "acknowledged";
  return `${formatNs(e.timeNs)}: ${what} ${e.names.length ? e.names.join(", ") : "(no bits)"} ${hex(e.bits, 2)}`;
}
