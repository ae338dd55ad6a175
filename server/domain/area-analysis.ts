/**
 * The bodies of /api/analysis/lisa, /index and /designation: pure functions from the values as the API shows
 * them (privacy rule applied: a withheld value is a missing value here) and the areas' relations to the answers.
 * The maths lives in lisa.ts, social-index.ts and designation.ts.
 */
import type { z } from 'zod';
import type { Catalogue, IndicatorRow, ValueRow } from '../db/queries/indicators.ts';
import type { DesignationResponse, IndexResponse, LisaResponse, PresetSummary } from './analysis-schema.ts';
import { CLUSTERS } from './analysis-schema.ts';
import { type DesignationArea, designate, type Member, type Rule, TODAY_SHARE } from './designation.ts';
import { type IndicatorMethod, NO_VALUE, noValueForDate, type Text, type ValueLevel } from './indicators.ts';
import { indicatorSummary, type ShownValue, showValue } from './indicators-show.ts';
import { lisa } from './lisa.ts';
import {
  buildChange,
  buildIndex,
  CHANGE_CLASSES,
  IndexError,
  type IndexMethod,
  type NeedDirection,
  rankBands,
  STATUS_CLASSES,
} from './social-index.ts';

type AreaName = { code: string; name: string };

/** The values of one indicator as shown, by area code, with the reason of each missing one. */
export function shownValues(
  rows: readonly ValueRow[],
  ind: IndicatorRow,
  cat: Catalogue,
  minCount: number,
  date: string | null,
): Map<string, ShownValue> {
  const reason = date === null ? NO_VALUE : noValueForDate(date);
  return new Map(rows.map((r) => [r.code, showValue(r, ind, cat, minCount, reason)]));
}

const datesOf = (values: Iterable<ShownValue>) =>
  [...new Set([...values].map((v) => v.reference_date).filter((d): d is string => d !== null))].sort().reverse();

// --- Hot spots ------------------------------------------------------------------------------------------------

const LISA_WEIGHTS_METHOD: Text = {
  de:
    'Nachbarn sind Gebiete, deren Grenzen sich berühren, auch nur in einem Punkt (Queen-Kontiguität, aus den ' +
    'Polygonen). Jeder Nachbar wiegt 1 durch die Zahl der Nachbarn des Gebiets (zeilenstandardisiert).',
  en:
    'Neighbours are areas whose boundaries touch, even at a single point (queen contiguity, from the polygons). ' +
    'Each neighbour weighs 1 over the number of the area’s neighbours (row-standardised).',
};

const LISA_MISSING_METHOD: Text = {
  de:
    'Gebiete ohne Wert (fehlend oder aus Datenschutzgründen nicht gezeigt) werden vor der Bildung der Gewichte ' +
    'herausgenommen: Sie zählen weder als Beobachtung noch als Nachbar. Ein Gebiet, dem so alle Nachbarn fehlen, ' +
    'ist eine Insel: Es zählt für Mittelwert und Streuung, hat aber keinen lokalen Wert.',
  en:
    'Areas without a value (missing, or withheld for privacy) are taken out before the weights are made: they ' +
    'count neither as an observation nor as a neighbour. An area left without neighbours is an island: it counts ' +
    'towards the mean and spread, but has no local statistic.',
};

function lisaExplanation(n: number, permutations: number): Text {
  return {
    de:
      `Ein Cluster ist ein Gebiet, dessen Wert dem seiner Nachbarn gleicht – hoch unter hohen (rot) oder niedrig ` +
      `unter niedrigen (blau) – öfter, als es bei zufälliger Verteilung der Werte über die Stadt zu erwarten wäre; ` +
      `rosa und hellblau sind Ausreißer: hoch unter niedrigen, niedrig unter hohen. Geprüft wird mit ${permutations} ` +
      `zufälligen Umverteilungen der Werte (Pseudo-p). Mit ${n} Gebieten ist die Aussagekraft bescheiden: Ein ` +
      'einzelnes signifikantes Gebiet kann Zufall sein (bei 5 % Niveau etwa eines von zwanzig), und ein ' +
      'tatsächliches Muster kann unentdeckt bleiben. Graue Gebiete sind nicht signifikant, nicht unauffällig.',
    en:
      `A cluster is an area whose value resembles its neighbours’ – high among high (red) or low among low (blue) – ` +
      `more often than a random spread of the values over the city would give; pink and light blue are outliers: ` +
      `high among low, low among high. The test uses ${permutations} random reshufflings of the values (pseudo p). ` +
      `With ${n} areas the power is modest: a single significant area may be chance (at the 5 % level about one ` +
      'in twenty), and a real pattern may go unseen. Grey areas are not significant, which is not the same as ' +
      'unremarkable.',
  };
}

