// Never lose work: the project, open tabs and cursors go to IndexedDB within a second of every change (and when
// the page is hidden). One tab of a lab holds it through a Web Lock; a second tab says so and saves nothing until
// the student takes the lab over (the first tab is told through a BroadcastChannel and stops saving).
import { useLab, type LabState } from "./store/index.ts";
import { checkPath } from "./project/paths.ts";
import { starterOpenFiles, starterProject } from "./project/starter.ts";
import { permedia2v } from "../../vcd/card/variants/permedia2v.ts";

const DB = "vgpu-lab";
const STORE = "labs";
/** One saved lab per card: the default card's is "default" (as before variants), a published variant's its id. */
const labId = (): string => {
  const v = useLab.getState().variant;
  return v.id === permedia2v.id ? "default" : `card:${v.id}`;
};
export const SAVE_DELAY_MS = 300;

export interface SavedLab {
  files: Record<string, string>;
  tabs: string[];
  active: string | null;
  cursors: LabState["cursors"];
  savedAt: number;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const r = f(t.objectStore(STORE));
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

export const loadLab = (): Promise<SavedLab | undefined> => tx("readonly", (s) => s.get(labId()) as IDBRequest<SavedLab | undefined>);
const saveLab = (lab: SavedLab) => tx("readwrite", (s) => s.put(lab, labId()));

function snapshot(s: LabState): SavedLab {
  return { files: s.files, tabs: s.tabs, active: s.active, cursors: s.cursors, savedAt: Date.now() };
}

let releaseLock: (() => void) | null = null;
let channel: BroadcastChannel | null = null;

/** Try to hold the lab; resolves true when this tab holds it. */
function acquire(wait: boolean): Promise<boolean> {
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    void navigator.locks.request(`vgpu-lab:${labId()}`, { ifAvailable: !wait }, (lock) => {
      if (!lock) { resolve(false); return; }
      resolve(true);
      return new Promise<void>((release) => { releaseLock = release; });
    });
  });
}

/** Load the saved project (or the starter), then save every change. Returns when the project is in the store. */
export async function startPersistence(): Promise<void> {
  if (typeof BroadcastChannel !== "undefined") channel = new BroadcastChannel(`vgpu-lab:${labId()}`);
  const held = await acquire(false);
  const st = useLab.getState();
  if (!held) {
    st.setReadOnly(true);
    st.setNotice({ kind: "error", text: "This lab is open in another tab. This tab shows the project but does not save it; use “Take over” to work here (the other tab then stops saving)." });
  }
  let saved: SavedLab | undefined;
  try {
    saved = await loadLab();
  } catch (e) {
    st.setNotice({ kind: "error", text: `IndexedDB is not available (${(e as Error).message}): your work is not saved between reloads; use Export` });
  }
  if (saved && Object.keys(saved.files).length) {
    const files: Record<string, string> = {};
    for (const [p, t] of Object.entries(saved.files)) if (!checkPath(p) && typeof t === "string") files[p] = t;
    useLab.setState({ files, tabs: saved.tabs.filter((t) => t in files), active: saved.active && saved.active in files ? saved.active : null, cursors: saved.cursors ?? {} });
  } else {
    const files = starterProject(st.variant);
    const tabs = starterOpenFiles(files);
    useLab.setState({ files, tabs, active: tabs[0] ?? null });
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: SavedLab | null = null;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const s = useLab.getState();
    if (s.readOnly) return;
    const snap = snapshot(s);
    if (last && last.files === snap.files && last.tabs === snap.tabs && last.active === snap.active && last.cursors === snap.cursors) return;
    last = snap;
    document.body.dataset.saved = "pending";
    saveLab(snap).then(() => {
      if (!timer) document.body.dataset.saved = String(snap.savedAt);
    }, (e: Error) => useLab.getState().setNotice({ kind: "error", text: `could not save to IndexedDB (${e.message}); use Export to keep a copy` }));
  };
  useLab.subscribe((s, prev) => {
    if (s.files === prev.files && s.tabs === prev.tabs && s.active === prev.active && s.cursors === prev.cursors) return;
    if (s.readOnly) return;
    document.body.dataset.saved = "pending";
    clearTimeout(timer);
    timer = setTimeout(flush, SAVE_DELAY_MS);
  });
  addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flush(); });
  addEventListener("pagehide", flush);

  channel?.addEventListener("message", (ev: MessageEvent<{ type: string }>) => {
    if (ev.data?.type === "take-over" && !useLab.getState().readOnly) {
      flush();
      useLab.getState().setReadOnly(true);
      useLab.getState().setNotice({ kind: "error", text: "Another tab took this lab over: this tab no longer saves. Reload it to see the latest files." });
      releaseLock?.();
      releaseLock = null;
    }
  });
}

/** Make this tab the one that saves: the other tab stops saving, then this one reloads the latest files. */
export async function takeOver(): Promise<void> {
  channel?.postMessage({ type: "take-over" });
  await acquire(true);
  const saved = await loadLab().catch(() => undefined);
  if (saved) useLab.setState({ files: saved.files, tabs: saved.tabs.filter((t) => t in saved.files), active: saved.active, cursors: saved.cursors ?? {} });
  useLab.getState().setReadOnly(false);
  useLab.getState().setNotice({ kind: "info", text: "This tab now holds the lab and saves your work." });
}

/** The project before an import or a new project replaced it. */
export const saveBackup = (files: Record<string, string>) => tx("readwrite", (s) => s.put({ files, savedAt: Date.now() }, `${labId()}:backup`));
export const loadBackup = async (): Promise<Record<string, string> | undefined> =>
  ((await tx("readonly", (s) => s.get(`${labId()}:backup`) as IDBRequest<{ files: Record<string, string> } | undefined>)))?.files;
