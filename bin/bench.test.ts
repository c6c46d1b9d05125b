import { test } from "node:test";
import assert from "node:assert/strict";
import { kernelRatioTable, type BenchRow } from "./bench.ts";

test("bench machine on two kernels: the shared rows side by side, with the course kernel's ratio to the stock one", () => {
  const stock: BenchRow[] = [
    { name: "restore to usable shell", value: 1.2, unit: "s" },
    { name: "kbuild, warm (one .c touched)", value: 4, unit: "s" },
    { name: "same kbuild natively on this host", value: 0.6, unit: "s", text: "not measured" },
  ];
  const course: BenchRow[] = [
    { name: "restore to usable shell", value: 1.8, unit: "s" },
    { name: "kbuild, warm (one .c touched)", value: 10, unit: "s" },
  ];
  const out = kernelRatioTable([["stock", stock], ["course", course]]);
  const rows = out.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| measure"));
  assert.equal(rows.length, 3);
  assert.match(out, /\| measure\s+\| stock\s+\| course\s+\| course\/stock \|/);
  assert.match(rows[0]!, /restore to usable shell\s+\| 1\.20 s\s+\| 1\.80 s\s+\| 1\.50×/);
  assert.match(rows[1]!, /kbuild, warm.*\| 4\.00 s\s+\| 10\.00 s\s+\| 2\.50×/);
  assert.match(rows[2]!, /natively.*\| not measured\s+\| –\s+\| – /, "a row one kernel lacks has no ratio");
});