export interface LisaRequest {
  level: ValueLevel;
  date: string | null;
  permutations: number;
  seed: number;
  alpha: number;
  fdr: boolean;
}

export function lisaBody(
  ind: IndicatorRow,
  cat: Catalogue,
  rows: readonly ValueRow[],
  touches: ReadonlyMap<string, readonly string[]>,
  request: LisaRequest,
  minCount: number,
): z.infer<typeof LisaResponse> {
  const shown = shownValues(rows, ind, cat, minCount, request.date);
  const names = new Map(rows.map((r) => [r.code, r.name]));
  const result = lisa(
    rows.map((r) => ({ code: r.code, value: shown.get(r.code)?.value ?? null })),
    touches,
    request,
  );
  const islands = new Set(result.islands.map((i) => i.code));
  const byCode = new Map(result.areas.map((a) => [a.code, a]));
  const counts = Object.fromEntries(CLUSTERS.map((c) => [c, 0])) as Record<(typeof CLUSTERS)[number], number>;
  const areas = rows.map((r) => {
    const a = byCode.get(r.code);
    const cluster: (typeof CLUSTERS)[number] = !a
      ? 'missing'
      : islands.has(r.code)
        ? 'island'
        : a.significant && a.quadrant
          ? a.quadrant
          : 'not-significant';
    counts[cluster]++;
    return {
      code: r.code,
      name: r.name,
      value: a?.value ?? null,
      z: a?.z ?? null,
      lag: a?.lag ?? null,
      neighbours: a?.neighbours ?? [],
      local_i: a?.local_i ?? null,
      quadrant: a?.quadrant ?? null,
      p_sim: a?.p_sim ?? null,
      significant: a?.significant ?? false,
      cluster,
    };
  });
  return {
    indicator: indicatorSummary(ind, cat),
    level: request.level,
    date: request.date,
    dates: datesOf(shown.values()),
    min_count: minCount,
    n: result.n,
    weights: {
      kind: 'queen-contiguity',
      transform: 'row-standardised',
      method: LISA_WEIGHTS_METHOD,
      neighbours: result.neighbours,
    },
    missing: {
      method: LISA_MISSING_METHOD,
      areas: result.left_out.map((code) => {
        const v = shown.get(code);
        return {
          code,
          name: names.get(code) ?? code,
          suppressed: v?.suppressed ?? false,
          reason: v?.reason ?? NO_VALUE,
        };
      }),
    },
    islands: result.islands.map((i) => ({ code: i.code, name: names.get(i.code) ?? i.code, touches: i.touches })),
    permutations: request.permutations,
    seed: request.seed,
    alpha: request.alpha,
    fdr: request.fdr,
    cutoff: result.cutoff,
    global: {
      i: result.global.i,
      expected: result.global.expected,
      z_normal: result.global.z_normal,
      p_normal: result.global.p_normal,
      p_sim: result.global.p_sim,
      z_sim: result.global.z_sim,
    },
    counts,
    areas,
    explanation: lisaExplanation(result.n, request.permutations),
  };
}

// --- Composite index ------------------------------------------------------------------------------------------

const STATUS_LABELS = {
  'very-low': { de: 'sehr niedriger Status (sehr hoher Bedarf)', en: 'very low status (very high need)' },
  low: { de: 'niedriger Status (hoher Bedarf)', en: 'low status (high need)' },
  medium: { de: 'mittlerer Status', en: 'medium status' },
  high: { de: 'hoher Status (geringer Bedarf)', en: 'high status (low need)' },
} satisfies Record<(typeof STATUS_CLASSES)[number], Text>;
const STATUS_RULES = { 'very-low': 't ≥ 1.5', low: '1 ≤ t < 1.5', medium: '−1 < t < 1', high: 't ≤ −1' };
const CHANGE_LABELS = {
  negative: { de: 'negative Dynamik (Bedarf wächst)', en: 'negative change (need grows)' },
  stable: { de: 'stabil', en: 'stable' },
  positive: { de: 'positive Dynamik (Bedarf sinkt)', en: 'positive change (need falls)' },
} satisfies Record<(typeof CHANGE_CLASSES)[number], Text>;
const CHANGE_RULES = { negative: 't ≥ 1', stable: '−1 < t < 1', positive: 't ≤ −1' };

