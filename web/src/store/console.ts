// The bottom panel's slice: the console's writer (xterm), its height, the build log, problems and test results.
import type { StateCreator } from "zustand";
import type { LabState } from "./index.ts";
import type { Diagnostic } from "../diagnostics/parse.ts";
import type { TapResult } from "../../../bin/tap.ts";

export type BottomTab = "console" | "problems" | "tests" | "log";

export interface TestRun {
  result: TapResult;
  problems: string[];
  /** What the run printed, for the tests list's details. */
  output: string;
  exitCode: number | null;
  when: number;
}

export interface ConsoleSlice {
  bottomTab: BottomTab;
  bottomHeight: number;
  /** Writes to the console (set by the console pane once xterm is open). */
  termWrite: ((s: string) => void) | null;
  /** The output of the last command a button ran (make, insmod…), with what ran. */
  log: string;
  problems: Diagnostic[];
  tests: TestRun | null;
  /** The last kernel oops or panic, its console tail (shown highlighted). */
  crash: { kind: "oops" | "panic" | "timeout"; title: string; tail: string } | null;
  setBottomTab(t: BottomTab): void;
  setBottomHeight(h: number): void;
  setTermWrite(w: ConsoleSlice["termWrite"]): void;
  /** Echo into the console (and the log) what a command ran and printed. */
  echo(text: string): void;
  clearLog(): void;
  setProblems(p: Diagnostic[]): void;
  setTests(t: TestRun | null): void;
  setCrash(c: ConsoleSlice["crash"]): void;
}

const MAX_LOG = 200_000;

export const createConsoleSlice: StateCreator<LabState, [], [], ConsoleSlice> = (set, get) => ({
  bottomTab: "console",
  bottomHeight: 260,
  termWrite: null,
  log: "",
  problems: [],
  tests: null,
  crash: null,
  setBottomTab: (bottomTab) => set({ bottomTab }),
  setBottomHeight: (h) => set({ bottomHeight: Math.max(80, Math.min(h, 900)) }),
  setTermWrite: (termWrite) => set({ termWrite }),
  echo: (text) => {
    get().termWrite?.(text.replace(/\r?\n/g, "\r\n"));
    set((s) => ({ log: (s.log + text.replace(/\x1b\[[0-9;]*m/g, "")).slice(-MAX_LOG) }));
  },
  clearLog: () => set({ log: "" }),
  setProblems: (problems) => set({ problems }),
  setTests: (tests) => set({ tests }),
  setCrash: (crash) => set({ crash }),
});
