// The card's registers, live: each decoded into its fields by the names of the variant definition, changed ones
// highlighted, each name a link to its section of the manual. Arrow keys move between rows (one tab stop).
import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { CardVariant, RegisterDef } from "../../../vcd/card/definition.ts";
import type { InspectorSnapshot } from "../../../vcd/card/telemetry.ts";
import { fieldViews, hex, registerGroups } from "./format.ts";

/** A register counts as "just changed" for this many samples (about half a second at 4 Hz). */
const FRESH = 2;

interface Props {
  variant: CardVariant;
  snap: InspectorSnapshot;
  prev: InspectorSnapshot | null;
  selected: string | null;
  onOpen(name: string): void;
}

interface RowProps {
  def: RegisterDef;
  value: number;
  old: number | undefined;
  fresh: boolean;
  selected: boolean;
  focusable: boolean;
  onFocusRow(name: string): void;
  onKey(e: KeyboardEvent<HTMLButtonElement>, name: string): void;
  onOpen(name: string): void;
}

/** One register; re-rendered only when its value, highlight, selection or tab stop changes. */
const RegisterRow = memo(function RegisterRow({ def, value, old, fresh, selected, focusable, onFocusRow, onKey, onOpen }: RowProps) {
  const fields = fieldViews(def, value);
  const oldFields = old === undefined || !fresh ? null : fieldViews(def, old);
  return (
    <tr data-register={def.name} className={`${fresh ? "changed" : ""}${selected ? " selected" : ""}`}>
      <th scope="row">
        <button type="button" className="reg-link" data-register={def.name} tabIndex={focusable ? 0 : -1}
          onFocus={() => onFocusRow(def.name)} onKeyDown={(e) => onKey(e, def.name)} onClick={() => onOpen(def.name)}
          aria-label={`${def.name}${fresh ? ", changed" : ""}: ${hex(value)}. Open in the manual`} title={`${def.description}\n(${def.access}; click for the manual)`}>
          {def.name}
        </button>
      </th>
      <td className="mono">{hex(def.offset, 4)}</td>
      <td className="mono value">{hex(value)}</td>
      <td>
        <ul className="insp-fields" aria-label={`${def.name} fields`}>
          {fields.map((f, k) => (
            <li key={f.name} className={oldFields && oldFields[k]?.value !== f.value ? "changed" : f.value ? "set" : "clear"} title={`bits ${f.bits}: ${f.description}`}>
              <span className="fname">{f.name}</span>=<span className="mono">{f.text}</span>
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
});

export const RegisterTable = memo(function RegisterTable({ variant, snap, prev, selected, onOpen }: Props) {
  const groups = useMemo(() => registerGroups(variant), [variant]);
  const order = useMemo(() => groups.flatMap((g) => g.registers.map((r) => r.def.name)), [groups]);
  const [focusName, setFocusName] = useState<string>(selected ?? order[0] ?? "");
  const body = useRef<HTMLTableElement>(null);

  const move = useCallback((e: KeyboardEvent<HTMLButtonElement>, name: string) => {
    const i = order.indexOf(name);
    let j = -1;
    if (e.key === "ArrowDown") j = Math.min(order.length - 1, i + 1);
    else if (e.key === "ArrowUp") j = Math.max(0, i - 1);
    else if (e.key === "Home") j = 0;
    else if (e.key === "End") j = order.length - 1;
    else if (e.key === "PageDown") j = Math.min(order.length - 1, i + 10);
    else if (e.key === "PageUp") j = Math.max(0, i - 10);
    if (j < 0) return;
    e.preventDefault();
    const next = order[j]!;
    setFocusName(next);
    body.current?.querySelector<HTMLButtonElement>(`button[data-register="${CSS.escape(next)}"]`)?.focus();
  }, [order]);

  return (
    <table className="insp-regs" ref={body} aria-label="Card registers: value and fields, live. Arrow keys move between registers, Enter opens the register in the manual.">
      <thead>
        <tr><th scope="col">Register</th><th scope="col">Offset</th><th scope="col">Value</th><th scope="col">Fields</th></tr>
      </thead>
      {groups.map((g) => (
        <tbody key={g.group} aria-label={`${g.group} registers`}>
          <tr className="insp-group"><th colSpan={4} scope="colgroup">{g.group}</th></tr>
          {g.registers.map(({ index, def }) => {
            const at = snap.changedAt[index] ?? 0;
            return (
              <RegisterRow key={def.name} def={def} value={snap.registers[index] ?? 0} old={prev?.registers[index]}
                fresh={at > 0 && snap.sample - at < FRESH} selected={selected === def.name} focusable={def.name === focusName}
                onFocusRow={setFocusName} onKey={move} onOpen={onOpen} />
            );
          })}
        </tbody>
      ))}
    </table>
  );
});