function indexMethod(method: IndexMethod): Text {
  const scores =
    method === 'z'
      ? {
          de: 'Jeder Indikator wird z-standardisiert (Abstand zum Mittel in Standardabweichungen der Gebiete)',
          en: 'Each indicator is z-standardised (distance from the mean in standard deviations of the areas)',
        }
      : {
          de: 'Jeder Indikator wird in Ränge übersetzt (0 = geringster, 1 = höchster Bedarf, Gleichstände gemittelt)',
          en: 'Each indicator is turned into ranks (0 = least, 1 = most need, ties averaged)',
        };
  return {
    de:
      `${scores.de}; ein Indikator des Angebots wird umgedreht, sodass höher immer mehr Bedarf heißt. Der Index ist ` +
      'das gewichtete Mittel (Gewichte auf die Summe 1 gebracht); der Beitrag eines Indikators ist Gewicht mal ' +
      'Wert. Nur Gebiete mit einem Wert für jeden Indikator erhalten einen Index. Statusklassen mit den Namen des ' +
      'Berliner Monitorings Soziale Stadtentwicklung, nach Standardabweichungen t des Index: sehr niedrig ab +1,5, ' +
      'niedrig ab +1, mittel zwischen −1 und +1, hoch bis −1 (die Schwellen sind die dieses Atlas). Eine Wahl von ' +
      'Indikatoren und Gewichten ist eine Entscheidung, keine Messung.',
    en:
      `${scores.en}; an indicator of strength is turned round, so that higher always means more need. The index is ` +
      'the weighted mean (weights brought to sum 1); an indicator’s contribution is its weight times its score. ' +
      'Only areas with a value for every indicator get an index. Status classes bear the names of Berlin’s ' +
      'Monitoring Soziale Stadtentwicklung, by standard deviations t of the index: very low from +1.5, low from ' +
      '+1, medium between −1 and +1, high up to −1 (the cut points are this atlas’s). A choice of indicators and ' +
      'weights is a decision, not a measurement.',
  };
}

const STABILITY_METHOD: Text = {
  de:
    'Die Gewichte werden viele Male zufällig verändert (Dirichlet-Verteilung mit den gewählten Gewichten als ' +
    'Mittel; je höher die Konzentration, desto kleiner die Änderungen), jedes Mal werden die Gebiete neu ' +
    'gereiht. Das Band reicht vom 5. bis zum 95. Perzentil des Rangs.',
  en:
    'The weights are changed at random many times (a Dirichlet distribution with the chosen weights as its mean; ' +
    'the higher the concentration, the smaller the changes), and the areas are ranked again each time. The band ' +
    'runs from the 5th to the 95th percentile of the rank.',
};

/** The change classes since an earlier date; too few areas with both values is the fault of `since`. */
function changeSince(...args: Parameters<typeof buildChange>) {
  try {
    return buildChange(...args);
  } catch (err) {
    if (err instanceof IndexError)
      throw new IndexError('since', `too few areas have values at both dates: ${err.message}`);
    throw err;
  }
}

export interface IndexPart {
  ind: IndicatorRow;
  /** Values at the chosen date (or the newest), by area code. */
  values: Map<string, ShownValue>;
  /** Values at `since`, when a change is asked for. */
  before: Map<string, ShownValue> | null;
}

export interface IndexRequest {
  level: ValueLevel;
  method: IndexMethod;
  date: string | null;
  since: string | null;
  weights: number[];
  draws: number;
  concentration: number;
  seed: number;
}

