/** What a virtual device must be to sit in a VPCIB slot, and what the bus gives it. */

export interface PciIdentity {
  readonly vendorId: number;
  readonly deviceId: number;
  readonly revision: number;
  /** 24-bit class code: base class, subclass, programming interface. */
  readonly classCode: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  /** 0 = none, 1 = INTA … 4 = INTD. */
  readonly interruptPin: number;
}

export interface PciBar {
  readonly index: number;
  /** Power of two, at least 128 KiB (v86 maps memory in 128 KiB blocks). */
  readonly size: number;
  readonly prefetchable: boolean;
}

/** The bus's services to a device: its interrupt pin, bus mastering, guest memory. */
export interface PciFunctionPort {
  /** Level of the device's INTx pin; the bus applies INTx-disable and shares the line. */
  setIrq(level: boolean): void;
  /** Command register Bus Master Enable: without it a device must not touch guest memory. */
  busMaster(): boolean;
  guestRam(): Uint8Array;
  guestRamWritten(start: number, end: number): void;
}

export interface VirtualPciFunction {
  /** Short name for traces and messages, e.g. "gpu". */
  readonly name: string;
  readonly identity: PciIdentity;
  readonly bars: readonly PciBar[];
  /** Called once when the device is put in a slot. */
  connect(port: PciFunctionPort): void;
  mmioRead32(bar: number, offset: number): number;
  mmioWrite32(bar: number, offset: number, value: number): void;
  mmioRead8(bar: number, offset: number): number;
  mmioWrite8(bar: number, offset: number, value: number): void;
  /** PCI reset: on plug and on unplug. */
  reset(): void;
  /** Emulator-side controls (the SB_* registers), not part of the device's own interface. */
  sidebandRead?(reg: number): number;
  sidebandWrite?(reg: number, value: number): void;
  saveState(): unknown;
  loadState(state: unknown): void;
}
