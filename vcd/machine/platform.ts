// The lab's virtual hardware on top of v86: the Virtual PCI Bus with the graphics card in its first slot.
import { CardFunction } from "../card/pci.ts";
import type { CardOptions } from "../card/card.ts";
import type { CardVariant } from "../card/definition.ts";
import { permedia2v } from "../card/variants/permedia2v.ts";
import { VirtualPciBus, type BusState } from "../vpcib/bus.ts";
import { GPU_SIDEBAND, IRQ_TIMING_MODES, VPCIB } from "../vpcib/protocol.ts";
import type { IrqTiming } from "./irq-timing.ts";
import { ModuleTable, type GuestModule } from "./modules.ts";
import type { Hardware } from "./v86-adapter.ts";

/** The VPCIB slot of the graphics card. */
export const GPU_SLOT = 0;
/** The card in the guest's sysfs (domain:bus:slot.function on the Virtual PCI Bus); its `driver/module` link names
 *  the module bound to it. */
export const GPU_SYSFS = `/sys/bus/pci/devices/${[VPCIB.domain.toString(16).padStart(4, "0"), VPCIB.bus.toString(16).padStart(2, "0"), `${GPU_SLOT.toString(16).padStart(2, "0")}.0`].join(":")}`;
/** Where the platform's state rides inside v86's machine state. */
const STATE_KEY = 200;
/** Where the guest's module table rides (see modules.ts). */
const MODULES_KEY = 201;
const SB = Object.fromEntries(GPU_SIDEBAND.map((r) => [r.name, r.offset])) as Record<string, number>;

export interface PlatformOptions {
  /** The card variant (default: the Permedia 2v). A saved state only restores onto the same variant. */
  variant?: CardVariant;
  card?: Partial<CardOptions>;
  /** When the card's interrupts reach the CPU (default prompt). */
  irqTiming?: IrqTiming;
  /** Seed of the random timing. */
  irqSeed?: number;
}

export class Platform {
  readonly bus: VirtualPciBus;
  readonly gpu: CardFunction;
  /**
   * The last state loaded was taken with another card variant (the one saved state of the guest image is
   * taken with the default card). The card then starts from power-on and the guest still knows the old card's
   * identity until the slot is re-plugged (Machine does that: rmmod vgpu; modprobe vgpu).
   */
  restoredOtherCard = false;
  /** Where the guest's modules keep their code, as the vgpu module reports it. */
  readonly modules = new ModuleTable();
  private timing: { mode: IrqTiming; seed: number } = { mode: "prompt", seed: 0 };
  private readonly timingListeners = new Set<(mode: IrqTiming, seed: number) => void>();

  constructor(private readonly hw: Hardware, options: PlatformOptions = {}) {
    this.bus = new VirtualPciBus(hw);
    this.gpu = new CardFunction(options.variant ?? permedia2v, options.card);
    this.gpu.hostControls = {
      read: (reg) => {
        if (reg === SB.IRQ_TIMING) return IRQ_TIMING_MODES.indexOf(this.timing.mode);
        if (reg === SB.IRQ_SEED) return this.timing.seed;
        return undefined;
      },
      write: (reg, value) => {
        if (reg === SB.IRQ_TIMING) {
          const mode = IRQ_TIMING_MODES[value];
          if (mode) this.setIrqTiming(mode, this.timing.seed); // an unknown value changes nothing
        } else if (reg === SB.IRQ_SEED) {
          this.setIrqTiming(this.timing.mode, value);
        } else if (reg === SB.MODULE_INFO) {
          this.modules.push(value);
        } else {
          return false;
        }
        return true;
      },
    };
    this.bus.insert(GPU_SLOT, this.gpu);
    hw.stateHook(STATE_KEY, {
      save: () => this.bus.saveState(),
      load: (s) => {
        const saved = (s as BusState).slots[GPU_SLOT]?.fn as { card?: { variant?: string } } | undefined;
        this.restoredOtherCard = saved?.card?.variant !== this.gpu.card.variant.id;
        this.bus.loadState(s as BusState);
      },
    });
    hw.stateHook(MODULES_KEY, { save: () => this.modules.save(), load: (s) => this.modules.load(s as GuestModule[]) });
    if (options.irqTiming) this.setIrqTiming(options.irqTiming, options.irqSeed);
  }

  /**
   * When the card's interrupts reach the CPU: "prompt" (default: at the end of the emulator slice, long after the
   * register write that caused them), "adversarial" (at the first instruction boundary after that write: a driver
   * holding, with interrupts on, a lock its handler takes deadlocks at once) or "random" (a reproducible delay per
   * interrupt, from `seed`, between the two). The guest sees the same setting in /sys/module/vgpu/parameters/irq_timing.
   * A host setting, not part of the machine state: it stays as it is when a state is restored.
   */
  setIrqTiming(mode: IrqTiming, seed = 0): void {
    this.hw.setIrqTiming(mode, seed);
    this.gpu.eager = mode !== "prompt";
    this.timing = { mode, seed: seed >>> 0 };
    for (const l of this.timingListeners) l(mode, this.timing.seed);
  }

  get irqTiming(): { mode: IrqTiming; seed: number } {
    return { ...this.timing };
  }

  /** Told whenever the timing changes (from the host or from the guest's module parameter). */
  onIrqTiming(cb: (mode: IrqTiming, seed: number) => void): () => void {
    this.timingListeners.add(cb);
    return () => this.timingListeners.delete(cb);
  }

  get card() {
    return this.gpu.card;
  }

  stop(): void {
    this.gpu.stop();
  }
}
