/**
 * How many generated cases the hardening tier runs, from one environment variable: HARDENING_SCALE times the full
 * counts (default 1, the full run: 10,000 generated API requests, the importer fuzz's mutated packages, the load
 * test's requests). `HARDENING_SCALE=0.1 npm run test:hardening` tries a change quickly; CI runs the full counts.
 */
export function cases(full: number): number {
  const raw = process.env.HARDENING_SCALE ?? '1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw new Error(`HARDENING_SCALE must be a number above 0 and at most 100, not "${raw}"`);
  }
  return Math.max(1, Math.round(full * scale));
}
