/**
 * The inspector's slice of the lab's one store: the latest telemetry snapshot of the card (plain data, a few per
 * second), whether sampling is paused, and which register row is selected. The sampler itself lives in
 * vcd/card/telemetry.ts (DOM-free); the pane (web/src/inspector/InspectorPane.tsx) starts it and renders from here.
 */
import type { StateCreator } from "zustand";
import type { InspectorSnapshot } from "../../../vcd/card/telemetry.ts";

export interface InspectorSlice {
  /** Latest snapshot from the card's sampler (null before the first one or while no card is there). */
  inspectorSnapshot: InspectorSnapshot | null;
  /** Sampling paused by the student (the view keeps the last snapshot). */
  inspectorPaused: boolean;
  /** Register row selected in the inspector (register name from the variant definition). */
  inspectorSelected: string | null;
  setInspectorSnapshot(s: InspectorSnapshot | null): void;
  setInspectorPaused(paused: boolean): void;
  selectInspectorRegister(name: string | null): void;
}

export const createInspectorSlice: StateCreator<any, [], [], InspectorSlice> = (set) => ({
  inspectorSnapshot: null,
  inspectorPaused: false,
  inspectorSelected: null,
  setInspectorSnapshot: (s) => set({ inspectorSnapshot: s }),
  setInspectorPaused: (paused) => set({ inspectorPaused: paused }),
  selectInspectorRegister: (name) => set({ inspectorSelected: name }),
});
