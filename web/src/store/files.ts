// The files slice: the student's project, path -> text. What the guest's /work last received is kept too, so a
// tab shows an unsaved marker until its file is saved into the guest (Ctrl+S, or any Build).
import type { StateCreator } from "zustand";
import type { LabState } from "./index.ts";
import { checkPath } from "../project/paths.ts";

export interface FilesSlice {
  files: Record<string, string>;
  /** The text of each file as last written into the guest's /work (absent: never written). */
  synced: Record<string, string>;
  /** Refusals and other messages about files, shown in a banner until dismissed. */
  notice: { kind: "error" | "info"; text: string } | null;
  /** Replace the whole project (starter, import, restore from IndexedDB). */
  setProject(files: Record<string, string>): void;
  /** Change one file's text; returns an error sentence when refused (too large). */
  writeFile(path: string, text: string): string | null;
  /** Create a file (or fail with a sentence). */
  createFile(path: string, text?: string): string | null;
  renameFile(from: string, to: string): string | null;
  deleteFile(path: string): void;
  markSynced(path: string, text: string | null): void;
  setNotice(n: FilesSlice["notice"]): void;
}

export const createFilesSlice: StateCreator<LabState, [], [], FilesSlice> = (set, get) => ({
  files: {},
  synced: {},
  notice: null,
  setProject: (files) => set((s) => {
    const tabs = s.tabs.filter((t) => t in files);
    const active = s.active && s.active in files ? s.active : tabs[0] ?? null;
    return { files, tabs, active };
  }),
  writeFile: (path, text) => {
    const max = get().settings.maxFileBytes;
    if (text.length > max) {
      const msg = `${path} would be ${(text.length / 1e6).toFixed(1)} MB; files are limited to ${(max / 1e6).toFixed(1)} MB, so the change was not kept`;
      set({ notice: { kind: "error", text: msg } });
      return msg;
    }
    set((s) => ({ files: { ...s.files, [path]: text } }));
    return null;
  },
  createFile: (path, text = "") => {
    const bad = checkPath(path);
    if (bad) return bad;
    const s = get();
    if (path in s.files) return `${path} already exists`;
    if (Object.keys(s.files).some((p) => p.startsWith(path + "/"))) return `${path} is a folder`;
    if (Object.keys(s.files).length >= s.settings.maxFiles) return `a project holds at most ${s.settings.maxFiles} files`;
    set({ files: { ...s.files, [path]: text }, tabs: [...s.tabs, path], active: path });
    return null;
  },
  renameFile: (from, to) => {
    const bad = checkPath(to);
    if (bad) return bad;
    const s = get();
    if (!(from in s.files)) return `${from} does not exist`;
    if (to in s.files) return `${to} already exists`;
    const files: Record<string, string> = {};
    for (const [p, t] of Object.entries(s.files)) files[p === from ? to : p] = t;
    set({ files, tabs: s.tabs.map((t) => (t === from ? to : t)), active: s.active === from ? to : s.active });
    return null;
  },
  deleteFile: (path) => set((s) => {
    const { [path]: _gone, ...files } = s.files;
    const tabs = s.tabs.filter((t) => t !== path);
    return { files, tabs, active: s.active === path ? tabs[tabs.length - 1] ?? null : s.active };
  }),
  markSynced: (path, text) => set((s) => {
    const synced = { ...s.synced };
    if (text === null) delete synced[path]; else synced[path] = text;
    return { synced };
  }),
  setNotice: (notice) => set({ notice }),
});
