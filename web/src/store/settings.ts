// The settings slice: limits and timeouts the commands use, and the editor's font size.
import type { StateCreator } from "zustand";
import type { LabState } from "./index.ts";

export interface Settings {
  fontSize: number;
  /** Largest file the project takes (bytes): a bigger paste or import is refused with a message. */
  maxFileBytes: number;
  /** Most files a project (or an imported zip) may hold. */
  maxFiles: number;
  buildTimeoutS: number;
  testTimeoutS: number;
  /** Timeout of a load, unload and other short commands. */
  commandTimeoutS: number;
}

export const DEFAULT_SETTINGS: Settings = {
  fontSize: 14,
  maxFileBytes: 1 << 20,
  maxFiles: 500,
  buildTimeoutS: 300,
  testTimeoutS: 180,
  commandTimeoutS: 60,
};

export interface SettingsSlice {
  settings: Settings;
  setSettings(s: Partial<Settings>): void;
}

export const createSettingsSlice: StateCreator<LabState, [], [], SettingsSlice> = (set) => ({
  settings: DEFAULT_SETTINGS,
  setSettings: (s) => set((st) => ({ settings: { ...st.settings, ...s } })),
});
