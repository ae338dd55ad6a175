/**
 * The gap analysis: need × supply terciles per area, the ranked high-need, low-supply areas, and the action areas
 * against the rest of the city. Pure functions over values already read and shown (withheld values are null);
 * the route only reads and answers.
 *
 * What it guards against:
 * - Terciles that ties collapse (e.g. 43 of 62 quarters at 0 %): no ranking is given, and the answer says why.
 * - Action areas compared only with each other: their terciles are always those of the city's quarters, and each
 *   is compared with the rest of the city.
 * - Need values of unknown origin: every area carries where its need value comes from (method, source, date,
 *   what it rests on) and, where the catalogue has one, how much of it is borrowed from other areas.
 * - An access measure used as need: it measures distance to offers, not social need, and the answer says so.
 */
import {
  type BivariateArea,
  bivariate,
  CELL_NAMES,
  cellIndex,
  rankHighNeedLowSupply,
  type TercileSplit,
  terciles,
} from './bivariate.ts';
import { isPresent, type MaybeNumber } from './classify.ts';
import { NO_VALUE, roundValue, type Text } from './indicators.ts';

export type Direction = 'need' | 'strength' | 'neutral';

export interface Turn {
  /** True when the indicator's high values mean low need (need side) or low supply (supply side). */
  inverted: boolean;
  /** Value as given → value whose high end means high need (need side) or high supply (supply side). */
  turn: (v: number | null) => number | null;
}

export function turnFor(direction: Direction, role: 'need' | 'supply'): Turn {
  const inverted = role === 'need' ? direction === 'strength' : direction === 'need';
  return { inverted, turn: (v) => (v === null ? null : inverted ? -v : v) };
}

/** A value as the API shows it, with what it rests on. */
export interface SourcedValue {
  value: number | null;
  reason: Text | null;
  method: string | null;
  reference_date: string | null;
  basis_count: number | null;
  note: Text | null;
  source: unknown;
}

export interface GapArea<V extends SourcedValue = SourcedValue> {
  code: string;
  name: string;
  need: V;
  supply: V;
  /** The share (%) of the area's need value taken from other areas, where the catalogue says so (facet 'provenance'). */
  borrowed: { indicator_id: string; value: V } | null;
}

export interface Warning {
  code: 'need-collapsed' | 'supply-collapsed' | 'need-uneven' | 'supply-uneven' | 'need-is-access' | 'need-borrowed';
  message: Text;
}

/** Where an area's need value comes from, as the answer gives it. */
export function needSource<V extends SourcedValue>(a: GapArea<V>) {
  const n = a.need;
  return {
    method: n.method as V['method'],
    reference_date: n.reference_date,
    basis_count: n.basis_count,
    note: n.note,
    source: n.source as V['source'],
    borrowed: a.borrowed
      ? {
          indicator_id: a.borrowed.indicator_id,
          share: a.borrowed.value.value,
          basis_count: a.borrowed.value.basis_count,
          // A withheld share (too few addresses) comes without the counts its note would give.
          note: a.borrowed.value.value === null ? null : a.borrowed.value.note,
        }
      : null,
  };
}

/**
 * What ties do to a tercile split.
 * - collapsed: all values are equal, or both breaks fall on one tied value (t1 = t2), so the middle tercile
 *   vanishes and "high" means no more than "above that value" (43/0/19 when 43 of 62 quarters share 0 %). Such a
 *   split does not separate the areas, and no ranking is given.
 * - uneven: a tercile is empty or holds more than half of the areas, but the breaks still differ; a warning.
 * Null when the split separates the areas into about thirds.
 */
export function collapseOf(split: TercileSplit, side: 'need' | 'supply'): (Warning & { collapsed: boolean }) | null {
  const n = split.counts[0] + split.counts[1] + split.counts[2];
  if (n === 0 || split.breaks === null) return null;
  const most = Math.max(...split.counts);
  const collapsed = split.constant || split.breaks[0] === split.breaks[1];
  if (!collapsed && split.counts.every((c) => c > 0) && most <= n / 2) return null;
  const [lo, mid, hi] = split.counts;
  const what = side === 'need' ? { de: 'Bedarf', en: 'need' } : { de: 'Angebot', en: 'supply' };
  const counts = {
    de: `${lo}/${mid}/${hi} Gebiete in niedrig/mittel/hoch`,
    en: `${lo}/${mid}/${hi} areas in low/mid/high`,
  };
  if (collapsed)
    return {
      collapsed,
      code: side === 'need' ? 'need-collapsed' : 'supply-collapsed',
      message: {
        de:
          `Die Terzile beim ${what.de} fallen durch gleiche Werte zusammen: ${counts.de}. Sie trennen die Gebiete ` +
          'nicht; eine Rangfolge der Lücken wird deshalb nicht gegeben.',
        en:
          `The ${what.en} terciles collapse on tied values: ${counts.en}. They do not separate the areas, so no ` +
          'ranking of gaps is given.',
      },
    };
  return {
    collapsed,
    code: side === 'need' ? 'need-uneven' : 'supply-uneven',
    message: {
      de: `Gleiche Werte verteilen die Gebiete beim ${what.de} ungleich auf die Terzile: ${counts.de}.`,
      en: `Tied values split the areas unevenly into the ${what.en} terciles: ${counts.en}.`,
    },
  };
}

