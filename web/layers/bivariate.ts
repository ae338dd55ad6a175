/**
 * The 3×3 colours of a need × supply map, after Joshua Stevens' bivariate schemes: need runs from grey to
 * magenta, supply from grey to teal, and both together mix to dark blue. Cell index = 3 · need tercile + supply
 * tercile (as /api/analysis/gaps gives it): cell 6, high need with low supply, is the pure magenta that the eye
 * finds first.
 */
export const BIVARIATE_COLORS = [
  // low need: low, mid, high supply
  '#e8e8e8',
  '#ace4e4',
  '#5ac8c8',
  // mid need
  '#dfb0d6',
  '#a5add3',
  '#5698b9',
  // high need
  '#be64ac',
  '#8c62aa',
  '#3b4994',
] as const;

export const HIGH_NEED_LOW_SUPPLY = 6;

export function bivariateColor(cell: number | null): string | null {
  return cell === null ? null : (BIVARIATE_COLORS[cell] ?? null);
}
