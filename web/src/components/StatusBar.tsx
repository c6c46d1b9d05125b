// The status bar: the machine's state, what it did last, a progress bar with bytes, and the guest's and card's rates.
import { useLab } from "../store/index.ts";

function si(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return `${Math.round(n)} `;
}

export default function StatusBar() {
  const state = useLab((s) => s.machineState);
  const text = useLab((s) => s.statusText);
  const progress = useLab((s) => s.progress);
  const rates = useLab((s) => s.rates);
  const saved = useLab((s) => s.readOnly);
  return (
    <footer className="status" role="status" aria-live="polite">
      <span className={`state state-${state}`} data-testid="machine-state">{state}</span>
      <span id="status" data-testid="status" className="status-text">{text}</span>
      {progress ? (
        <span className="progress" data-testid="progress">
          <progress id="progress" max={1} value={progress.fraction ?? undefined} aria-label={progress.label} />
          <span>{progress.label}{progress.total ? ` ${(progress.bytes! / 1e6).toFixed(1)} / ${(progress.total / 1e6).toFixed(1)} MB` : ""}</span>
        </span>
      ) : null}
      <span className="rates" data-testid="rates">
        {si(rates.instructionsPerSecond)}instr/s · {si(rates.pixelsPerSecond)}pixels/s · {si(rates.trianglesPerSecond)}triangles/s
      </span>
      {saved ? <span className="ro">read-only tab</span> : null}
    </footer>
  );
}
