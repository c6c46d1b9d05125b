// The inspector: what the card saw, from snapshots the sampler takes a few times a second (vcd/card/telemetry.ts).
// Registers decoded by the variant's field names, the last DMA buffers decoded by tag name, the interrupt timeline,
// and the card's error events. A register name opens its section of the manual.
import { useCallback, useEffect, useRef } from "react";
import type { CardVariant } from "../../../vcd/card/definition.ts";
import { registerAnchor } from "../../../vcd/card/codegen/manual-html.ts";
import type { InspectorSnapshot } from "../../../vcd/card/telemetry.ts";
import { useLab } from "../store/index.ts";
import { DmaBuffers } from "./DmaBuffers.tsx";
import { formatNs } from "./format.ts";
import { IrqTimeline } from "./IrqTimeline.tsx";
import { Problems } from "./Problems.tsx";
import { RegisterTable } from "./RegisterTable.tsx";
import { useCardSampling } from "./sampling.ts";
import "./inspector.css";

/** The variant of the card the snapshots come from (the machine's card; the store's variant before a machine). */
function useCardVariant(): CardVariant {
  const machine = useLab((s) => s.machine);
  const variant = useLab((s) => s.variant);
  return machine?.variant ?? variant;
}

export default function InspectorPane() {
  useCardSampling();
  const variant = useCardVariant();
  const live = useLab((s) => s.inspectorSnapshot);
  // While another tab covers the pane, keep showing (and not re-rendering) the last snapshot seen.
  const visible = useLab((s) => s.rightPane === "inspector");
  const held = useRef(live);
  if (visible || !held.current) held.current = live;
  const snap = held.current;
  const paused = useLab((s) => s.inspectorPaused);
  const selected = useLab((s) => s.inspectorSelected);
  const setPaused = useLab((s) => s.setInspectorPaused);
  const select = useLab((s) => s.selectInspectorRegister);
  const showManual = useLab((s) => s.showManual);
  const prev = useRef<InspectorSnapshot | null>(null);
  const last = useRef<InspectorSnapshot | null>(null);
  if (snap !== last.current) {
    prev.current = last.current;
    last.current = snap;
  }
  useEffect(() => () => { prev.current = null; }, []);

  const open = useCallback((name: string) => {
    select(name);
    const anchor = registerAnchor(variant, name);
    // Clicking the same register again scrolls there again.
    if (useLab.getState().manualAnchor === anchor) useLab.setState({ manualAnchor: null });
    showManual(anchor);
  }, [variant, select, showManual]);

  if (!snap || snap.variantId !== variant.id) {
    return (
      <section className="inspector" aria-label="Inspector">
        <p className="insp-empty" role="status">{paused ? "Sampling is paused." : "Waiting for the machine: the inspector shows the card once the guest is running."}</p>
        {paused ? <button type="button" onClick={() => setPaused(false)}>Resume sampling</button> : null}
      </section>
    );
  }
  const s = snap.stats;
  return (
    <section className="inspector" aria-label="Inspector: what the card saw" data-testid="inspector">
      <div className="insp-bar" role="toolbar" aria-label="Inspector">
        <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>{paused ? "Resume" : "Pause"}</button>
        <span role="status" aria-live="off" className="insp-stats">
          card time {formatNs(snap.timeNs)} · {s.buffers} DMA buffers · {s.irqRaises} interrupts · {s.problems} errors · {(s.pixels / 1e6).toFixed(1)} Mpixels
          {snap.dropped ? ` · ${snap.dropped} trace events not seen (ring overwritten between samples)` : ""}
        </span>
      </div>
      <details open className="insp-section">
        <summary><h2>Interrupts</h2></summary>
        <IrqTimeline variant={variant} irqs={snap.irqs} />
      </details>
      <details open className="insp-section">
        <summary><h2>Errors {snap.problems.length ? <span className="count">{snap.problems.length}</span> : null}</h2></summary>
        <Problems variant={variant} problems={snap.problems} onOpen={open} />
      </details>
      <details open className="insp-section">
        <summary><h2>DMA buffers</h2></summary>
        <DmaBuffers variant={variant} buffers={snap.buffers} />
      </details>
      <details open className="insp-section">
        <summary><h2>Registers</h2></summary>
        <RegisterTable variant={variant} snap={snap} prev={prev.current} selected={selected} onOpen={open} />
      </details>
    </section>
  );
}
