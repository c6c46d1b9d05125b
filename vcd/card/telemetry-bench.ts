/**
 * What the inspector's sampling costs the card: the same work with and without a CardSampler taking snapshots
 * SAMPLE_HZ times a second, runs alternated so that a busy host's drift hits both sides alike.
 *
 *   node --import tsx vcd/card/telemetry-bench.ts card [reps]              the card model alone, tri-bench's buffers
 *   node --import tsx vcd/card/telemetry-bench.ts table1 [n] [reps]        Table 1 in a Node machine, reference driver
 */
import { Card } from './card.ts';
import type { CardHost } from './host.ts';
import { layoutOf } from './layout.ts';
import { StreamBuilder } from './stream.ts';
import { CardSampler } from './telemetry.ts';
import { permedia2v } from './variants/permedia2v.ts';

const HZ = 4;

export interface CostRow {
  name: string;
  off: number[];
  on: number[];
  /** median(on) / median(off). */
  ratio: number;
  unit: string;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;

/** tri-bench's workload on the card alone: 682 Gouraud triangles per 64 KiB buffer, ping-pong, burst mode. */
function cardRun(triangles: number, height: number, sample: boolean): { ms: number; samples: number; sampleMs: number } {
  const ram = new Uint8Array(4 << 20);
  const host: CardHost = { guestRam: () => ram, setIrqLevel: () => {} };
  const card = new Card(permedia2v, host, { burst: true, maxWorkPerAdvance: 1 << 30 });
  const l = layoutOf(permedia2v);
  const sb = new StreamBuilder(permedia2v);
  const per = 682;
  const bufs: Uint32Array[] = [];
  let s = 1;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let b = 0; b < 4; b++) {
    sb.clear();
    if (b === 0) sb.setupFramebuffer({ readPixel: 2, pitch: 1024 });
    for (let i = 0; i < per; i++) {
      const x = 20 + rnd() * (1000 - 2 * height), y = Math.floor(rnd() * (760 - height));
      sb.gouraudTriangle({ x, y, r: 255, g: 0, b: 0 }, { x: x + height, y: y + (height >> 1), r: 0, g: 255, b: 0 }, { x: x + height * 0.3, y: y + height, r: 0, g: 0, b: 255 });
    }
    bufs.push(sb.words());
  }
  const addr = [0x100000, 0x200000];
  const reg = (role: Parameters<typeof l.reg>[0]) => l.reg(role).def.offset;
  card.mmioWrite32(0, reg('intEnable'), l.irq('dma') | l.irq('sync') | l.irq('error'));
  const sampler = sample ? new CardSampler(card).attach() : null;
  let samples = 0, sampleMs = 0;
  // CPU time of this process, not wall time: the host is shared, and wall time mostly measures the neighbours.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let next = t0 + 1000 / HZ;
  for (let done = 0, k = 0; done < triangles; done += per, k++) {
    const words = bufs[k % bufs.length]!;
    const a = addr[k & 1]!;
    new Uint32Array(ram.buffer, a, words.length).set(words);
    card.mmioWrite32(0, reg('dmaAddress'), a);
    card.mmioWrite32(0, reg('dmaCount'), words.length);
    while (card.busy) card.advance(1e6);
    // The driver's interrupt handler: read the flags, acknowledge them.
    const flags = card.mmioRead32(0, reg('intFlags'));
    card.mmioWrite32(0, reg('intFlags'), flags);
    if (sampler) {
      const now = performance.now();
      if (now >= next) {
        sampler.sample();
        sampleMs += performance.now() - now;
        samples++;
        next = now + 1000 / HZ;
      }
    }
  }
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  sampler?.detach();
  return { ms, samples, sampleMs };
}

