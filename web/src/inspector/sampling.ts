// Keeps the card's telemetry sampler running while a view needs it, and puts its snapshots into the store.
// One sampler per card (the trace has one tap): views share it through a use count. When the machine runs in a
// worker, the worker runs `startSampling` itself and posts snapshots to `setInspectorSnapshot` instead.
import { useEffect } from "react";
import type { Card } from "../../../vcd/card/card.ts";
import { startSampling, type InspectorSnapshot } from "../../../vcd/card/telemetry.ts";
import { useLab } from "../store/index.ts";

/** Snapshots per second: enough to watch, cheap enough not to show in Table 1 (see the report in telemetry.ts). */
export const SAMPLE_HZ = 4;

let active: { card: Card; stop: () => void; users: number } | null = null;

function acquire(card: Card, onSnapshot: (s: InspectorSnapshot) => void): () => void {
  if (active && active.card !== card) {
    active.stop();
    active = null;
  }
  if (!active) active = { card, stop: startSampling(card, onSnapshot, SAMPLE_HZ), users: 0 };
  active.users++;
  const mine = active;
  return () => {
    if (active !== mine) return;
    if (--mine.users === 0) {
      mine.stop();
      active = null;
    }
  };
}

/** Samples the machine's card while mounted and not paused. */
export function useCardSampling(): void {
  const machine = useLab((s) => s.machine);
  const paused = useLab((s) => s.inspectorPaused);
  const setSnapshot = useLab((s) => s.setInspectorSnapshot);
  useEffect(() => {
    const card = machine?.platform?.card;
    if (!card || paused) return;
    return acquire(card, setSnapshot);
  }, [machine, paused, setSnapshot]);
}
