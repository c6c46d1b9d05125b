/** The host contract: what the card needs from the emulator (implemented by the v86 adapter). */
export interface CardHost {
  /** Guest physical RAM as bytes, index = guest physical address. Re-fetch on each use (the buffer may be replaced). */
  guestRam(): Uint8Array;
  /** The card's interrupt line changed. The host defers delivery; call it only on changes. */
  setIrqLevel(level: boolean): void;
  /** PCI Bus Master Enable; when false the card refuses to DMA. Absent means always enabled (unit tests). */
  busMaster?(): boolean;
}