export function benchTelemetryCard(reps = 5, triangles = 60_000): CostRow[] {
  const rows: CostRow[] = [];
  for (const height of [20, 100]) {
    cardRun(triangles / 4, height, true);
    const off: number[] = [], on: number[] = [];
    let samples = 0, sampleMs = 0;
    for (let r = 0; r < reps; r++) {
      const order = r % 2 ? [true, false] : [false, true];
      for (const sample of order) {
        const x = cardRun(triangles, height, sample);
        (sample ? on : off).push(x.ms);
        if (sample) { samples += x.samples; sampleMs += x.sampleMs; }
      }
    }
    rows.push({ name: `card model, ${triangles} Gouraud triangles h${height} (CPU ms; ${samples} snapshots, ${(sampleMs / Math.max(1, samples) * 1000).toFixed(0)} µs each)`, off, on, ratio: median(on) / median(off), unit: 'ms' });
  }
  return rows;
}

/** Table 1 in a Node machine: the reference driver and tri-bench built in the guest, sampler on and off alternately. */
export async function benchTelemetryTable1(n = 20_000, reps = 3, heights = [20, 100]): Promise<CostRow[]> {
  const { startNodeMachine, PROJECT_DIR } = await import('../machine/node-host.ts');
  const { prepareTable1 } = await import('../../bin/bench-table1.ts');
  const { join } = await import('node:path');
  const m = await startNodeMachine();
  const log = (s: string) => process.stderr.write(s + '\n');
  try {
    const s = { where: 'node' as const, exec: (c: string, t = 3_600_000) => m.exec(c, { timeout: t }), putFile: (p: string, d: Uint8Array) => m.putFile(p, d) };
    await prepareTable1(s, join(PROJECT_DIR, 'kmod'), (msg) => log(`[telemetry-bench] ${msg}`));
    const card = m.platform.card;
    const rows: CostRow[] = [];
    for (const h of heights) {
      const off: number[] = [], on: number[] = [];
      const run = async (sample: boolean) => {
        const sampler = sample ? new CardSampler(card).attach() : null;
        let snaps = 0;
        const timer = sampler ? setInterval(() => { sampler.sample(); snaps++; }, 1000 / HZ) : null;
        const r = await s.exec(`/work/table1/tests/tri-bench -q -n ${n} -h ${h}`, 3_600_000);
        if (timer) clearInterval(timer);
        const last = sampler?.sample();
        sampler?.detach();
        const mm = /^\s*\d+\s+\d+\s+([0-9.]+)\s/m.exec(r.stdout);
        if (r.exitCode !== 0 || !mm) throw new Error(`tri-bench failed: ${r.stdout}${r.stderr}`);
        const sec = Number(mm[1]);
        log(`[telemetry-bench] h${h} sampler ${sample ? 'on ' : 'off'}: ${sec.toFixed(3)} s${sampler ? ` (${snaps} snapshots, ${last!.stats.buffers} buffers kept from, ${last!.irqs.length} interrupt events, ${last!.dropped} trace events dropped)` : ''}`);
        (sample ? on : off).push(sec * 1000);
      };
      await run(false);
      for (let r = 0; r < reps; r++) for (const sample of r % 2 ? [true, false] : [false, true]) await run(sample);
      rows.push({ name: `Table 1 in Node, ${n} triangles h${h} (tri-bench's time)`, off, on, ratio: median(on) / median(off), unit: 'ms' });
    }
    return rows;
  } finally {
    await m.destroy();
  }
}

function print(rows: CostRow[]): void {
  for (const r of rows) {
    process.stdout.write(`${r.name}: sampler off median ${median(r.off).toFixed(1)} ${r.unit} [${r.off.map((x) => x.toFixed(0)).join(', ')}], on median ${median(r.on).toFixed(1)} ${r.unit} [${r.on.map((x) => x.toFixed(0)).join(', ')}], ratio on/off ${r.ratio.toFixed(3)}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [what = 'card', a, b] = process.argv.slice(2);
  if (what === 'table1') print(await benchTelemetryTable1(a ? Number(a) : undefined, b ? Number(b) : undefined));
  else print(benchTelemetryCard(a ? Number(a) : undefined));
}
