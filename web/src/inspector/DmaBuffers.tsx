// The last DMA buffers the card fetched: the first words of each, decoded into the variant's tag names and values.
import { memo, useCallback, useState } from "react";
import type { CardVariant } from "../../../vcd/card/definition.ts";
import type { DmaBufferSample } from "../../../vcd/card/telemetry.ts";
import { formatNs, hex } from "./format.ts";

function fieldsText(f: Readonly<Record<string, number>> | undefined): string {
  return f ? Object.entries(f).map(([k, v]) => `${k}=${v}`).join(" ") : "";
}

/** One buffer; its words are rendered only while it is open (eight buffers of a hundred rows each would be a lot to
 * re-render a few times a second), and only when it changed (a buffer's decoded form is reused between samples). */
const Buffer = memo(function Buffer({ b, open, onToggle }: { b: DmaBufferSample; open: boolean; onToggle(seq: number, open: boolean): void }) {
  const data = b.words.filter((w) => w.kind === "data").length;
  const summary = `${hex(b.address)} · ${b.count} words · ${b.outcome}${b.outcome !== "running" ? ` · ${b.primitives} primitives, ${b.pixels} pixels` : ""} · at ${formatNs(b.timeNs)}`;
  return (
    <details className={`insp-buffer ${b.outcome}`} open={open} onToggle={(e) => { const o = (e.currentTarget as HTMLDetailsElement).open; if (o !== open) onToggle(b.seq, o); }} data-testid="dma-buffer">
      <summary aria-label={`DMA buffer ${summary}`}>{summary}</summary>
      {open ? <div className="insp-scroll" role="region" tabIndex={0} aria-label={`First ${b.words.length} words of the buffer at ${hex(b.address)}, decoded`}>
        <table className="insp-words">
          <caption className="sr-only">{`${data} register writes in the first ${b.words.length} words${b.truncated ? ` of ${b.count}` : ""}`}</caption>
          <thead><tr><th scope="col">#</th><th scope="col">Word</th><th scope="col">Register (tag)</th><th scope="col">Fields</th></tr></thead>
          <tbody>
            {b.words.map((w) => (
              <tr key={w.index} className={w.kind}>
                <td className="mono">{w.index}</td>
                <td className="mono">{hex(w.word)}</td>
                <td className="tagname">{w.kind === "header" ? <span className="hdr">header → {w.name}</span> : w.kind === "malformed" ? <strong>malformed header</strong> : w.name}</td>
                <td className="mono small">{w.kind === "data" ? fieldsText(w.fields) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {b.truncated ? <p className="insp-note">… {b.count - b.words.length} more words not kept (the inspector keeps the first {b.words.length} of each buffer).</p> : null}
      </div> : null}
    </details>
  );
});

export const DmaBuffers = memo(function DmaBuffers({ buffers }: { variant: CardVariant; buffers: readonly DmaBufferSample[] }) {
  // The newest buffer is open, the others closed, unless the student opened or closed one.
  const [toggled, setToggled] = useState<ReadonlyMap<number, boolean>>(new Map());
  const onToggle = useCallback((seq: number, open: boolean) => setToggled((m) => new Map(m).set(seq, open)), []);
  if (!buffers.length) return <p className="insp-empty">No DMA buffer yet: the card has not been given one since the inspector started.</p>;
  const newest = [...buffers].reverse();
  return (
    <div className="insp-buffers" aria-label="Last DMA buffers, newest first">
      {newest.map((b, i) => <Buffer key={b.seq} b={b} open={toggled.get(b.seq) ?? i === 0} onToggle={onToggle} />)}
    </div>
  );
});
