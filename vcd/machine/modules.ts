// Where the guest's modules keep their code: told by the vgpu module on every module load and unload (its module
// notifier writes the MODULE_INFO sideband stream, see vcd/vpcib/protocol.ts), so that the host can name the
// function a wedged guest is stuck in without asking the guest.
import { MODINFO } from "../vpcib/protocol.ts";

export interface GuestModule {
  name: string;
  /** Core text: [base, base + size). */
  base: number;
  size: number;
  /** Function symbols, sorted by address. */
  symbols: Array<{ address: number; name: string }>;
}

export interface SymbolAt {
  /** The module, or null for the kernel itself. */
  module: string | null;
  symbol: string | null;
  offset: number;
  address: number;
}

/** "name+0x1c [module]", as the kernel prints a code address. */
export function formatSymbol(s: SymbolAt): string {
  const at = s.symbol ? `${s.symbol}+0x${s.offset.toString(16)}` : `0x${s.address.toString(16)}`;
  return s.module ? `${at} [${s.module}]` : at;
}

/** Longest stream record we accept (a module with thousands of functions), so garbage cannot grow without bound. */
const MAX_WORDS = 1 << 20;

export class ModuleTable {
  private readonly modules = new Map<string, GuestModule>();
  private words: number[] = [];

  /** One word of the MODULE_INFO stream. A malformed record is dropped (the guest's mistakes never throw). */
  push(word: number): void {
    const w = this.words;
    if (w.length === 0 && word !== MODINFO.load && word !== MODINFO.gone) return; // out of step: wait for a header
    w.push(word >>> 0);
    const done = this.parse();
    if (done === "more" && w.length < MAX_WORDS) return;
    this.words = [];
  }

  private parse(): "more" | "done" {
    const w = this.words;
    let i = 1;
    const name = (): string | null => {
      if (i >= w.length) return null;
      const n = w[i]!;
      if (n > 255) return "";
      const nw = Math.ceil(n / 4);
      if (i + 1 + nw > w.length) return null;
      let s = "";
      for (let k = 0; k < n; k++) s += String.fromCharCode((w[i + 1 + (k >> 2)]! >>> (8 * (k & 3))) & 0xff);
      i += 1 + nw;
      return s;
    };
    if (w[0] === MODINFO.gone) {
      const n = name();
      if (n === null) return "more";
      this.modules.delete(n);
      return "done";
    }
    if (w.length < 3) return "more";
    const base = w[1]!, size = w[2]!;
    i = 3;
    const mod = name();
    if (mod === null) return "more";
    if (i >= w.length) return "more";
    const count = w[i++]!;
    const symbols: GuestModule["symbols"] = [];
    for (let k = 0; k < count; k++) {
      if (i >= w.length) return "more";
      const address = w[i++]!;
      const s = name();
      if (s === null) return "more";
      symbols.push({ address, name: s });
    }
    symbols.sort((a, b) => a.address - b.address);
    if (mod) this.modules.set(mod, { name: mod, base, size, symbols });
    return "done";
  }

  /** The module whose core text holds `address`, and the function it is in, or null. */
  lookup(address: number): SymbolAt | null {
    address >>>= 0;
    for (const m of this.modules.values()) {
      const inText = address >= m.base && address < m.base + m.size;
      let best: { address: number; name: string } | undefined;
      for (const s of m.symbols) {
        if (s.address > address) break;
        best = s;
      }
      // Init text lies outside the core range; accept it only close behind one of its own symbols.
      const initSymbol = !!best && (best.address < m.base || best.address >= m.base + m.size);
      if (!inText && (!initSymbol || address - best!.address > 0x10000)) continue;
      return { module: m.name, symbol: best?.name ?? null, offset: best ? address - best.address : address - m.base, address };
    }
    return null;
  }

  /** True when `address` lies in some module's core text. */
  inModule(address: number): boolean {
    return this.lookup(address) !== null;
  }

  list(): GuestModule[] {
    return [...this.modules.values()];
  }

  save(): GuestModule[] {
    return this.list();
  }

  load(s: GuestModule[] | undefined): void {
    this.modules.clear();
    this.words = [];
    for (const m of s ?? []) this.modules.set(m.name, m);
  }
}
