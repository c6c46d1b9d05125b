// The lab's virtual hardware on top of v86: the Virtual PCI Bus with the graphics card in its first slot.
import { CardFunction } from "../card/pci.ts";
import type { CardOptions } from "../card/card.ts";
import type { CardVariant } from "../card/definition.ts";
import { permedia2v } from "../card/variants/permedia2v.ts";
import { VirtualPciBus, type BusState } from "../vpcib/bus.ts";
import type { Hardware } from "./v86-adapter.ts";

/** The VPCIB slot of the graphics card. */
export const GPU_SLOT = 0;
/** Where the platform's state rides inside v86's machine state. */
const STATE_KEY = 200;

export interface PlatformOptions {
  /** The card variant (default: the Permedia 2v). A saved state only restores onto the same variant. */
  variant?: CardVariant;
  card?: Partial<CardOptions>;
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

  constructor(hw: Hardware, options: PlatformOptions = {}) {
    this.bus = new VirtualPciBus(hw);
    this.gpu = new CardFunction(options.variant ?? permedia2v, options.card);
    this.bus.insert(GPU_SLOT, this.gpu);
    hw.stateHook(STATE_KEY, {
      save: () => this.bus.saveState(),
      load: (s) => {
        const saved = (s as BusState).slots[GPU_SLOT]?.fn as { card?: { variant?: string } } | undefined;
        this.restoredOtherCard = saved?.card?.variant !== this.gpu.card.variant.id;
        this.bus.loadState(s as BusState);
      },
    });
  }

  get card() {
    return this.gpu.card;
  }

  stop(): void {
    this.gpu.stop();
  }
}
