// The card's manual, generated from the variant (vcd/card/codegen/manual-html.ts), with a search box that marks and
// steps through matches, a contents menu, and scrolling to `manualAnchor` whenever a view asks for a section
// (the inspector's register links). Print gives a paper-friendly copy.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { MANUAL_CSS, manualDocument, manualHtml } from "../../../vcd/card/codegen/manual-html.ts";
import type { CardVariant } from "../../../vcd/card/definition.ts";
import { useLab } from "../store/index.ts";
import { markHits } from "./search.ts";
import "./manual.css";

const TARGET = "manual-target";

function useCardVariant(): CardVariant {
  const machine = useLab((s) => s.machine);
  const variant = useLab((s) => s.variant);
  return machine?.variant ?? variant;
}

export default function ManualPane() {
  const variant = useCardVariant();
  const anchor = useLab((s) => s.manualAnchor);
  const doc = useMemo(() => manualHtml(variant), [variant]);
  const body = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const [hits, setHits] = useState<HTMLElement[]>([]);
  const [current, setCurrent] = useState(-1);

  // The HTML is set once per variant, outside React's reconciliation, so that search marks can be added and removed.
  useEffect(() => {
    if (body.current) body.current.innerHTML = doc.html;
    setHits([]);
    setCurrent(-1);
  }, [doc]);

  useEffect(() => {
    const root = body.current;
    if (!root) return;
    const h = markHits(root, deferred.length >= 2 ? deferred : "");
    setHits(h);
    setCurrent(h.length ? 0 : -1);
    if (h.length) h[0]!.scrollIntoView({ block: "center" });
  }, [deferred, doc]);

  useEffect(() => {
    hits.forEach((h, i) => h.classList.toggle("current", i === current));
  }, [hits, current]);

  const go = useCallback((step: number) => {
    if (!hits.length) return;
    const next = (current + step + hits.length) % hits.length;
    setCurrent(next);
    hits[next]!.scrollIntoView({ block: "center" });
  }, [hits, current]);

  // Scroll to the anchor a view asked for (and whenever it changes, or the manual is re-rendered).
  useEffect(() => {
    const root = body.current;
    if (!root || !anchor) return;
    const el = root.querySelector<HTMLElement>(`#${CSS.escape(anchor)}`);
    if (!el) return;
    root.querySelectorAll(`.${TARGET}`).forEach((e) => e.classList.remove(TARGET));
    el.classList.add(TARGET);
    el.scrollIntoView({ block: "start" });
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
  }, [anchor, doc]);

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      go(e.shiftKey ? -1 : 1);
    } else if (e.key === "Escape") {
      setQuery("");
    }
  };

  const jump = (id: string) => {
    if (useLab.getState().manualAnchor === id) useLab.setState({ manualAnchor: null });
    useLab.setState({ manualAnchor: id });
  };

  const print = () => {
    const w = window.open("", "_blank");
    if (!w) return;
    w.document.open();
    w.document.write(manualDocument(variant, doc));
    w.document.close();
    w.focus();
    w.print();
  };

  return (
    <section className="manual-pane" aria-label={`Manual: ${variant.name}`} data-testid="manual">
      <style>{MANUAL_CSS}</style>
      <div className="manual-bar" role="search">
        <input type="search" value={query} placeholder="Search the manual" aria-label="Search the manual"
          onChange={(e) => setQuery(e.target.value)} onKeyDown={onKey} data-testid="manual-search" />
        <button type="button" onClick={() => go(-1)} disabled={!hits.length} aria-label="Previous match">↑</button>
        <button type="button" onClick={() => go(1)} disabled={!hits.length} aria-label="Next match">↓</button>
        <span className="manual-count" role="status" aria-live="polite">
          {deferred.length >= 2 ? (hits.length ? `${current + 1} of ${hits.length}` : "no match") : ""}
        </span>
        <select aria-label="Go to section" value="" onChange={(e) => e.target.value && jump(e.target.value)}>
          <option value="">Contents…</option>
          {doc.sections.filter((s) => s.depth <= 3).map((s) => <option key={s.id} value={s.id}>{s.depth === 3 ? "\u00a0\u00a0" : ""}{s.text}</option>)}
        </select>
        <button type="button" onClick={print}>Print</button>
      </div>
      <div className="manual-scroll" ref={scroller}>
        <div className="vgpu-manual" ref={body} />
      </div>
    </section>
  );
}
