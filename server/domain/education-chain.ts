/**
 * The education chain: the stages of access to education (Kita, primary school, secondary school with its
 * types, vocational college, library), read from the catalogue's facets (family 'education-chain'), and per
 * area the stages that lie under a threshold share of residents. Pure functions on what the database gave.
 */
import type { z } from 'zod';
import type { Catalogue, IndicatorRow, LatestByIndicator } from '../db/queries/indicators.ts';
import type { Text } from './indicators.ts';
import type { ChainResponse } from './indicators-schema.ts';
import { shownLatest } from './indicators-show.ts';

/** A stage breaks where fewer than this share (%) of the residents reach it, unless the query says otherwise. */
export const DEFAULT_THRESHOLD = 50;
export const THRESHOLD_DESCRIPTION = 'A stage breaks where fewer than this share (%) of the residents reach it';

export interface ChainStageDef {
  stage: string;
  label: Text;
  radius_m: number;
  indicator: IndicatorRow;
  parent: string | null;
}

/** The stages in their order: the education-chain facets with a radius whose indicator is in the catalogue. */
export function chainStages(cat: Catalogue): ChainStageDef[] {
  return cat.facets
    .filter((f) => f.family === 'education-chain' && f.radius_m !== null && cat.byId.has(f.indicator_id))
    .sort((a, b) => a.sort - b.sort)
    .map((f) => ({
      stage: f.member,
      label: f.label,
      radius_m: f.radius_m as number,
      indicator: cat.byId.get(f.indicator_id) as IndicatorRow,
      parent: f.parent,
    }));
}

/**
 * The stages of one area: each value (withheld under the privacy rule like everywhere), whether it lies under
 * the threshold (null where the value is missing), and the main stages (those without a parent) that break.
 */
export function chainOfArea(
  stages: ChainStageDef[],
  latest: LatestByIndicator,
  code: string,
  threshold: number,
  cat: Catalogue,
  minCount: number,
) {
  const values = stages.map((s) => {
    const v = shownLatest(latest, s.indicator, code, cat, minCount);
    return {
      stage: s.stage,
      value: v.value,
      suppressed: v.suppressed,
      below: v.value === null ? null : v.value < threshold,
    };
  });
  const breaks = values.filter((v, i) => v.below === true && stages[i]?.parent === null).map((v) => v.stage);
  return { values, breaks };
}

export const CHAIN_METHOD: Text = {
  de:
    'Jede Stufe ist der Anteil der Einwohner (Adressen gewichtet mit den Einwohnern je Adresse ihres Bezirks) mit einem Angebot der Stufe in Luftlinie: Kita 500 m, Grundschule ' +
    'und Bibliothek 1 km, weiterführende Schule (jede Schulform) 2 km, Berufskolleg 3 km. Eine Stufe unter der ' +
    'Schwelle unterbricht die Kette; die Schulformen einzeln werden gezeigt, zählen aber nicht als eigene Stufe. ' +
    'Die Brüche messen Entfernung, nicht Bedarf: Sie häufen sich am Stadtrand, wo Angebote weiter auseinander ' +
    'liegen. Wo Bedarf und Brüche zusammentreffen, zeigt die Lückenanalyse mit einem sozialen Bedarfsindikator.',
  en:
    'Each stage is the share of residents (addresses weighted by their quarter’s residents per address) with an offer of the stage in a straight line: Kita 500 m, primary ' +
    'school and library 1 km, secondary school (any type) 2 km, vocational college 3 km. A stage under the ' +
    'threshold breaks the chain; the school types are shown one by one but do not count as stages of their own. ' +
    'The breaks measure distance, not need: they gather at the edge of the city, where offers lie further apart. ' +
    'Where need and breaks meet is shown by the gap analysis with a social need indicator.',
};

export interface ChainInput {
  level: z.infer<typeof ChainResponse>['level'];
  threshold: number;
  cat: Catalogue;
  /** The newest values at the level, and of the city. */
  atLevel: LatestByIndicator;
  city: LatestByIndicator;
  /** The areas of the level, in the order shown. */
  areas: { code: string; name: string }[];
  minCount: number;
}

/** The body of /api/analysis/education-chain: the stages with the city's value, every area, and per stage the areas under the threshold. */
export function chainBody(input: ChainInput): z.infer<typeof ChainResponse> {
  const { cat, atLevel, city, threshold, minCount } = input;
  const stages = chainStages(cat);
  const areas = input.areas.map((a) => {
    const chain = chainOfArea(stages, atLevel, a.code, threshold, cat, minCount);
    return { code: a.code, name: a.name, stages: chain.values, breaks: chain.breaks };
  });
  const cityCode = (id: string) => [...(city.get(id)?.keys() ?? [])][0] ?? '';
  return {
    level: input.level,
    threshold,
    method: CHAIN_METHOD,
    stages: stages.map((s) => ({
      stage: s.stage,
      label: s.label,
      radius_m: s.radius_m,
      indicator_id: s.indicator.id,
      parent: s.parent,
      city_value: shownLatest(city, s.indicator, cityCode(s.indicator.id), cat, minCount).value,
    })),
    areas,
    summary: stages.map((s, i) => ({
      stage: s.stage,
      areas_below: areas.filter((a) => a.stages[i]?.below === true).length,
    })),
  };
}
