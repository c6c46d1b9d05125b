// The lab slice: the machine, the card variant, the machine's state as the student sees it, the right pane.
import type { StateCreator } from "zustand";
import type { RemoteMachine } from "../machine/remote.ts";
import type { CardVariant } from "../../../vcd/card/definition.ts";
import { permedia2v } from "../../../vcd/card/variants/permedia2v.ts";
import type { Flavour } from "../../../vcd/machine/flavour.ts";
import type { LabState } from "./index.ts";

export type MachineState = "restoring" | "ready" | "building" | "running" | "panicked" | "restored" | "error";
export type RightPane = "screen" | "inspector" | "manual";

export interface Progress {
  label: string;
  /** 0..1, or null when the size is not known. */
  fraction: number | null;
  bytes?: number;
  total?: number;
}

export interface Rates {
  instructionsPerSecond: number;
  pixelsPerSecond: number;
  trianglesPerSecond: number;
}

export interface LabSlice {
  /** The machine in its worker, once its guest is up. */
  machine: RemoteMachine | null;
  variant: CardVariant;
  /** The guest's kernel (`?kernel=` or the site's default), once its manifest is read. */
  kernel: Flavour | null;
  machineState: MachineState;
  /** One sentence about what the machine is doing or just did. */
  statusText: string;
  progress: Progress | null;
  /** The command running now (its id), or null. Commands run one at a time. */
  busy: string | null;
  rates: Rates;
  rightPane: RightPane;
  manualAnchor: string | null;
  /** Another tab of this lab holds the project: this tab does not save (see persist.ts). */
  readOnly: boolean;
  setMachine(m: RemoteMachine | null): void;
  setMachineState(s: MachineState, text?: string): void;
  setStatusText(text: string): void;
  setProgress(p: Progress | null): void;
  setBusy(id: string | null): void;
  setRates(r: Rates): void;
  setRightPane(p: RightPane): void;
  showManual(anchor: string): void;
  setReadOnly(v: boolean): void;
}

export const createLabSlice: StateCreator<LabState, [], [], LabSlice> = (set) => ({
  machine: null,
  variant: permedia2v,
  kernel: null,
  machineState: "restoring",
  statusText: "loading…",
  progress: null,
  busy: null,
  rates: { instructionsPerSecond: 0, pixelsPerSecond: 0, trianglesPerSecond: 0 },
  rightPane: "screen",
  manualAnchor: null,
  readOnly: false,
  setMachine: (machine) => set({ machine }),
  setMachineState: (machineState, text) => set(text === undefined ? { machineState } : { machineState, statusText: text }),
  setStatusText: (statusText) => set({ statusText }),
  setProgress: (progress) => set({ progress }),
  setBusy: (busy) => set({ busy }),
  setRates: (rates) => set({ rates }),
  setRightPane: (rightPane) => set({ rightPane }),
  showManual: (anchor) => set({ rightPane: "manual", manualAnchor: anchor }),
  setReadOnly: (readOnly) => set({ readOnly }),
});
