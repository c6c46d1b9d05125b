/** Prints the card benchmark table: node --import tsx vcd/card/bench-main.ts */
import { benchCard } from './bench.ts';

const rows = await benchCard();
const w = Math.max(...rows.map((r) => r.name.length));
for (const r of rows) console.log(`${r.name.padEnd(w)}  ${r.value.toFixed(r.value < 10 ? 2 : 1).padStart(9)} ${r.unit.padEnd(11)} ${r.note}`);
