// The toolbar and the menu, both from the command registry.
import { useState } from "react";
import { useLab } from "../store/index.ts";
import { commands, importProjectBytes, runCommand } from "../commands.ts";

export default function Toolbar() {
  // Re-render when a command's availability or the busy command changes, not on every console line.
  useLab((st) => `${st.busy}|${commands.map((c) => (c.enabled(st) ? 1 : 0)).join("")}`);
  const s = useLab.getState();
  const [menu, setMenu] = useState(false);
  return (
    <header className="toolbar" role="toolbar" aria-label="Lab commands">
      <strong className="brand">vgpu-lab</strong>
      <div className="menu">
        <button aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu(!menu)} data-testid="menu-button">Menu ▾</button>
        {menu ? (
          <ul role="menu" className="menu-list" onKeyDown={(e) => {
            if (e.key === "Escape") setMenu(false);
            if (e.key === "ArrowDown") ((e.target as HTMLElement).parentElement?.nextElementSibling?.querySelector("button") as HTMLElement | null)?.focus();
            if (e.key === "ArrowUp") ((e.target as HTMLElement).parentElement?.previousElementSibling?.querySelector("button") as HTMLElement | null)?.focus();
          }}>
            {commands.map((c) => (
              <li key={c.id} role="none">
                <button role="menuitem" disabled={!c.enabled(s)} onClick={() => { setMenu(false); void runCommand(c); }}>
                  <span>{c.label}</span>{c.shortcut ? <kbd>{c.shortcut}</kbd> : null}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {commands.filter((c) => c.toolbar).map((c) => (
        <button key={c.id} data-testid={`cmd-${c.id}`} disabled={!c.enabled(s)} onClick={() => void runCommand(c)}
          aria-label={c.shortcut ? `${c.label} (${c.shortcut})` : c.label} title={c.shortcut ? `${c.label} (${c.shortcut})` : c.label}
          className={s.busy === c.id ? "busy" : ""}>
          {c.label}{s.busy === c.id ? <span className="spinner" aria-hidden="true" /> : null}
        </button>
      ))}
      <input id="import-input" type="file" accept=".zip,application/zip" hidden data-testid="import-input" onChange={async (e) => {
        const f = e.currentTarget.files?.[0];
        e.currentTarget.value = "";
        if (!f) return;
        await importProjectBytes(new Uint8Array(await f.arrayBuffer()), f.name);
      }} />
    </header>
  );
}
