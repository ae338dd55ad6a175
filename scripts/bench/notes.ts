/**
 * What the numbers alone cannot say: why a goal is missed and what was tried, keyed by row id (report.ts).
 * Shown in BENCHMARKS.md under "Misses" for the rows that miss in that run. Keep them true to the code.
 */
export const NOTES: Record<string, string> = {
  'fast-paths': '',
};
