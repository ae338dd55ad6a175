import type { CatalogueIndicator, Gaps } from '../api/client.ts';
import { type CsvColumn, type CsvDialect, columnsToCsv, textIn } from './csv.ts';

/**
 * What the gap list rests on, for a planner to defend it: the tercile bounds of need and supply as the values are
 * given (an inverted indicator's high tercile holds its low values), the dates and sources of both indicators, and
 * the list as CSV. Pure functions.
 */

type Side = Gaps['need'];

/** The range of each tercile (low, mid, high) of a side, as bounds on the values as given. */
export interface TercileRanges {
  low: Bound;
  mid: Bound;
  high: Bound;
}

/** A range: `from`/`to` with whether each end is inclusive; null: open. */
export interface Bound {
  from: number | null;
  fromIncluded: boolean;
  to: number | null;
  toIncluded: boolean;
}

/**
 * The terciles of a side on its values as given: b1, b2 are the upper bounds of the low and mid terciles of the
 * values turned so that high means more need (more supply); for an inverted side the order turns round.
 */
export function tercileRanges(side: Pick<Side, 'terciles' | 'inverted'>): TercileRanges | null {
  const breaks = side.terciles.breaks;
  if (!breaks) return null;
  const [b1, b2] = breaks;
  if (!side.inverted)
    return {
      low: { from: null, fromIncluded: false, to: b1, toIncluded: true },
      mid: { from: b1, fromIncluded: false, to: b2, toIncluded: true },
      high: { from: b2, fromIncluded: false, to: null, toIncluded: false },
    };
  return {
    low: { from: b2, fromIncluded: true, to: null, toIncluded: false },
    mid: { from: b1, fromIncluded: true, to: b2, toIncluded: false },
    high: { from: null, fromIncluded: false, to: b1, toIncluded: false },
  };
}

/** A range in words of signs: "≤ 72,3", "> 72,3 – 85,0", "≥ 4,2", "< 3,1". */
export function boundText(bound: Bound, number: (value: number) => string): string {
  const { from, to } = bound;
  if (from === null && to !== null) return `${bound.toIncluded ? '≤' : '<'} ${number(to)}`;
  if (to === null && from !== null) return `${bound.fromIncluded ? '≥' : '>'} ${number(from)}`;
  if (from !== null && to !== null)
    return `${bound.fromIncluded ? '' : '> '}${number(from)} – ${bound.toIncluded ? '' : '< '}${number(to)}`;
  return '–';
}

/** The reference dates of an indicator's values shown at a level (from the catalogue). */
export function datesAt(indicator: CatalogueIndicator | undefined, level: string): string[] {
  return indicator?.levels.find((l) => l.level === level)?.latest_dates ?? [];
}

interface GapRow {
  gap: Gaps['gaps'][number];
  gaps: Gaps;
  supplyDates: string;
  methodDe: (method: string) => string;
  unitDe: (unit: string) => string;
}

const sources = (side: Side) => side.indicator.sources.map((s) => s.attribution).join('; ');
const column = (de: string, en: string, value: CsvColumn<GapRow>['value']): CsvColumn<GapRow> => ({ de, en, value });
const threshold = (side: Side, which: 'low' | 'high', dialect: CsvDialect) => {
  const r = tercileRanges(side);
  if (!r) return null;
  return boundText(r[which], (v) => (dialect === 'de' ? String(v).replace('.', ',') : String(v)));
};

/** The gap list's columns: rank, area, both values with unit, date, method and source, and the bounds used. */
export const GAP_COLUMNS: readonly CsvColumn<GapRow>[] = [
  column('Rang', 'rank', ({ gap }) => gap.rank),
  column('Gebietsnummer', 'code', ({ gap }) => gap.code),
  column('Gebiet', 'name', ({ gap }) => gap.name),
  column('Bedarf', 'need', ({ gap }) => gap.need),
  column('Bedarf Einheit', 'need_unit', ({ gaps, unitDe }, d) =>
    d === 'de' ? unitDe(gaps.need.indicator.unit) : gaps.need.indicator.unit,
  ),
  column('Angebot', 'supply', ({ gap }) => gap.supply),
  column('Angebot Einheit', 'supply_unit', ({ gaps, unitDe }, d) =>
    d === 'de' ? unitDe(gaps.supply.indicator.unit) : gaps.supply.indicator.unit,
  ),
  column('Bedarfsindikator', 'need_indicator', ({ gaps }, d) => textIn(gaps.need.indicator.title, d)),
  column('Bedarf Stand', 'need_date', ({ gap }) => gap.need_source.reference_date),
  column('Bedarf Methode', 'need_method', ({ gap, methodDe }, d) =>
    gap.need_source.method && d === 'de' ? methodDe(gap.need_source.method) : gap.need_source.method,
  ),
  column('Bedarf Quelle', 'need_source', ({ gap, gaps }) => gap.need_source.source?.attribution ?? sources(gaps.need)),
  column('Bedarf aus anderen Gebieten (%)', 'need_borrowed_pct', ({ gap }) => gap.need_source.borrowed?.share),
  column('Bedarf hoch', 'need_high', ({ gaps }, d) => threshold(gaps.need, 'high', d)),
  column('Angebotsindikator', 'supply_indicator', ({ gaps }, d) => textIn(gaps.supply.indicator.title, d)),
  column('Angebot Stand', 'supply_date', ({ supplyDates }) => supplyDates),
  column('Angebot Quelle', 'supply_source', ({ gaps }) => sources(gaps.supply)),
  column('Angebot niedrig', 'supply_low', ({ gaps }, d) => threshold(gaps.supply, 'low', d)),
];

/** The ranked gaps as CSV in a dialect, each row with what it rests on. */
export function gapsToCsv(
  gaps: Gaps,
  context: { supplyDates: readonly string[]; methodDe: (m: string) => string; unitDe: (u: string) => string },
  dialect: CsvDialect,
): string {
  return columnsToCsv(
    GAP_COLUMNS,
    gaps.gaps.map((gap) => ({
      gap,
      gaps,
      supplyDates: context.supplyDates.join(', '),
      methodDe: context.methodDe,
      unitDe: context.unitDe,
    })),
    dialect,
  );
}
