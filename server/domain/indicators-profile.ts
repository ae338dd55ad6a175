/**
 * The fact sheet of one area (/api/areas/:level/:code/profile) as a pure function of what was read: every
 * indicator with a value at the area's level shown with the privacy rule, the city value and the rank among the
 * areas of the level; offers per category and coverage per radius gathered from the catalogue's families; the
 * action areas; the education chain.
 */
import type { z } from 'zod';
import type { AreaRow, Membership } from '../db/queries/areas.ts';
import type { Catalogue, IndicatorRow, LatestByIndicator } from '../db/queries/indicators.ts';
import { INDICATOR_METHODS, METHOD_TEXT, rankAmong, type Text, themeLabel } from './indicators.ts';
import type { ProfileResponse } from './indicators-schema.ts';
import { shownLatest, sourceRef } from './indicators-show.ts';

type Profile = z.infer<typeof ProfileResponse>;
type ProfileIndicator = Profile['indicators'][number];

const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

/** The city's value of one indicator: its only entry at level 'city'. */
export function cityValue(city: LatestByIndicator, ind: IndicatorRow | undefined, cat: Catalogue, minCount: number) {
  const code = [...(city.get(ind?.id ?? '')?.keys() ?? [])][0];
  if (!ind || code === undefined) return { value: null, reference_date: null, suppressed: false };
  const v = shownLatest(city, ind, code, cat, minCount);
  return { value: v.value, reference_date: v.reference_date, suppressed: v.suppressed };
}

/** Every indicator with values at the level: the area's value, the city's, and the rank among the level's areas. */
export function profileIndicators(
  cat: Catalogue,
  atLevel: LatestByIndicator,
  city: LatestByIndicator,
  code: string,
  minCount: number,
): ProfileIndicator[] {
  return cat.indicators
    .filter((ind) => atLevel.has(ind.id))
    .map((ind) => {
      const shown = shownLatest(atLevel, ind, code, cat, minCount);
      const peers = [...(atLevel.get(ind.id)?.keys() ?? [])].map(
        (peer) => shownLatest(atLevel, ind, peer, cat, minCount).value,
      );
      return {
        id: ind.id,
        theme: ind.theme,
        title: ind.title,
        unit: ind.unit,
        direction: ind.direction,
        count_based: ind.count_based,
        input_sources: ind.source_ids,
        ...shown,
        // A value carries its own method: the population shown is published for some areas, modelled for others.
        method: shown.method ?? ind.method,
        city: cityValue(city, ind, cat, minCount),
        rank: rankAmong(shown.value, peers),
      };
    });
}

/** Offers per category: the values of the `offers` family's members, one field per measure. */
export function profileOffers(cat: Catalogue, byId: ReadonlyMap<string, { value: number | null }>): Profile['offers'] {
  const offers = new Map<string, Profile['offers'][number]>();
  for (const f of cat.facets.filter((f) => f.family === 'offers')) {
    let entry = offers.get(f.member);
    if (!entry) {
      entry = { category: f.member, label: f.label, count: null, per_km2: null, per_1000_residents: null };
      offers.set(f.member, entry);
    }
    const value = byId.get(f.indicator_id)?.value ?? null;
    if (f.measure === 'count') entry.count = value;
    else if (f.measure === 'per_km2') entry.per_km2 = value;
    else if (f.measure === 'per_1000_residents') entry.per_1000_residents = value;
  }
  return [...offers.values()];
}

/** Coverage per target: the `coverage` family's members with a radius, nearest radius first. */
export function profileCoverage(
  cat: Catalogue,
  byId: ReadonlyMap<string, { value: number | null; suppressed: boolean }>,
  cityValueOf: (id: string) => number | null,
): Profile['coverage'] {
  const coverage = new Map<string, Profile['coverage'][number]>();
  for (const f of cat.facets.filter((f) => f.family === 'coverage' && f.radius_m !== null)) {
    let entry = coverage.get(f.member);
    if (!entry) {
      entry = { target: f.member, label: f.label, radii: [] };
      coverage.set(f.member, entry);
    }
    const v = byId.get(f.indicator_id);
    entry.radii.push({
      radius_m: f.radius_m as number,
      indicator_id: f.indicator_id,
      value: v?.value ?? null,
      suppressed: v?.suppressed ?? false,
      city_value: cityValueOf(f.indicator_id),
    });
  }
  for (const entry of coverage.values()) entry.radii.sort((a, b) => a.radius_m - b.radius_m);
  return [...coverage.values()];
}

/** One stage of the education chain as defined by the catalogue. */
export interface ChainStageInput {
  stage: string;
  label: Text;
  radius_m: number;
  indicator: IndicatorRow;
  parent: string | null;
}

export interface ProfileInput {
  area: AreaRow;
  cat: Catalogue;
  atLevel: LatestByIndicator;
  city: LatestByIndicator;
  members: readonly Membership[];
  chain: {
    threshold: number;
    stages: readonly ChainStageInput[];
    values: readonly { value: number | null; suppressed: boolean; below: boolean | null }[];
    breaks: string[];
  };
  minCount: number;
  /** The offers of the city's lists per age stage (domain/age-stages.ts); null without public lists. */
  ageStages: Profile['age_stages'];
}

export function profileBody({ area, cat, atLevel, city, members, chain, minCount, ageStages }: ProfileInput): Profile {
  const { level, code } = area;
  const indicators = profileIndicators(cat, atLevel, city, code, minCount);
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const cityValueOf = (id: string) => cityValue(city, cat.byId.get(id), cat, minCount).value;
  return {
    area: {
      level,
      code: area.code,
      name: area.name,
      numbered: area.numbered,
      parent: area.parent_code && area.parent_name ? { code: area.parent_code, name: area.parent_name } : null,
      area_km2: area.area_m2 === null ? null : round(area.area_m2 / 1e6, 2),
    },
    min_count: minCount,
    methods: INDICATOR_METHODS.map((method) => ({ method, text: METHOD_TEXT[method] })),
    themes: [...new Set(indicators.map((i) => i.theme))].map((id) => ({ id, label: themeLabel(id) })),
    sources: [...new Set(indicators.flatMap((i) => [...i.input_sources, i.source?.id ?? '']))]
      .flatMap((id) => {
        const s = cat.sources.get(id);
        return s ? [sourceRef(s)] : [];
      })
      .sort((a, b) => a.id.localeCompare(b.id)),
    indicators,
    offers: profileOffers(cat, byId),
    coverage: profileCoverage(cat, byId, cityValueOf),
    action_areas: {
      member_of:
        level === 'action-area'
          ? []
          : members.map((m) => ({
              code: m.code,
              name: m.name,
              numbered: m.numbered,
              address_share: round(m.address_share, 4),
            })),
      quarters:
        level === 'action-area'
          ? members.map((m) => ({ code: m.code, name: m.name, address_share: round(m.address_share, 4) }))
          : [],
    },
    education_chain: {
      threshold: chain.threshold,
      stages: chain.stages.map((s, i) => ({
        stage: s.stage,
        label: s.label,
        radius_m: s.radius_m,
        indicator_id: s.indicator.id,
        parent: s.parent,
        value: chain.values[i]?.value ?? null,
        suppressed: chain.values[i]?.suppressed ?? false,
        below: chain.values[i]?.below ?? null,
        city_value: cityValueOf(s.indicator.id),
      })),
      breaks: chain.breaks,
    },
    age_stages: ageStages,
  };
}
