// The command palette (Ctrl+Shift+P / F1): type to filter the registry, Enter runs.
import { useEffect, useRef, useState } from "react";
import { useLab } from "../store/index.ts";
import { commands, paletteOpener, runCommand } from "../commands.ts";

export default function Palette() {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [sel, setSel] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useLab((st) => (open ? commands.map((c) => (c.enabled(st) ? 1 : 0)).join("") : ""));
  const s = useLab.getState();
  useEffect(() => { paletteOpener.open = () => { setOpen(true); setQ(""); setSel(0); }; }, []);
  useEffect(() => { if (open) input.current?.focus(); }, [open]);
  if (!open) return null;
  const list = commands.filter((c) => c.id !== "palette" && c.label.toLowerCase().includes(q.toLowerCase()));
  const go = (i: number) => {
    const c = list[i];
    setOpen(false);
    if (c) void runCommand(c);
  };
  return (
    <div className="palette-backdrop" onClick={() => setOpen(false)}>
      <div className="palette" role="dialog" aria-label="Command palette" onClick={(e) => e.stopPropagation()}>
        <input ref={input} value={q} aria-label="Command" placeholder="Type a command" data-testid="palette-input"
          onChange={(e) => { setQ(e.target.value); setSel(0); }}
          onKeyDown={(e) => {
            if (e.key === "Escape") setOpen(false);
            else if (e.key === "ArrowDown") { e.preventDefault(); setSel(Math.min(sel + 1, list.length - 1)); }
            else if (e.key === "ArrowUp") { e.preventDefault(); setSel(Math.max(sel - 1, 0)); }
            else if (e.key === "Enter") go(sel);
          }} />
        <ul role="listbox" aria-label="Commands">
          {list.map((c, i) => (
            <li key={c.id} role="option" aria-selected={i === sel} aria-disabled={!c.enabled(s)} className={`${i === sel ? "sel" : ""}${c.enabled(s) ? "" : " disabled"}`}
              onClick={() => go(i)}>
              <span>{c.label}</span>{c.shortcut ? <kbd>{c.shortcut}</kbd> : null}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