export function indexBody(
  parts: readonly IndexPart[],
  areas: readonly AreaName[],
  cat: Catalogue,
  request: IndexRequest,
  preset: z.infer<typeof PresetSummary> | null,
  minCount: number,
): z.infer<typeof IndexResponse> {
  const indicators = parts.map((p) => ({ id: p.ind.id, direction: p.ind.direction as NeedDirection }));
  const rowsOf = (pick: (p: IndexPart) => Map<string, ShownValue> | null) =>
    areas.map((a) => ({ code: a.code, values: parts.map((p) => pick(p)?.get(a.code)?.value ?? null) }));
  const now = rowsOf((p) => p.values);
  const result = buildIndex(indicators, request.weights, now, request.method);
  const bands = rankBands(indicators, request.weights, now, request.method, request);
  const change =
    request.since === null
      ? null
      : changeSince(
          indicators,
          request.weights,
          now,
          rowsOf((p) => p.before),
        );
  return {
    level: request.level,
    method: request.method,
    date: request.date,
    since: request.since,
    min_count: minCount,
    preset,
    indicators: parts.map((p, k) => {
      const s = result.standardisation[k] as { mean: number; sd: number };
      const used = [...p.values.values()].filter((v) => v.value !== null);
      return {
        indicator: indicatorSummary(p.ind, cat),
        weight: request.weights[k] as number,
        turned: p.ind.direction === 'strength',
        mean: s.mean,
        sd: s.sd,
        constant: result.constant.includes(p.ind.id),
        dates: datesOf(used),
        methods: [...new Set(used.map((v) => v.method).filter((m): m is IndicatorMethod => m !== null))].sort(),
      };
    }),
    complete: result.complete,
    index: result.index,
    status_classes: STATUS_CLASSES.map((id) => ({ id, label: STATUS_LABELS[id], rule: STATUS_RULES[id] })),
    change_classes: CHANGE_CLASSES.map((id) => ({ id, label: CHANGE_LABELS[id], rule: CHANGE_RULES[id] })),
    stability: {
      draws: request.draws,
      concentration: request.concentration,
      seed: request.seed,
      method: STABILITY_METHOD,
    },
    method_text: indexMethod(request.method),
    areas: result.areas.map((a, i) => {
      const c = change?.get(a.code) ?? null;
      return {
        code: a.code,
        name: (areas[i] as AreaName).name,
        index: a.index,
        t: a.t,
        status: a.status,
        rank: a.rank,
        band: bands.get(a.code) ?? null,
        change: c ? { value: c.change, t: c.t, class: c.class } : null,
        contributions: a.contributions,
        values: (now[i] as { values: (number | null)[] }).values,
        missing: a.missing,
      };
    }),
  };
}

// --- Designation ----------------------------------------------------------------------------------------------

export const TODAY_RULE: Text = {
  de:
    `Heute gefördert: ein statistischer Bezirk, von dessen Adressen mindestens ${TODAY_SHARE * 100} % in einem ` +
    'der heutigen Aktionsräume liegen (Zuordnung der Adressen zu den Aktionsräumen beim Import).',
  en:
    `Designated today: a quarter with at least ${TODAY_SHARE * 100} % of its addresses inside one of today’s ` +
    'Aktionsräume (addresses assigned to the Aktionsräume at import).',
};

export const RESIDENTS_TEXT: Text = {
  de:
    'Einwohner je Menge: die Summe des Indikators „Einwohnerinnen und Einwohner (veröffentlicht oder geschätzt)“ ' +
    'der Bezirke, getrennt nach veröffentlichten und modellierten Werten; Adressen aus dem Adressregister.',
  en:
    'Residents per set: the sum of the indicator “Residents (published or estimated)” over its quarters, split ' +
    'into published and modelled figures; addresses from the address register.',
};

export interface QuarterFacts {
  addresses: number;
  /** The action areas of the quarter's addresses, with the share of its addresses in each. */
  actionAreas: { code: string; name: string; address_share: number }[];
  residents: ShownValue | null;
}

export function designationBody(
  index: z.infer<typeof IndexResponse>,
  ruleText: string,
  rule: Rule,
  facts: ReadonlyMap<string, QuarterFacts>,
): z.infer<typeof DesignationResponse> {
  const areas: DesignationArea[] = index.areas.map((a) => {
    const f = facts.get(a.code);
    return {
      code: a.code,
      index: a.index,
      todayShare: (f?.actionAreas ?? []).reduce((s, x) => s + x.address_share, 0),
      addresses: f?.addresses ?? 0,
      residents: f?.residents?.value ?? null,
      residentsMethod: f?.residents?.method ?? null,
    };
  });
  const byCode = new Map(index.areas.map((a) => [a.code, a]));
  const result = designate(areas, rule);
  const member = (m: Member) => ({
    code: m.code,
    name: byCode.get(m.code)?.name ?? m.code,
    index: m.index,
    margin: m.margin,
    today_share: m.today_share,
    action_areas: facts.get(m.code)?.actionAreas ?? [],
    band: byCode.get(m.code)?.band ?? null,
  });
  const { areas: _areas, ...indexWithoutAreas } = index;
  return {
    rule: ruleText,
    cut: Number.isFinite(result.cut) ? result.cut : null,
    ties: result.ties,
    today_rule: TODAY_RULE,
    residents: RESIDENTS_TEXT,
    index: indexWithoutAreas,
    selected: result.selected.map(member),
    both: result.both.map(member),
    entering: result.entering.map(member),
    leaving: result.leaving.map(member),
    undetermined: result.undetermined.map((u) => ({
      code: u.code,
      name: byCode.get(u.code)?.name ?? u.code,
      today: u.today,
      missing: byCode.get(u.code)?.missing ?? [],
    })),
    totals: result.totals,
  };
}
