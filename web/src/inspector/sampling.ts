// Keeps the card's telemetry sampler running while a view needs it, and puts its snapshots into the store. The
// sampler runs in the machine's worker beside the card (vcd/card/telemetry.ts); RemoteMachine.sample shares it
// between views and stops it when none listens.
import { useEffect } from "react";
import { useLab } from "../store/index.ts";

/** Snapshots per second: enough to watch, cheap enough not to show in Table 1 (see the report in telemetry.ts). */
export const SAMPLE_HZ = 4;

/** Samples the machine's card while mounted and not paused. */
export function useCardSampling(): void {
  const machine = useLab((s) => s.machine);
  const paused = useLab((s) => s.inspectorPaused);
  const setSnapshot = useLab((s) => s.setInspectorSnapshot);
  useEffect(() => {
    if (!machine || paused) return;
    return machine.sample(setSnapshot, SAMPLE_HZ);
  }, [machine, paused, setSnapshot]);
}
