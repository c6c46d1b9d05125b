// The status bar: the machine's state, what it did last, a progress bar with bytes, and the guest's and card's rates.
import { useEffect, useRef, useState } from "react";
import { useLab } from "../store/index.ts";
import { kernelLabel } from "../../../vcd/machine/flavour.ts";

function si(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return `${Math.round(n)} `;
}

/**
 * Seconds since the work without a known end began, ticking once a second. (Chromium's indeterminate <progress> and
 * a spinning icon repaint at 60 frames a second for as long as a build runs: in software rendering that was a
 * third of a core per tab, taken from the emulator.)
 */
function Elapsed() {
  const since = useRef(performance.now());
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  return <span className="elapsed" data-testid="elapsed">{Math.floor((performance.now() - since.current) / 1000)} s</span>;
}

export default function StatusBar() {
  const state = useLab((s) => s.machineState);
  const text = useLab((s) => s.statusText);
  const progress = useLab((s) => s.progress);
  const rates = useLab((s) => s.rates);
  const saved = useLab((s) => s.readOnly);
  const kernel = useLab((s) => s.kernel);
  return (
    <footer className="status" role="status" aria-live="polite">
      <span className={`state state-${state}`} data-testid="machine-state">{state}</span>
      <span id="status" data-testid="status" className="status-text">{text}</span>
      {progress ? (
        <span className="progress" data-testid="progress">
          {progress.fraction != null ? <progress id="progress" max={1} value={progress.fraction} aria-label={progress.label} /> : <Elapsed />}
          <span>{progress.label}{progress.total ? ` ${(progress.bytes! / 1e6).toFixed(1)} / ${(progress.total / 1e6).toFixed(1)} MB` : ""}</span>
        </span>
      ) : null}
      <span className="rates" data-testid="rates">
        {si(rates.instructionsPerSecond)}instr/s · {si(rates.pixelsPerSecond)}pixels/s · {si(rates.trianglesPerSecond)}triangles/s
      </span>
      {kernel ? <span className="kernel" data-testid="kernel" title="?kernel=stock or ?kernel=course chooses, where the lab offers both">{kernelLabel(kernel)}</span> : null}
      {saved ? <span className="ro">read-only tab</span> : null}
    </footer>
  );
}
