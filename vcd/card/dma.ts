/**
 * The input DMA engine: fetches tag-format words from guest RAM at DMAAddress, decodes them and
 * hands (tag, data) pairs to the interpreter. DMACount counts down per word fetched; at 0 the DMA
 * interrupt flag is set. Bad buffers set ErrorFlags, force DMACount to 0 and drop the rest.
 *
 * Ring variants (behaviour.commands = 'ring') feed the same fetch loop from a circular buffer:
 * RingBase/RingSize define it, the driver advances RingTail, the card's RingHead follows, one
 * contiguous run (up to the tail or the end of the ring) at a time. The DMA flag is raised when the
 * head reaches the tail; a malformed word or a bad address drops everything up to the tail.
 */
import { Decoded, TagDecoder, type DecoderState } from './decoder.ts';
import type { CardHost } from './host.ts';
import type { Interpreter } from './interp.ts';
import type { Interrupts } from './irq.ts';
import type { Layout } from './layout.ts';
import type { Budget } from './raster.ts';
import type { TraceRing } from './trace.ts';

export interface DmaState {
  address: number;
  count: number;
  startAddress: number;
  fetched: number;
  decoder: DecoderState;
  /** Ring variants: read and write pointers in words (absent in states of DMA variants). */
  ringHead?: number;
  ringTail?: number;
}

/** Typical x86 32-bit kernel PAGE_OFFSET: addresses above it are kernel virtual, not bus addresses. */
const KERNEL_VIRTUAL_BASE = 0xc0000000;

export class DmaEngine {
  /** Next word's guest-physical address. */
  address = 0;
  /** Words not yet fetched (the DMACount read value). */
  count = 0;
  private startAddress = 0;
  private startPrimitives = 0;
  private startPixels = 0;
  private fetched = 0;
  readonly decoder: TagDecoder;
  private readonly addrName: string;
  private readonly countName: string;
  /** Words fetched since construction (statistics). */
  wordsFetched = 0;
  private ramCache: Uint8Array | null = null;
  private ram32: Uint32Array | null = null;
  /** Ring variants only. */
  readonly ring: boolean;
  ringHead = 0;
  ringTail = 0;
  private ringBase = 0;
  private ringSize = 0;
  private readonly ringBaseName: string;
  private readonly ringSizeName: string;
  private readonly ringTailName: string;

  constructor(
    private readonly layout: Layout,
    private readonly host: CardHost,
    private readonly interp: Interpreter,
    private readonly irq: Interrupts,
    private readonly trace: TraceRing,
    /** Simulated nanoseconds per word fetched. */
    private readonly wordNs: number,
  ) {
    this.decoder = new TagDecoder(layout);
    this.ring = layout.variant.behaviour.commands === 'ring';
    const name = (role: Parameters<Layout['reg']>[0]) => (layout.hasReg(role) ? layout.reg(role).def.name : role);
    this.addrName = this.ring ? name('ringBase') : name('dmaAddress');
    this.countName = this.ring ? name('ringTail') : name('dmaCount');
    this.ringBaseName = name('ringBase');
    this.ringSizeName = name('ringSize');
    this.ringTailName = name('ringTail');
  }

  // ---------------------------------------------------------------- ring delivery

  /** RingBase or RingSize write. Returns false when it must be ignored (the ring is not empty). */
  ringSetupAllowed(register: string, value: number): boolean {
    if (this.active || this.ringHead !== this.ringTail) {
      this.irq.error('inDmaOverwrite', 'guest-error', register, value, `${register} written while the card is still reading the ring (head ${this.ringHead}, tail ${this.ringTail}): ignored. Wait until ${this.headName()} equals the tail before moving or resizing the ring.`);
      return false;
    }
    if (register === this.ringBaseName && value & 3) {
      this.irq.notice('guest-error', register, value, `${register} 0x${(value >>> 0).toString(16)} is not 4-byte aligned; the low bits are ignored.`);
    }
    return true;
  }

  /** After RingBase/RingSize changed: the ring is empty again, both pointers at 0. */
  ringSetup(base: number, size: number): void {
    this.ringBase = (base & ~3) >>> 0;
    this.ringSize = size;
    this.ringHead = 0;
    this.ringTail = 0;
  }

  private headName(): string {
    return this.layout.hasReg('ringHead') ? this.layout.reg('ringHead').def.name : 'RingHead';
  }

