import type { WebConfig } from '../config.ts';
import type { CatalogueIndicator, Gaps, Profile } from './council-api.ts';

/**
 * Which figures the council pages show, and the pure steps from API answers to rows. The choice of indicators
 * is editorial (the manifest's, through /api/config): each id is shown only where the catalogue has it, so a city
 * without one simply shows fewer.
 */

/** The editorial choice of figures, from the manifest's `web.council` (served as /api/config). */
export type CouncilSelection = WebConfig['council'];

/**
 * Whether a mean over areas means something for this unit: shares, indices and rates do, counts (persons,
 * places, offers) do not, so those are never averaged into "rest of the city".
 */
export function isIntensive(unit: string): boolean {
  return unit === '%' || unit.startsWith('index') || unit.includes('per 1,000');
}

/** The ids of `wanted` the catalogue has at the action-area level, in the order wanted. */
export function available(wanted: readonly string[], catalogue: readonly CatalogueIndicator[]): string[] {
  const present = new Set(
    catalogue.filter((i) => i.levels.some((l) => l.level === 'action-area' && l.with_value > 0)).map((i) => i.id),
  );
  return wanted.filter((id) => present.has(id));
}

/** Indicators in pairs for /api/analysis/gaps, which compares two at a time; an odd one out is paired with itself. */
export function pairs(ids: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < ids.length; i += 2) out.push([ids[i] as string, (ids[i + 1] ?? ids[i]) as string]);
  return out;
}

export type Comparison = Gaps['action_areas']['comparison']['need'];

/** The comparison of every indicator asked for, from the answers to the pairs. */
export function comparisonsOf(asked: readonly [string, string][], answers: readonly Gaps[]): Map<string, Comparison> {
  const map = new Map<string, Comparison>();
  asked.forEach(([need, supply], i) => {
    const answer = answers[i];
    if (!answer) return;
    map.set(need, answer.action_areas.comparison.need);
    map.set(supply, answer.action_areas.comparison.supply);
  });
  return map;
}

export interface OfferRow {
  category: string;
  label: Profile['offers'][number]['label'];
  count: number | null;
  per1000: number | null;
  /** The indicators the row's numbers come from (for date, source and the city value). */
  countId: string | null;
  per1000Id: string | null;
}

/** Offers per category with the ids of the indicators behind the numbers (from the catalogue's families). */
export function offerRows(profile: Profile, catalogue: readonly CatalogueIndicator[]): OfferRow[] {
  const idOf = (category: string, measure: string) =>
    catalogue.find((i) =>
      i.families.some((f) => f.family === 'offers' && f.member === category && f.measure === measure),
    )?.id ?? null;
  return profile.offers.map((o) => ({
    category: o.category,
    label: o.label,
    count: o.count,
    per1000: o.per_1000_residents,
    countId: idOf(o.category, 'count'),
    per1000Id: idOf(o.category, 'per_1000_residents'),
  }));
}

export interface GapRow {
  target: string;
  label: Profile['coverage'][number]['label'];
  radius: number;
  indicatorId: string;
  /** Share of the area's residents beyond the radius (estimated through their addresses), %: 100 − the coverage. */
  beyond: number | null;
  cityBeyond: number | null;
  suppressed: boolean;
}

/**
 * 100 − x without float noise and without losing a digit: as many decimals as x has (6.10054 → 93.89946; six
 * significant digits would make it 93.8995).
 */
function complement(share: number | null): number | null {
  if (share === null) return null;
  const text = String(share);
  if (text.includes('e')) return Number((100 - share).toPrecision(12));
  return Number((100 - share).toFixed(Math.min(12, text.split('.')[1]?.length ?? 0)));
}

/** Coverage gaps: for each kind of offer with a value at `radius`, the share of residents beyond it. */
export function gapRows(profile: Profile, radius: number): GapRow[] {
  return profile.coverage.flatMap((c) => {
    const r = c.radii.find((x) => x.radius_m === radius);
    if (!r) return [];
    return [
      {
        target: c.target,
        label: c.label,
        radius,
        indicatorId: r.indicator_id,
        beyond: complement(r.value),
        cityBeyond: complement(r.city_value),
        suppressed: r.suppressed,
      },
    ];
  });
}

/** The action areas in the order of the cards and tables: the numbered ones by number, then the small ones. */
export function inCardOrder<F extends { properties: { code: string; numbered: boolean } }>(
  features: readonly F[],
): F[] {
  return [...features].sort((a, b) =>
    a.properties.numbered !== b.properties.numbered
      ? a.properties.numbered
        ? -1
        : 1
      : a.properties.code.localeCompare(b.properties.code, 'en', { numeric: true }),
  );
}

/** The source id the API gives values computed or modelled by the atlas itself. */
export const ATLAS_SOURCE_ID = 'quartiersatlas';
