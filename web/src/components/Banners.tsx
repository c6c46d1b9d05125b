// Messages that need the student's eyes: refusals (too large, bad zip), the second-tab warning, and a crash
// (oops, panic, timeout) with the console's tail, the oops lines highlighted.
import { useLab } from "../store/index.ts";
import { takeOver } from "../persist.ts";

const OOPS = /Oops|BUG: |general protection fault|unable to handle|Kernel panic|Call Trace|RIP:|EIP:|invalid opcode/i;

export default function Banners() {
  const notice = useLab((s) => s.notice);
  const crash = useLab((s) => s.crash);
  const readOnly = useLab((s) => s.readOnly);
  return (
    <>
      {notice ? (
        <div className={`banner ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="notice">
          <span>{notice.text}</span>
          {readOnly ? <button onClick={() => void takeOver()}>Take over</button> : null}
          <button aria-label="Dismiss" onClick={() => useLab.getState().setNotice(null)}>×</button>
        </div>
      ) : null}
      {crash ? (
        <div className={`banner crash ${crash.kind}`} role="alert" data-testid="crash">
          <div className="crash-head">
            <strong>{crash.title}</strong>
            <button aria-label="Dismiss" onClick={() => useLab.getState().setCrash(null)}>×</button>
          </div>
          {crash.tail ? (
            <pre className="crash-tail">
              {crash.tail.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").split("\n").slice(-40).map((l, i) => <div key={i} className={OOPS.test(l) ? "oops-line" : ""}>{l || " "}</div>)}
            </pre>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