  /** RingTail write: validate, record, and start fetching if the engine is idle. */
  ringTailWrite(value: number): void {
    value >>>= 0;
    const size = this.ringSize;
    if (size === 0 || size > this.layout.variant.dma.maxCount) {
      this.irq.error('message', 'guest-error', this.ringTailName, value, `${this.ringTailName} written but ${this.ringSizeName} is ${size} (it must be 1 … ${this.layout.variant.dma.maxCount} words): nothing fetched. Program ${this.ringBaseName} and ${this.ringSizeName} first.`);
      return;
    }
    if (value >= size) {
      this.irq.error('message', 'guest-error', this.ringTailName, value, `${this.ringTailName} ${value} is outside the ring of ${size} words: ignored. The tail is an index in words (0 … ${size - 1}), wrapping to 0 at the end of the ring, not a byte offset or an address.`);
      return;
    }
    if (this.host.busMaster && !this.host.busMaster()) {
      this.irq.error('master', 'guest-error', this.ringTailName, value, `${this.ringTailName} written while Bus Master Enable is off in the PCI command register: nothing fetched. Call pci_set_master() in probe before using the ring.`);
      return;
    }
    const ram = this.host.guestRam();
    if (this.ringBase >= ram.length || this.ringBase + size * 4 > ram.length) {
      const why = this.ringBase >= KERNEL_VIRTUAL_BASE
        ? 'it looks like a kernel virtual address: write the DMA handle (dma_addr_t) from dma_alloc_coherent, not the CPU pointer.'
        : `guest RAM ends at 0x${ram.length.toString(16)}: was ${this.ringSizeName} given in bytes instead of 32-bit words?`;
      this.irq.error('master', 'guest-error', this.ringBaseName, this.ringBase, `The ring at 0x${this.ringBase.toString(16)} (${size} words) is not entirely inside guest RAM; ${why} Nothing fetched.`);
      return;
    }
    const wasIdle = !this.active && this.ringHead === this.ringTail;
    this.ringTail = value;
    if (wasIdle && value !== this.ringHead) {
      this.startAddress = this.ringBase + this.ringHead * 4;
      this.fetched = 0;
      const st = this.interp.stats();
      this.startPrimitives = st.primitives;
      this.startPixels = st.pixels;
      if (this.trace.wants('dma-start')) this.trace.push({ kind: 'dma-start', address: this.startAddress, count: (value - this.ringHead + size) % size });
    }
    this.ringRun();
  }

  /** Ring: set up the next contiguous run (head .. tail or the end of the ring). */
  private ringRun(): void {
    if (this.count > 0 || this.ringHead === this.ringTail) return;
    this.address = this.ringBase + this.ringHead * 4;
    this.count = this.ringTail > this.ringHead ? this.ringTail - this.ringHead : this.ringSize - this.ringHead;
  }

  /** RingHead read value. */
  get head(): number {
    return this.ringHead;
  }

  get active(): boolean {
    return this.count > 0;
  }

  /** DMAAddress write. Returns false when the write must be ignored (DMA running). */
  setAddress(value: number): boolean {
    if (this.active) {
      this.irq.error('inDmaOverwrite', 'guest-error', this.addrName, value, `${this.addrName} written while DMA is running (${this.count} words left): ignored. Wait for the DMA interrupt or for ${this.countName} == 0 before programming the next buffer.`);
      return false;
    }
    if (value & 3) {
      this.irq.notice('guest-error', this.addrName, value, `${this.addrName} 0x${(value >>> 0).toString(16)} is not 4-byte aligned; the low bits are ignored.`);
    }
    return true;
  }

  /** DMACount write: validate and start. `address` is the stored DMAAddress. */
  start(address: number, value: number): void {
    value >>>= 0;
    if (this.active) {
      this.irq.error('inDmaOverwrite', 'guest-error', this.countName, value, `${this.countName} written while DMA is running (${this.count} words left): ignored. Only one buffer can be in flight; wait for the DMA interrupt (IntFlags.DMA) or poll ${this.countName} until 0.`);
      return;
    }
    if (value === 0) return;
    const max = this.layout.variant.dma.maxCount;
    if (value > max) {
      this.irq.error('message', 'guest-error', this.countName, value, `${this.countName} ${value} exceeds the maximum ${max} words: DMA not started. Was a byte count or a negative number written instead of the number of 32-bit words?`);
      return;
    }
    if (this.host.busMaster && !this.host.busMaster()) {
      this.irq.error('master', 'guest-error', this.countName, value, `${this.countName} written while Bus Master Enable is off in the PCI command register: DMA not started. Call pci_set_master() in probe before starting DMA.`);
      return;
    }
    const ram = this.host.guestRam();
    const end = address + value * 4;
    if (address >= ram.length || end > ram.length) {
      let why: string;
      if (address >= KERNEL_VIRTUAL_BASE) why = 'it looks like a kernel virtual address: a CPU virtual address was written instead of the DMA handle (dma_addr_t) from dma_alloc_coherent.';
      else if (address >= ram.length) why = `guest RAM ends at 0x${ram.length.toString(16)}: this is not a DMA handle from dma_alloc_coherent.`;
      else why = `the buffer would end at 0x${end.toString(16)}, past the end of guest RAM: was ${this.countName} given in bytes instead of 32-bit words?`;
      this.irq.error('master', 'guest-error', this.addrName, address, `DMA from 0x${address.toString(16)} (${value} words) reads outside guest RAM; ${why} DMA not started.`);
      return;
    }
    this.address = address;
    this.count = value;
    this.startAddress = address;
    this.fetched = 0;
    const st = this.interp.stats();
    this.startPrimitives = st.primitives;
    this.startPixels = st.pixels;
    if (this.trace.wants('dma-start')) this.trace.push({ kind: 'dma-start', address, count: value });
  }

