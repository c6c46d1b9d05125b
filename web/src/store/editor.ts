// The editor slice: open tabs, the active one, and each file's cursor (restored after a reload).
import type { StateCreator } from "zustand";
import type { LabState } from "./index.ts";

export interface Cursor { line: number; column: number }

export interface EditorSlice {
  tabs: string[];
  active: string | null;
  cursors: Record<string, Cursor>;
  /** Where the editor should go next (a problem clicked): consumed by the editor pane. */
  reveal: { path: string; line: number; column: number; seq: number } | null;
  openFile(path: string): void;
  closeTab(path: string): void;
  setCursor(path: string, c: Cursor): void;
  revealAt(path: string, line: number, column: number): void;
}

let seq = 0;

export const createEditorSlice: StateCreator<LabState, [], [], EditorSlice> = (set) => ({
  tabs: [],
  active: null,
  cursors: {},
  reveal: null,
  openFile: (path) => set((s) => ({ tabs: s.tabs.includes(path) ? s.tabs : [...s.tabs, path], active: path })),
  closeTab: (path) => set((s) => {
    const i = s.tabs.indexOf(path);
    const tabs = s.tabs.filter((t) => t !== path);
    return { tabs, active: s.active === path ? tabs[Math.min(i, tabs.length - 1)] ?? null : s.active };
  }),
  setCursor: (path, c) => set((s) => ({ cursors: { ...s.cursors, [path]: c } })),
  revealAt: (path, line, column) => set((s) => ({
    tabs: s.tabs.includes(path) ? s.tabs : [...s.tabs, path], active: path, reveal: { path, line, column, seq: ++seq },
  })),
});
