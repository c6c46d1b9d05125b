// The card's error events, newest first, each with the sentence the card wrote about what the driver probably did
// wrong; a register named in it links to the manual.
import { memo } from "react";
import type { CardVariant } from "../../../vcd/card/definition.ts";
import type { ProblemSample } from "../../../vcd/card/telemetry.ts";
import { formatNs, hex } from "./format.ts";

const KIND: Record<ProblemSample["kind"], string> = {
  "guest-error": "driver error",
  unimplemented: "not modelled",
  internal: "internal",
};

export const Problems = memo(function Problems({ variant, problems, onOpen }: { variant: CardVariant; problems: readonly ProblemSample[]; onOpen(name: string): void }) {
  if (!problems.length) return <p className="insp-empty">No errors: the card has not seen anything wrong.</p>;
  const regs = new Set(variant.registers.map((r) => r.name));
  return (
    <ol className="insp-problems" aria-label="Card errors, newest first">
      {[...problems].reverse().map((p) => (
        <li key={p.seq} className={p.kind} data-testid="card-problem">
          <div className="head">
            <span className={`badge ${p.kind}`}>{KIND[p.kind]}</span>
            {p.error ? <span className="badge err" title="ErrorFlags bit set by the card">{p.error}</span> : null}
            {regs.has(p.register)
              ? <button type="button" className="reg-link" onClick={() => onOpen(p.register)} aria-label={`${p.register}: open in the manual`}>{p.register}</button>
              : <span className="mono">{p.register}</span>}
            <span className="mono">{hex(p.value)}</span>
            <span className="when">{formatNs(p.timeNs)}</span>
          </div>
          <p className="msg">{p.message}</p>
        </li>
      ))}
    </ol>
  );
});
