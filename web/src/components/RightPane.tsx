// The right pane: the card's screen, the inspector, the manual. The screen stays mounted (v86 draws its VGA
// console into it from the start); the inspector and manual are loaded when first shown, a placeholder until then.
import { Component, Suspense, lazy, useEffect, useRef, useState, type ReactNode } from "react";
import { useLab, type RightPane as Pane } from "../store/index.ts";

const panes = import.meta.glob(["../inspector/InspectorPane.tsx", "../manual/ManualPane.tsx"]) as Record<string, () => Promise<{ default: React.ComponentType }>>;

function lazyPane(path: string, name: string) {
  const load = panes[path];
  return lazy(async () => load ? await load() : { default: () => <p className="placeholder">The {name} is not part of this build yet.</p> });
}
const InspectorPane = lazyPane("../inspector/InspectorPane.tsx", "inspector");
const ManualPane = lazyPane("../manual/ManualPane.tsx", "manual");

class Guard extends Component<{ name: string; children: ReactNode }, { error: string | null }> {
  state = { error: null as string | null };
  static getDerivedStateFromError(e: Error) { return { error: e.message }; }
  render() {
    return this.state.error ? <p className="placeholder">The {this.props.name} failed: {this.state.error}</p> : this.props.children;
  }
}

function ScreenPane() {
  const box = useRef<HTMLElement>(null);
  const [fps, setFps] = useState(0);
  useEffect(() => {
    let last = 0;
    const t = setInterval(() => {
      const n = Number((document.getElementById("card") as HTMLCanvasElement | null)?.dataset.frames ?? 0);
      setFps(n - last);
      last = n;
    }, 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <section id="screen" data-testid="screen" ref={box} aria-label="The card's screen">
      <div className="screen-bar">
        <div id="screen-label" data-testid="screen-label">card: starting</div>
        <span className="fps" data-testid="fps">{fps} frames/s</span>
        <button aria-label="Fullscreen" onClick={() => void (document.fullscreenElement ? document.exitFullscreen() : box.current?.requestFullscreen())}>⛶</button>
      </div>
      <div id="vga"><pre className="vga-text" data-testid="vga-text" aria-label="VGA console"></pre></div>
      <canvas id="card" data-testid="card-canvas" hidden></canvas>
    </section>
  );
}

const TABS: Array<[Pane, string]> = [["screen", "Screen"], ["inspector", "Inspector"], ["manual", "Manual"]];

export default function RightPane() {
  const pane = useLab((s) => s.rightPane);
  const [seen, setSeen] = useState<Set<Pane>>(new Set(["screen"]));
  useEffect(() => setSeen((s) => (s.has(pane) ? s : new Set([...s, pane]))), [pane]);
  return (
    <aside className="right" aria-label="Screen, inspector and manual">
      <div className="right-tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button key={id} role="tab" aria-selected={pane === id} className={pane === id ? "active" : ""} data-testid={`pane-${id}`}
            onClick={() => useLab.getState().setRightPane(id)}>{label}</button>
        ))}
      </div>
      <div className="right-body">
        <div className="pane" hidden={pane !== "screen"}><ScreenPane /></div>
        {seen.has("inspector") ? (
          <div className="pane" hidden={pane !== "inspector"}>
            <Guard name="inspector"><Suspense fallback={<p className="placeholder">Loading the inspector…</p>}><InspectorPane /></Suspense></Guard>
          </div>
        ) : null}
        {seen.has("manual") ? (
          <div className="pane" hidden={pane !== "manual"}>
            <Guard name="manual"><Suspense fallback={<p className="placeholder">Loading the manual…</p>}><ManualPane /></Suspense></Guard>
          </div>
        ) : null}
      </div>
    </aside>
  );
}
