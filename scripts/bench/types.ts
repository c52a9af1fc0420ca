export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** Optional limit this number is held to (reported, not asserted: a benchmark is not a test). */
  budget?: number;
  /** The same figure with per-link polling, where the row compares the two. */
  baseline?: number;
}
