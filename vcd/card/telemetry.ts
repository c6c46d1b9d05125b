/** Sampled telemetry of a card for the lab's inspector (DOM-free). Work in progress. */
export interface InspectorSnapshot {
  seq: number;
}
