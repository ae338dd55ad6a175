import type { Profile } from '../api/client.ts';

/**
 * A statistical district in plain language (issue 19): a few short sentences in Leichte Sprache, with plain English
 * beside them, made from the area's profile (/api/areas/quarter/{code}/profile) and nothing else. Rules: one
 * statement per sentence, no passive, numbers as digits; a value the API does not give (missing or suppressed) is
 * left out, never guessed; minutes on foot where the profile has walking indicators, else straight-line distances
 * (the profile's coverage shares), which say so.
 */

export interface SummaryNumber {
  /** The profile's indicator the number comes from. */
  indicator: string;
  /** The API's value. */
  value: number;
  /** The number as written in the sentence (rounded as the sentence says). */
  shown: number;
}

export interface SummarySentence {
  id: string;
  de: string;
  en: string;
  numbers: SummaryNumber[];
}

/** Shares of residents the summary speaks of: the indicator and how to say it (p of 100 people …). */
const SHARES = [
  { indicator: 'under18_share_pct', de: 'sind jünger als 18 Jahre', en: 'are younger than 18' },
  { indicator: 'age65plus_share_pct', de: 'sind 65 Jahre alt oder älter', en: 'are 65 or older' },
] as const;

/**
 * Offers near home: the coverage target, the minutes on foot (the walking indicator `coverage_walk_<target>_<n>min`,
 * used where the profile has it), else the straight-line radius, and the words for it.
 */
const NEAR = [
  { target: 'childcare', minutes: 5, radius: 500, de: 'eine Kita', en: 'a day-care centre' },
  { target: 'school_primary', minutes: 10, radius: 500, de: 'eine Grundschule', en: 'a primary school' },
  { target: 'playground', minutes: 5, radius: 300, de: 'einen Spielplatz', en: 'a playground' },
  { target: 'transit', minutes: 5, radius: 300, de: 'eine Haltestelle', en: 'a transit stop' },
] as const;

/** The year of a reference date ('2023-12-31', '2024/25' → '2023', '2024/25'); null without one. */
function yearOf(date: string | null): string | null {
  if (!date) return null;
  const range = /^(\d{4}\/\d{2})$/.exec(date);
  if (range) return range[1] ?? null;
  const year = /^(\d{4})/.exec(date.split('/').pop() ?? date);
  return year ? (year[1] ?? null) : null;
}

const digits = (n: number, lang: 'de' | 'en') => new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB').format(n);

/** The sentences for one area; empty when the profile holds none of the values. */
export function plainSummary(profile: Profile): SummarySentence[] {
  const name = profile.area.name;
  const out: SummarySentence[] = [];
  const indicator = (id: string) => profile.indicators.find((i) => i.id === id && i.value !== null && !i.suppressed);

  const residents = indicator('residents');
  if (residents?.value != null) {
    const n = Math.round(residents.value);
    const year = yearOf(residents.reference_date);
    out.push({
      id: 'residents',
      de: `In ${name} leben ${digits(n, 'de')} Menschen.`,
      en: `${digits(n, 'en')} people live in ${name}.`,
      numbers: [{ indicator: residents.id, value: residents.value, shown: n }],
    });
    if (year) {
      out.push({
        id: 'residents-year',
        de: `Die Zahl ist von ${year}.`,
        en: `The number is from ${year}.`,
        numbers: [],
      });
    }
    if (residents.method === 'modelled') {
      out.push({
        id: 'residents-estimate',
        de: 'Die Zahl ist geschätzt.',
        en: 'The number is an estimate.',
        numbers: [],
      });
    }
  }

  for (const share of SHARES) {
    const value = indicator(share.indicator);
    if (value?.value == null) continue;
    const p = Math.round(value.value);
    const year = yearOf(value.reference_date);
    out.push({
      id: share.indicator,
      de: `${p} von 100 Menschen ${share.de}.`,
      en: `${p} of 100 people ${share.en}.`,
      numbers: [{ indicator: value.id, value: value.value, shown: p }],
    });
    const city = value.city;
    // The whole city beside it only for the same date: figures of different years are not compared.
    if (city.value !== null && !city.suppressed && city.reference_date === value.reference_date) {
      const c = Math.round(city.value);
      out.push({
        id: `${share.indicator}-city`,
        de: `In der ganzen Stadt sind es ${c} von 100.`,
        en: `In the whole city it is ${c} of 100.`,
        numbers: [{ indicator: value.id, value: city.value, shown: c }],
      });
    }
    if (year) {
      out.push({
        id: `${share.indicator}-year`,
        de: `Diese Zahl ist von ${year}.`,
        en: `This number is from ${year}.`,
        numbers: [],
      });
    }
  }

  let near = 0;
  let walked = 0;
  for (const wanted of NEAR) {
    const walk = indicator(`coverage_walk_${wanted.target}_${wanted.minutes}min`);
    if (walk?.value != null) {
      const p = Math.round(walk.value);
      walked++;
      out.push({
        id: walk.id,
        de: `${p} von 100 Adressen haben ${wanted.de} in ${wanted.minutes} Minuten zu Fuß.`,
        en: `${p} of 100 addresses have ${wanted.en} within ${wanted.minutes} minutes' walk.`,
        numbers: [{ indicator: walk.id, value: walk.value, shown: p }],
      });
      continue;
    }
    const radius = profile.coverage
      .find((c) => c.target === wanted.target)
      ?.radii.find((r) => r.radius_m === wanted.radius && r.value !== null && !r.suppressed);
    if (radius?.value == null) continue;
    const p = Math.round(radius.value);
    near++;
    out.push({
      id: radius.indicator_id,
      de: `${p} von 100 Adressen haben ${wanted.de} in höchstens ${wanted.radius} Metern Luftlinie.`,
      en: `${p} of 100 addresses have ${wanted.en} within ${wanted.radius} metres.`,
      numbers: [{ indicator: radius.indicator_id, value: radius.value, shown: p }],
    });
  }
  if (walked > 0) {
    out.push({
      id: 'walk-estimate',
      de: 'Die Minuten sind geschätzt.',
      en: 'The minutes are estimates.',
      numbers: [],
    });
  }
  if (near > 0) {
    out.push({
      id: 'straight-line',
      de: 'Luftlinie heißt: der gerade Weg.',
      en: 'All distances here are straight lines.',
      numbers: [],
    });
    out.push({
      id: 'straight-line-walk',
      de: 'Der Weg zu Fuß ist oft länger.',
      en: 'The way on foot is often longer.',
      numbers: [],
    });
  }
  return out;
}
