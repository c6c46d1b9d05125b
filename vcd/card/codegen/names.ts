/** Symbol naming shared by the generators: CamelCase definition names -> C macro names. */

/** "DMAAddress" -> "DMA_ADDRESS", "dXDom" -> "D_X_DOM", "InFIFOSpace" -> "IN_FIFO_SPACE". */
export function macroName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

export function hex(v: number, digits = 0): string {
  return '0x' + (v >>> 0).toString(16).padStart(digits, '0');
}
