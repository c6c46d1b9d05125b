// The guest's serial console in xterm.js: the student can type anything. Commands echo into it through the store.
import { useEffect, useRef } from "react";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useLab } from "../store/index.ts";

export default function ConsolePane({ visible }: { visible: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const machine = useLab((s) => s.machine);
  const height = useLab((s) => s.bottomHeight);

  useEffect(() => {
    const t = new Terminal({ convertEol: true, fontSize: 13, scrollback: 5000 });
    t.open(host.current!);
    term.current = t;
    useLab.getState().setTermWrite((s) => t.write(s));
    return () => { useLab.getState().setTermWrite(null); t.dispose(); };
  }, []);

  // Fit the terminal to its box (rows and columns from the font's cell size).
  useEffect(() => {
    const t = term.current;
    const el = host.current;
    if (!t || !el || !visible) return;
    const fit = () => {
      // The renderer's cell size (xterm keeps it internal; the font's own metrics when it is not there).
      const cell = (t as unknown as { _core?: { _renderService?: { dimensions?: { css?: { cell?: { width: number; height: number } } } } } })._core?._renderService?.dimensions?.css?.cell;
      let cw = cell?.width ?? 0, ch = cell?.height ?? 0;
      if (!(cw > 0 && ch > 0)) {
        const ctx = document.createElement("canvas").getContext("2d")!;
        ctx.font = `${t.options.fontSize}px ${t.options.fontFamily}`;
        cw = ctx.measureText("W").width;
        ch = Math.ceil((t.options.fontSize ?? 13) * 1.2);
      }
      const rows = Math.max(4, Math.floor((el.clientHeight - 8) / ch));
      const cols = Math.max(20, Math.floor((el.clientWidth - 24) / cw));
      if (rows !== t.rows || cols !== t.cols) t.resize(cols, rows);
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, [visible, height]);

  useEffect(() => {
    const t = term.current;
    if (!t || !machine) return;
    const off = machine.onConsole((bytes) => t.write(bytes));
    const sub = t.onData((d) => machine.sendConsole(d));
    machine.sendConsole("\n");
    return () => { off(); sub.dispose(); };
  }, [machine]);

  return <div id="console" className="console" data-testid="console" ref={host} hidden={!visible} aria-label="Guest console" />;
}
