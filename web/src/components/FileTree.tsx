// The project tree: folders from the paths, keyboard navigable (arrows, Enter opens, F2 renames, Delete deletes).
import { useMemo, useRef, useState } from "react";
import { useLab } from "../store/index.ts";

interface Row { path: string; name: string; depth: number; dir: boolean }

function rowsOf(paths: string[], collapsed: Set<string>): Row[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  const all = [...paths.map((p) => ({ path: p, dir: false })), ...[...dirs].map((d) => ({ path: d, dir: true }))];
  all.sort((a, b) => {
    const pa = a.path.split("/"), pb = b.path.split("/");
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      if (pa[i] !== pb[i]) {
        const aDir = i < pa.length - 1 || a.dir, bDir = i < pb.length - 1 || b.dir;
        if (aDir !== bDir) return aDir ? -1 : 1;
        return pa[i]!.localeCompare(pb[i]!);
      }
    }
    return pa.length - pb.length;
  });
  return all
    .filter((r) => ![...collapsed].some((c) => r.path.startsWith(c + "/")))
    .map((r) => ({ path: r.path, name: r.path.split("/").pop()!, depth: r.path.split("/").length - 1, dir: r.dir }));
}

export default function FileTree() {
  const files = useLab((s) => s.files);
  const active = useLab((s) => s.active);
  const readOnly = useLab((s) => s.readOnly);
  const problems = useLab((s) => s.problems);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [focus, setFocus] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const rows = useMemo(() => rowsOf(Object.keys(files), collapsed), [files, collapsed]);
  const st = useLab.getState;

  const toggle = (p: string) => setCollapsed((c) => { const n = new Set(c); if (n.has(p)) n.delete(p); else n.add(p); return n; });
  const rename = (p: string) => {
    const to = prompt(`Rename ${p} to:`, p);
    if (!to || to === p) return;
    const err = st().renameFile(p, to.trim());
    if (err) st().setNotice({ kind: "error", text: err });
  };
  const remove = (p: string) => {
    if (!confirm(`Delete ${p}? (Restore previous project does not bring single files back; Export first to keep a copy.)`)) return;
    st().deleteFile(p);
  };
  const create = (dir: string) => {
    const name = prompt("New file:", dir ? dir + "/" : "");
    if (!name) return;
    const err = st().createFile(name.trim());
    if (err) st().setNotice({ kind: "error", text: err });
  };
  const onKey = (e: React.KeyboardEvent, r: Row, i: number) => {
    const go = (j: number) => {
      const row = rows[Math.max(0, Math.min(rows.length - 1, j))];
      if (!row) return;
      setFocus(row.path);
      (list.current?.querySelector(`[data-path="${CSS.escape(row.path)}"]`) as HTMLElement | null)?.focus();
    };
    if (e.key === "ArrowDown") { e.preventDefault(); go(i + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); go(i - 1); }
    else if (e.key === "Enter" || e.key === " ") { e.preventDefault(); if (r.dir) toggle(r.path); else st().openFile(r.path); }
    else if (e.key === "ArrowRight" && r.dir && collapsed.has(r.path)) toggle(r.path);
    else if (e.key === "ArrowLeft" && r.dir && !collapsed.has(r.path)) toggle(r.path);
    else if (e.key === "F2" && !r.dir && !readOnly) rename(r.path);
    else if (e.key === "Delete" && !r.dir && !readOnly) remove(r.path);
  };
  return (
    <nav className="tree" aria-label="Project files">
      <div className="tree-head">
        <span>Project</span>
        <button onClick={() => create("")} disabled={readOnly} aria-label="New file" title="New file (Alt+N)">+</button>
      </div>
      <ul role="tree" aria-label="Project files" ref={list}>
        {rows.map((r, i) => {
          const errs = problems.filter((p) => p.path === r.path && p.severity === "error").length;
          const tabbable = (focus ?? active ?? rows[0]?.path) === r.path;
          return (
            <li key={r.path} role="treeitem" aria-level={r.depth + 1} aria-selected={r.path === active}
              aria-expanded={r.dir ? !collapsed.has(r.path) : undefined} data-path={r.path} tabIndex={tabbable ? 0 : -1}
              className={`${r.dir ? "dir" : "file"}${r.path === active ? " active" : ""}${errs ? " has-errors" : ""}`}
              style={{ paddingLeft: 8 + r.depth * 14 }}
              onClick={() => { setFocus(r.path); if (r.dir) toggle(r.path); else st().openFile(r.path); }}
              onKeyDown={(e) => onKey(e, r, i)}>
              <span className="tree-icon" aria-hidden="true">{r.dir ? (collapsed.has(r.path) ? "▸" : "▾") : "·"}</span>
              <span className="tree-name">{r.name}</span>
              {!r.dir && !readOnly ? (
                <span className="tree-actions">
                  <button tabIndex={-1} aria-label={`Rename ${r.path}`} title="Rename (F2)" onClick={(e) => { e.stopPropagation(); rename(r.path); }}>✎</button>
                  <button tabIndex={-1} aria-label={`Delete ${r.path}`} title="Delete (Del)" onClick={(e) => { e.stopPropagation(); remove(r.path); }}>🗑</button>
                </span>
              ) : r.dir && !readOnly ? (
                <span className="tree-actions"><button tabIndex={-1} aria-label={`New file in ${r.path}`} onClick={(e) => { e.stopPropagation(); create(r.path); }}>+</button></span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
