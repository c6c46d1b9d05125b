// The bottom panel: console, problems, tests and the last command's log; resizable by its top edge.
import { useLab, type LabState } from "../store/index.ts";
import ConsolePane from "./ConsolePane.tsx";
import type { BottomTab } from "../store/console.ts";

function ProblemsList() {
  const problems = useLab((s) => s.problems);
  if (!problems.length) return <p className="empty">No problems. A build's errors and warnings show here, and in the editor.</p>;
  const go = (i: number) => {
    const p = problems[i]!;
    if (p.path && useLab.getState().files[p.path] !== undefined) useLab.getState().revealAt(p.path, p.line || 1, p.column || 1);
  };
  return (
    <ul className="problems" role="listbox" aria-label="Problems" data-testid="problems">
      {problems.map((p, i) => (
        <li key={i} role="option" aria-selected={false} tabIndex={0} className={`problem ${p.severity}`} data-path={p.path ?? ""} data-line={p.line}
          onClick={() => go(i)} onKeyDown={(e) => {
            if (e.key === "Enter") go(i);
            else if (e.key === "ArrowDown") ((e.currentTarget.nextElementSibling as HTMLElement | null)?.focus(), e.preventDefault());
            else if (e.key === "ArrowUp") ((e.currentTarget.previousElementSibling as HTMLElement | null)?.focus(), e.preventDefault());
          }}>
          <span className="sev">{p.severity}</span>
          <span className="where">{p.path ? `${p.path}${p.line ? `:${p.line}:${p.column}` : ""}` : p.where ?? p.source}</span>
          <span className="msg">{p.message}</span>
        </li>
      ))}
    </ul>
  );
}

function TestsList() {
  const run = useLab((s) => s.tests);
  if (!run) return <p className="empty">Run tests (F9) to see the course's tests here.</p>;
  const { result, problems } = run;
  return (
    <div className="tests" data-testid="tests">
      <p className="tests-summary">
        {result.tests.filter((t) => t.ok).length} passed, {result.tests.filter((t) => !t.ok).length} failed
        {result.planned !== null ? ` of ${result.planned} planned` : ""}{problems.length ? ` — ${problems.join("; ")}` : ""}
      </p>
      <ul aria-label="Test results">
        {result.tests.map((t) => (
          <li key={t.n} className={t.ok ? "pass" : "fail"} data-ok={t.ok} tabIndex={0}>
            <span className="mark" aria-label={t.ok ? "passed" : "failed"}>{t.ok ? "✔" : "✘"}</span> {t.n} {t.name}
            {t.directive ? <em> # {t.directive} {t.reason}</em> : null}
          </li>
        ))}
      </ul>
      <details><summary>Output</summary><pre>{run.output}</pre></details>
    </div>
  );
}

function LogView() {
  const log = useLab((s) => s.log);
  return <pre className="log" data-testid="log" aria-label="Last command's output">{log || "The output of Build, Load, Unload and Run tests shows here."}</pre>;
}

const TABS: Array<[BottomTab, string]> = [["console", "Console"], ["problems", "Problems"], ["tests", "Tests"], ["log", "Build log"]];

export default function BottomPanel() {
  const tab = useLab((s) => s.bottomTab);
  const height = useLab((s) => s.bottomHeight);
  const count = useLab((s: LabState) => s.problems.length);
  const tests = useLab((s) => s.tests);
  const onDrag = (e: React.PointerEvent) => {
    const y0 = e.clientY, h0 = height;
    const move = (ev: PointerEvent) => useLab.getState().setBottomHeight(h0 + (y0 - ev.clientY));
    const up = () => { removeEventListener("pointermove", move); removeEventListener("pointerup", up); };
    addEventListener("pointermove", move);
    addEventListener("pointerup", up);
  };
  return (
    <section className="bottom" style={{ height }} aria-label="Console and results">
      <div className="splitter" role="separator" aria-orientation="horizontal" aria-label="Resize the console" tabIndex={0}
        onPointerDown={onDrag} onKeyDown={(e) => {
          if (e.key === "ArrowUp") useLab.getState().setBottomHeight(height + 20);
          if (e.key === "ArrowDown") useLab.getState().setBottomHeight(height - 20);
        }} />
      <div className="bottom-tabs" role="tablist" aria-label="Bottom panel">
        {TABS.map(([id, label]) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? "active" : ""} data-testid={`tab-${id}`}
            onClick={() => useLab.getState().setBottomTab(id)}>
            {label}{id === "problems" && count ? ` (${count})` : ""}{id === "tests" && tests ? ` (${tests.result.tests.filter((t) => t.ok).length}/${tests.result.tests.length})` : ""}
          </button>
        ))}
      </div>
      <div className="bottom-body">
        <ConsolePane visible={tab === "console"} />
        {tab === "problems" ? <ProblemsList /> : null}
        {tab === "tests" ? <TestsList /> : null}
        {tab === "log" ? <LogView /> : null}
      </div>
    </section>
  );
}
