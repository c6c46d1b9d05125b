// The lab's one store: typed slices combined, read by the panes through narrow selectors.
import { create } from "zustand";
import { createLabSlice, type LabSlice } from "./lab.ts";
import { createFilesSlice, type FilesSlice } from "./files.ts";
import { createEditorSlice, type EditorSlice } from "./editor.ts";
import { createConsoleSlice, type ConsoleSlice } from "./console.ts";
import { createSettingsSlice, type SettingsSlice } from "./settings.ts";
import { createInspectorSlice, type InspectorSlice } from "./inspector.ts";

export type LabState = LabSlice & FilesSlice & EditorSlice & ConsoleSlice & SettingsSlice & InspectorSlice;

export const useLab = create<LabState>()((...a) => ({
  ...createLabSlice(...a),
  ...createFilesSlice(...a),
  ...createEditorSlice(...a),
  ...createConsoleSlice(...a),
  ...createSettingsSlice(...a),
  ...createInspectorSlice(...a),
}));

export type { MachineState, RightPane, Progress, Rates } from "./lab.ts";
export type { Settings } from "./settings.ts";
