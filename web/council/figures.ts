import { formatValue, indicatorDecimals } from '../format.ts';
import type { Lang, TFunction } from '../i18n/index.ts';
import { localized, unitAfterValue } from '../planner/text.ts';
import type { Citation } from './citations.ts';
import type { CatalogueIndicator, ProfileIndicator, Text } from './council-api.ts';

/**
 * A figure of a council page: one indicator's value for an action area, with everything a reader needs to
 * trace it (reference date, method, sources) and to place it (city value, rank). Pure functions.
 */

export type Method = 'published' | 'computed' | 'modelled';

export interface Figure {
  id: string;
  theme: string;
  title: Text;
  unit: string;
  direction: 'need' | 'strength' | 'neutral';
  value: number | null;
  /** Why the value is missing or withheld; null when there is one. */
  reason: Text | null;
  suppressed: boolean;
  date: string | null;
  method: Method;
  /** What the value rests on, e.g. "1,234 of 2,345 addresses". */
  note: Text | null;
  city: { value: number | null; date: string | null };
  rank: { position: number; of: number } | null;
  /** The value's own source first, then (computed and modelled figures) the data it was made from. */
  citations: Citation[];
}

/** The citations of a value: where it was published, or the data it was computed from and who computed it. */
export function citationsOf(
  source: { id: string; title: string; url: string | null } | null,
  method: Method,
  inputs: readonly { id: string; title: string; url: string | null }[],
  /** A published value's note: the title of the page or document it was taken from. */
  note?: Text | null,
): Citation[] {
  const own: Citation[] = source
    ? [
        {
          id: source.id,
          title: source.title,
          url: source.url,
          ...(method === 'published' && note ? { label: note.de } : {}),
        },
      ]
    : [];
  if (method === 'published' && source) return own;
  // The data first, then who computed the value from them.
  const list: Citation[] = inputs.map((s) => ({ id: s.id, title: s.title, url: s.url }));
  for (const c of own) if (!list.some((x) => x.id === c.id)) list.push(c);
  return list;
}

/** A profile's indicator as a figure; the catalogue entry adds the sources it is made from. */
export function figureOf(indicator: ProfileIndicator, entry: CatalogueIndicator | undefined): Figure {
  return {
    id: indicator.id,
    theme: indicator.theme,
    title: indicator.title,
    unit: indicator.unit,
    direction: indicator.direction,
    value: indicator.value,
    reason: indicator.reason,
    suppressed: indicator.suppressed,
    date: indicator.reference_date,
    method: indicator.method,
    note: indicator.note,
    city: { value: indicator.city.value, date: indicator.city.reference_date },
    rank: indicator.rank,
    citations: citationsOf(
      indicator.source ? { id: indicator.source.id, title: indicator.source.title, url: indicator.source.url } : null,
      indicator.method,
      entry?.sources ?? [],
      indicator.note,
    ),
  };
}

/** The unit after a value in the page's language (as the planner writes it), "1 Stufe" in the singular. */
export function unitText(unit: string, value: number | null, t: TFunction): string {
  if (unit === 'stages' && value === 1) return t('council.unit.stage');
  return unitAfterValue(unit, t);
}

/** A value with its unit in the page's language; "–" for a missing one (the reason is shown beside it). */
export function formatFigure(value: number | null, unit: string, lang: Lang, t: TFunction, digits?: number): string {
  return formatValue(value, unitText(unit, value, t), lang, digits ?? indicatorDecimals(unit));
}

/**
 * A value in a table cell: the unit only where it is a symbol (%); longer units are in the row's title, and
 * repeating "Plätze je 1.000 Adressen" in every cell would hide the numbers.
 */
export function formatCell(value: number | null, unit: string, lang: Lang, digits: number): string {
  return formatValue(value, unit === '%' ? '%' : '', lang, digits);
}

export function titleOf(figure: { title: Text }, lang: Lang): string {
  return localized(figure.title, lang);
}