  /** Fetch and execute words until the buffer ends, the budget runs out, or a command is pending. */
  run(b: Budget): void {
    if (this.count <= 0) return;
    const ram = this.host.guestRam();
    if (ram !== this.ramCache) {
      this.ramCache = ram;
      this.ram32 = (ram.byteOffset & 3) === 0 ? new Uint32Array(ram.buffer, ram.byteOffset, ram.byteLength >> 2) : null;
    }
    const ram32 = this.ram32;
    const limit = ram.length;
    const dec = this.decoder, interp = this.interp, wordNs = this.wordNs;
    let addr = this.address, count = this.count, fetched = 0;
    let ns = b.ns, units = b.units;
    while (count > 0 && ns > 0 && units > 0) {
      if (addr + 4 > limit) {
        this.address = addr; this.count = count; this.fetched += fetched;
        b.ns = ns; b.units = units;
        this.abort('master', `DMA reached 0x${addr.toString(16)}, past the end of guest RAM; the rest of the buffer is dropped.`, addr);
        return;
      }
      const w = ram32 !== null ? ram32[addr >>> 2]! : (ram[addr]! | (ram[addr + 1]! << 8) | (ram[addr + 2]! << 16) | (ram[addr + 3]! << 24)) >>> 0;
      addr += 4;
      count--;
      fetched++;
      ns -= wordNs;
      units--;
      const d = dec.feed(w);
      if (d === Decoded.Data) {
        b.ns = ns;
        b.units = units;
        interp.exec(dec.out, w, b);
        ns = b.ns;
        units = b.units;
        if (interp.pending) break;
      } else if (d === Decoded.Malformed) {
        this.address = addr; this.count = count; this.fetched += fetched;
        b.ns = ns; b.units = units;
        this.abort('message', `Malformed tag word 0x${w.toString(16)} at 0x${(addr - 4).toString(16)} (reserved bits set or mode 3): the rest of the buffer is dropped. Check the header format: tag, mode (HOLD/INCREMENT/INDEXED), count - 1.`, w);
        return;
      }
    }
    b.ns = ns;
    b.units = units;
    this.address = addr;
    this.count = count;
    this.fetched += fetched;
    this.wordsFetched += fetched;
    if (this.ring) {
      this.ringHead = (((addr - this.ringBase) >>> 2) % this.ringSize) >>> 0;
      if (count === 0) {
        this.ringRun();
        if (this.count === 0) this.finish('complete');
      }
      return;
    }
    if (count === 0) this.finish('complete');
  }

  private finish(outcome: 'complete' | 'aborted' | 'reset'): void {
    if (this.trace.wants('dma-end')) {
      const s = this.interp.stats();
      this.trace.push({ kind: 'dma-end', address: this.startAddress, words: this.fetched, outcome, primitives: s.primitives - this.startPrimitives, pixels: s.pixels - this.startPixels });
    }
    if (outcome === 'complete') this.irq.raise(this.layout.irq('dma'));
  }

  /** Error in the stream: flag it, force DMACount to 0, drop the rest. */
  private abort(role: 'master' | 'message', message: string, value: number): void {
    this.count = 0;
    if (this.ring) this.ringHead = this.ringTail;
    this.decoder.reset();
    this.irq.error(role, 'guest-error', this.addrName, value, message);
    this.finish('aborted');
  }

  reset(): void {
    if (this.count > 0) this.finish('reset');
    this.count = 0;
    this.address = 0;
    this.decoder.reset();
    this.ringHead = this.ringTail = 0;
  }

  /** Ring registers after a state load or a reset of the register file. */
  ringRegisters(base: number, size: number): void {
    this.ringBase = (base & ~3) >>> 0;
    this.ringSize = size;
  }

  save(): DmaState {
    const s: DmaState = { address: this.address, count: this.count, startAddress: this.startAddress, fetched: this.fetched, decoder: this.decoder.save() };
    if (this.ring) { s.ringHead = this.ringHead; s.ringTail = this.ringTail; }
    return s;
  }

  load(s: DmaState): void {
    this.address = s.address;
    this.count = s.count;
    this.startAddress = s.startAddress;
    this.fetched = s.fetched;
    this.decoder.load(s.decoder);
    this.ringHead = s.ringHead ?? 0;
    this.ringTail = s.ringTail ?? 0;
  }
}