/** Spearman's rank correlation of paired values (average ranks for ties); null with fewer than 3 complete pairs. */
export function spearman(xs: readonly MaybeNumber[], ys: readonly MaybeNumber[]): number | null {
  const pairs: [number, number][] = [];
  xs.forEach((x, i) => {
    const y = ys[i];
    if (isPresent(x) && isPresent(y)) pairs.push([x, y]);
  });
  if (pairs.length < 3) return null;
  const rank = (vs: number[]) => {
    const order = vs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(vs.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++;
      for (let k = i; k <= j; k++) r[order[k]?.[1] as number] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(pairs.map((p) => p[0]));
  const ry = rank(pairs.map((p) => p[1]));
  const mean = (rx.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  rx.forEach((x, i) => {
    const y = ry[i] as number;
    sxy += (x - mean) * (y - mean);
    sxx += (x - mean) ** 2;
    syy += (y - mean) ** 2;
  });
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** A tercile split reported on the values as given: with a turned indicator the bounds turn back. */
export function splitAsGiven(split: TercileSplit, inverted: boolean) {
  const breaks = split.breaks && inverted ? ([-split.breaks[1], -split.breaks[0]] as [number, number]) : split.breaks;
  return {
    breaks: breaks ? (breaks.map((b) => roundValue(b) as number) as [number, number]) : null,
    constant: split.constant,
    counts: split.counts,
    missing: split.missing,
  };
}

export interface QuarterWeight {
  code: string;
  /** Addresses of the quarter inside any action area, and outside. */
  inside: number;
  outside: number;
  /** Its residents (published or estimated) per address; null where the quarter has none. */
  persons_per_address: number | null;
}

/**
 * Resident-weighted means of the quarters' values inside the action areas, in the rest of the city, and overall: a
 * quarter weighs with its addresses inside (or outside) times its residents per address. A quarter without a value
 * or without residents is left out and named.
 */
export function weightedMeans(values: Map<string, number | null>, weights: QuarterWeight[], cityValue: number | null) {
  let inV = 0;
  let inW = 0;
  let outV = 0;
  let outW = 0;
  let inAddresses = 0;
  let outAddresses = 0;
  const without: string[] = [];
  for (const w of weights) {
    const v = values.get(w.code) ?? null;
    if (v === null || w.persons_per_address === null) {
      without.push(w.code);
      continue;
    }
    inV += v * w.inside * w.persons_per_address;
    inW += w.inside * w.persons_per_address;
    outV += v * w.outside * w.persons_per_address;
    outW += w.outside * w.persons_per_address;
    inAddresses += w.inside;
    outAddresses += w.outside;
  }
  return {
    inside: inW > 0 ? roundValue(inV / inW) : null,
    rest: outW > 0 ? roundValue(outV / outW) : null,
    city: inW + outW > 0 ? roundValue((inV + outV) / (inW + outW)) : null,
    city_value: cityValue,
    inside_addresses: inAddresses,
    rest_addresses: outAddresses,
    quarters_without_value: without,
  };
}

/** higher / lower / equal: an action area's need (or supply), turned so that higher means more, against the rest. */
export function againstRest(own: number | null, rest: number | null, side: Turn): 'higher' | 'lower' | 'equal' | null {
  const a = side.turn(own);
  const b = side.turn(rest);
  if (a === null || b === null) return null;
  return a > b ? 'higher' : a < b ? 'lower' : 'equal';
}

export interface GapsInput<V extends SourcedValue> {
  need: Turn;
  supply: Turn;
  /** The areas of the level asked for. */
  areas: GapArea<V>[];
  /** Values as given the terciles are drawn from, when not the areas themselves (action areas: the city's quarters). */
  reference: { level: string; need: (number | null)[]; supply: (number | null)[] } | null;
  actionAreas: (GapArea<V> & { numbered: boolean })[];
  /** The quarters of the city, as given: the terciles the action areas are placed in. */
  quarters: { need: (number | null)[]; supply: (number | null)[] };
  /** The rest of the city (outside every action area), as given. */
  rest: { need: number | null; supply: number | null };
  /** The need indicator measures access to offers (distance), not need. */
  needIsAccess: boolean;
  needTitle: Text;
}

function reasons<V extends SourcedValue>(a: GapArea<V>): Text[] {
  return [a.need, a.supply].filter((v) => v.value === null).map((v) => v.reason ?? NO_VALUE);
}

/** The analysis: terciles, cells, the ranked gaps (unless a split collapsed), action areas, warnings. */
export function analyseGaps<V extends SourcedValue>(input: GapsInput<V>) {
  const { need, supply } = input;
  const turned = input.areas.map((a) => ({
    id: a.code,
    need: need.turn(a.need.value),
    supply: supply.turn(a.supply.value),
  }));
  const reference = input.reference
    ? {
        need: input.reference.need.map((v) => need.turn(v)),
        supply: input.reference.supply.map((v) => supply.turn(v)),
      }
    : undefined;
  const result = bivariate(turned, reference);
  const warnings: Warning[] = [];
  const needSplit = collapseOf(result.need, 'need');
  const supplySplit = collapseOf(result.supply, 'supply');
  for (const w of [needSplit, supplySplit]) if (w) warnings.push({ code: w.code, message: w.message });
  const needCollapsed = needSplit?.collapsed ? needSplit : null;
  const supplyCollapsed = supplySplit?.collapsed ? supplySplit : null;
  if (input.needIsAccess)
    warnings.push({
      code: 'need-is-access',
      message: {
        de:
          `„${input.needTitle.de}“ misst Angebote (ihre Entfernung oder Zahl), nicht sozialen Bedarf; Entfernungen ` +
          'wachsen zum Stadtrand hin, wo Angebote weiter auseinander liegen. Als Bedarf gewählt, zeigt die Analyse ' +
          'entlegene oder schwach versorgte, nicht bedürftige Gebiete. Für Bedarf einen sozialen Indikator wählen.',
        en:
          `“${input.needTitle.en}” measures offers (their distance or number), not social need; distances grow ` +
          'towards the edge of the city, where offers lie further apart. Chosen as need, the analysis shows remote ' +
          'or thinly served areas, not needy ones. Choose a social indicator for need.',
      },
    });
  const ranked = needCollapsed || supplyCollapsed ? [] : rankHighNeedLowSupply(result);
  const byCode = new Map(input.areas.map((a) => [a.code, a]));
  const borrowedGaps = ranked.filter((g) => ((byCode.get(g.id)?.borrowed?.value.value ?? 0) as number) > 50);
  if (borrowedGaps.length > 0)
    warnings.push({
      code: 'need-borrowed',
      message: {
        de:
          `${borrowedGaps.length} der ${ranked.length} Lücken erhalten ihren Bedarfswert überwiegend aus anderen ` +
          `Gebieten (mehr als die Hälfte ihrer Adressen): ${borrowedGaps.map((g) => byCode.get(g.id)?.name).join(', ')}.`,
        en:
          `${borrowedGaps.length} of the ${ranked.length} gaps take their need value mostly from other areas (more ` +
          `than half of their addresses): ${borrowedGaps.map((g) => byCode.get(g.id)?.name).join(', ')}.`,
      },
    });

  const asGiven = (b: BivariateArea, i: number) => {
    const a = input.areas[i] as GapArea<V>;
    return {
      code: a.code,
      name: a.name,
      need: a.need.value,
      supply: a.supply.value,
      need_tercile: b.needTercile,
      supply_tercile: b.supplyTercile,
      cell: b.cell,
      cell_name: b.cellName as string | null,
      reasons: reasons(a),
      need_source: needSource(a),
    };
  };

  // Action areas: placed in the terciles of the city's quarters, and compared with the rest of the city.
  const quarterNeed = terciles(input.quarters.need.map((v) => need.turn(v)) as MaybeNumber[]);
  const quarterSupply = terciles(input.quarters.supply.map((v) => supply.turn(v)) as MaybeNumber[]);
  const actionAreas = input.actionAreas.map((a) => {
    const nt = quarterNeed.tercileOf(need.turn(a.need.value));
    const st = quarterSupply.tercileOf(supply.turn(a.supply.value));
    const cell = cellIndex(nt, st);
    return {
      code: a.code,
      name: a.name,
      numbered: a.numbered,
      need: a.need.value,
      supply: a.supply.value,
      need_tercile: nt,
      supply_tercile: st,
      cell,
      cell_name: cell === null ? null : ((CELL_NAMES[cell] as string | undefined) ?? null),
      reasons: reasons(a),
      need_source: needSource(a),
      need_vs_rest: againstRest(a.need.value, input.rest.need, need),
      supply_vs_rest: againstRest(a.supply.value, input.rest.supply, supply),
    };
  });

  return {
    reference: {
      level: input.reference?.level ?? null,
      areas: input.reference ? input.reference.need.length : input.areas.length,
    },
    need: splitAsGiven(result.need, need.inverted),
    needCollapsed: needCollapsed !== null,
    supply: splitAsGiven(result.supply, supply.inverted),
    supplyCollapsed: supplyCollapsed !== null,
    cells: CELL_NAMES.map((name, index) => ({ index, name, count: result.counts[index] ?? 0 })),
    areas: result.areas.map(asGiven),
    gaps: ranked.map((g) => {
      const a = byCode.get(g.id) as GapArea<V>;
      return {
        rank: g.rank,
        code: g.id,
        name: a.name,
        need: a.need.value as number,
        supply: a.supply.value as number,
        need_source: needSource(a),
      };
    }),
    ranking_withheld: needCollapsed !== null || supplyCollapsed !== null,
    warnings,
    action_areas: actionAreas,
  };
}
