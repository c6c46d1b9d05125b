// The editor: tabs over one Monaco editor, one model per project path. Edits go to the store (which saves them
// to IndexedDB); the store's problems become markers; a problem clicked moves the cursor there.
import { useEffect, useRef } from "react";
import { useLab } from "../store/index.ts";
import { monaco, uriOf, pathOfUri, languageOf } from "./monaco.ts";
import type { Diagnostic } from "../diagnostics/parse.ts";

const OWNER = "build";

function severityOf(d: Diagnostic): monaco.MarkerSeverity {
  return d.severity === "error" ? monaco.MarkerSeverity.Error : d.severity === "warning" ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
}

export function Tabs() {
  const tabs = useLab((s) => s.tabs);
  const active = useLab((s) => s.active);
  const files = useLab((s) => s.files);
  const synced = useLab((s) => s.synced);
  const problems = useLab((s) => s.problems);
  const openFile = useLab((s) => s.openFile);
  const closeTab = useLab((s) => s.closeTab);
  return (
    <div className="tabs" role="tablist" aria-label="Open files">
      {tabs.map((t) => {
        const unsaved = synced[t] !== files[t];
        const errs = problems.filter((p) => p.path === t && p.severity === "error").length;
        return (
          <div key={t} className={`tab${t === active ? " active" : ""}`} role="tab" aria-selected={t === active} data-path={t}
            title={unsaved ? `${t} — not yet saved into the guest's /work (Ctrl+S or Build); kept in this browser` : t}>
            <button className="tab-name" onClick={() => openFile(t)} aria-label={`${t}${unsaved ? " (unsaved in the guest)" : ""}${errs ? `, ${errs} errors` : ""}`}>
              {t.split("/").pop()}{errs ? <span className="tab-errs">{errs}</span> : null}{unsaved ? <span className="unsaved" aria-hidden="true"> ●</span> : null}
            </button>
            <button className="tab-close" onClick={() => closeTab(t)} aria-label={`Close ${t}`}>×</button>
          </div>
        );
      })}
    </div>
  );
}

export default function EditorPane() {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const active = useLab((s) => s.active);
  const files = useLab((s) => s.files);
  const problems = useLab((s) => s.problems);
  const reveal = useLab((s) => s.reveal);
  const readOnly = useLab((s) => s.readOnly);
  const fontSize = useLab((s) => s.settings.fontSize);

  useEffect(() => {
    const ed = monaco.editor.create(host.current!, {
      model: null, automaticLayout: true, theme: "vs-dark", fontSize, minimap: { enabled: false },
      tabSize: 8, insertSpaces: false, renderWhitespace: "selection", ariaLabel: "Code editor",
    });
    editorRef.current = ed;
    ed.onDidChangeCursorPosition((e) => {
      const m = ed.getModel();
      if (m) useLab.getState().setCursor(pathOfUri(m.uri), { line: e.position.lineNumber, column: e.position.column });
    });
    (window as unknown as { vgpuEditor: unknown }).vgpuEditor = ed;
    // A paste that would make the file too large is refused before Monaco takes it in (50 MB would stall the page).
    const onPaste = (e: ClipboardEvent) => {
      const text = e.clipboardData?.getData("text/plain") ?? "";
      const s = useLab.getState();
      const path = s.active;
      if (!path) return;
      const max = s.settings.maxFileBytes;
      if ((s.files[path]?.length ?? 0) + text.length > max) {
        e.preventDefault();
        e.stopPropagation();
        s.setNotice({ kind: "error", text: `That paste is ${(text.length / 1e6).toFixed(1)} MB; files are limited to ${(max / 1e6).toFixed(1)} MB, so it was not pasted (${path} is unchanged)` });
      }
    };
    host.current!.addEventListener("paste", onPaste, true);
    return () => ed.dispose();
  }, []);

  // Models follow the store's files: create, update (import, rename), dispose.
  useEffect(() => {
    const want = new Set(Object.keys(files));
    for (const m of monaco.editor.getModels()) {
      const p = pathOfUri(m.uri);
      if (!want.has(p)) m.dispose();
    }
    for (const [path, text] of Object.entries(files)) {
      const uri = uriOf(path);
      let m = monaco.editor.getModel(uri);
      if (!m) {
        m = monaco.editor.createModel(text, languageOf(path), uri);
        m.onDidChangeContent(() => {
          const v = m!.getValue();
          const s = useLab.getState();
          if (s.files[path] === v) return;
          if (s.writeFile(path, v)) m!.setValue(s.files[path] ?? ""); // refused (too large): back to the kept text
        });
      } else if (m.getValue() !== text) {
        m.setValue(text);
      }
    }
  }, [files]);

  useEffect(() => {
    const ed = editorRef.current;
    if (!ed) return;
    const m = active ? monaco.editor.getModel(uriOf(active)) : null;
    if (ed.getModel() !== m) {
      ed.setModel(m);
      if (m && active) {
        const c = useLab.getState().cursors[active];
        if (c) { ed.setPosition({ lineNumber: c.line, column: c.column }); ed.revealPositionInCenter({ lineNumber: c.line, column: c.column }); }
      }
    }
  }, [active, files]);

  useEffect(() => { editorRef.current?.updateOptions({ readOnly, fontSize }); }, [readOnly, fontSize]);

  useEffect(() => {
    for (const m of monaco.editor.getModels()) {
      const p = pathOfUri(m.uri);
      monaco.editor.setModelMarkers(m, OWNER, problems.filter((d) => d.path === p && d.line > 0).map((d) => {
        const line = Math.min(d.line, m.getLineCount());
        return {
          severity: severityOf(d), message: d.message, source: d.source,
          startLineNumber: line, startColumn: d.column || 1, endLineNumber: line,
          endColumn: Math.max((d.column || 1) + 1, m.getWordAtPosition({ lineNumber: line, column: d.column || 1 })?.endColumn ?? m.getLineMaxColumn(line)),
        };
      }));
    }
  }, [problems, files]);

  useEffect(() => {
    const ed = editorRef.current;
    if (!ed || !reveal) return;
    const m = monaco.editor.getModel(uriOf(reveal.path));
    if (!m) return;
    if (ed.getModel() !== m) ed.setModel(m);
    const pos = { lineNumber: Math.max(1, reveal.line), column: Math.max(1, reveal.column) };
    ed.setPosition(pos);
    ed.revealPositionInCenter(pos);
    ed.focus();
  }, [reveal]);

  return (
    <div className="editor-pane">
      <Tabs />
      <div className="editor-host" ref={host} data-testid="editor" />
      {!active ? <div className="editor-empty">Open a file from the tree</div> : null}
    </div>
  );
}
