import { describe, expect, it } from 'vitest';
import type { Profile } from '../api/client.ts';
import { problems } from './rules.ts';
import { plainSummary } from './summary.ts';
import { FINDER_EXPLAINED } from './texts.ts';

/** The easy-read texts and the generated summaries held to the rules of Leichte Sprache (issue 19, rules.ts). */

describe('the rules check itself', () => {
  it('finds what breaks the rules', () => {
    expect(problems('Die Kita wird von der Stadt betrieben.', 'de')).toContain('passive voice');
    expect(problems('Es gibt zwei Kitas.', 'de')).toContain('a number written as a word');
    expect(problems('Die Kita ist nah, aber die Schule ist weit.', 'de')).toContain('two statements joined');
    expect(problems('Wir wissen, dass die Kita nah ist.', 'de')).toContain('a subordinate clause');
    expect(problems('The offer was closed.', 'en')).toContain('passive voice');
    expect(
      problems('Dies ist ein sehr langer Satz mit viel zu vielen Wörtern für eine Zeile Leichte Sprache.', 'de'),
    ).not.toEqual([]);
    expect(problems('Die Suche kostet nichts.', 'de')).toEqual([]);
  });
});

describe('the easy-read page', () => {
  it('keeps every line in German and English to the rules', () => {
    for (const section of FINDER_EXPLAINED) {
      for (const line of section.lines) {
        expect(problems(line.de, 'de'), line.de).toEqual([]);
        expect(problems(line.en, 'en'), line.en).toEqual([]);
      }
    }
  });
});

/** A profile as the API gives it, with only the parts the summary reads filled in. */
function profileWith(parts: {
  indicators?: Partial<Profile['indicators'][number]>[];
  coverage?: Profile['coverage'];
}): Profile {
  const indicator = (p: Partial<Profile['indicators'][number]>) =>
    ({
      value: null,
      suppressed: false,
      reference_date: null,
      method: 'published',
      city: { value: null, reference_date: null, suppressed: false },
      ...p,
    }) as Profile['indicators'][number];
  return {
    area: { level: 'quarter', code: '050', name: 'Nordmarkt', numbered: true, parent: null, area_km2: 1 },
    indicators: (parts.indicators ?? []).map(indicator),
    coverage: parts.coverage ?? [],
  } as unknown as Profile;
}

const radius = (radius_m: number, value: number | null, suppressed = false) => ({
  radius_m,
  indicator_id: `coverage_x_${radius_m}m`,
  value,
  suppressed,
  city_value: null,
});

describe('plainSummary', () => {
  const profile = profileWith({
    indicators: [
      { id: 'residents', value: 16175.4, reference_date: '2023-12-31', method: 'modelled' },
      {
        id: 'under18_share_pct',
        value: 21.6,
        reference_date: '2022-12-31',
        city: { value: 17.2, reference_date: '2022-12-31', suppressed: false },
      },
      {
        id: 'age65plus_share_pct',
        value: 18.7,
        reference_date: '2018',
        city: { value: 20.2, reference_date: '2022-12-31', suppressed: false },
      },
    ],
    coverage: [
      { target: 'childcare', label: { de: 'Kita', en: 'childcare' }, radii: [radius(300, 55), radius(500, 91.016)] },
      { target: 'playground', label: { de: 'Spielplatz', en: 'playground' }, radii: [radius(300, null)] },
      { target: 'transit', label: { de: 'Haltestelle', en: 'stop' }, radii: [radius(300, 40, true)] },
    ] as Profile['coverage'],
  });
  const sentences = plainSummary(profile);

  it('says what the profile holds, each number rounded as written', () => {
    const byId = new Map(sentences.map((s) => [s.id, s]));
    expect(byId.get('residents')?.de).toBe('In Nordmarkt leben 16.175 Menschen.');
    expect(byId.get('residents')?.en).toBe('16,175 people live in Nordmarkt.');
    expect(byId.get('residents-year')?.de).toBe('Die Zahl ist von 2023.');
    expect(byId.get('residents-estimate')?.de).toBe('Die Zahl ist geschätzt.');
    expect(byId.get('under18_share_pct')?.de).toBe('22 von 100 Menschen sind jünger als 18 Jahre.');
    expect(byId.get('under18_share_pct-city')?.de).toBe('In der ganzen Stadt sind es 17 von 100.');
    expect(byId.get('coverage_x_500m')?.de).toBe(
      '91 von 100 Adressen haben eine Kita in höchstens 500 Metern Luftlinie.',
    );
    expect(byId.get('straight-line')?.de).toBe('Luftlinie heißt: der gerade Weg.');
  });

  it('speaks of minutes on foot where the profile has walking indicators, of straight lines where not', () => {
    const walking = plainSummary(
      profileWith({
        indicators: [{ id: 'coverage_walk_childcare_5min', value: 87.4, reference_date: '2018/2020' }],
        coverage: [
          { target: 'childcare', label: { de: 'Kita', en: 'childcare' }, radii: [radius(500, 91)] },
          { target: 'playground', label: { de: 'Spielplatz', en: 'playground' }, radii: [radius(300, 80)] },
        ] as Profile['coverage'],
      }),
    );
    const byId = new Map(walking.map((s) => [s.id, s]));
    expect(byId.get('coverage_walk_childcare_5min')?.de).toBe(
      '87 von 100 Adressen haben eine Kita in 5 Minuten zu Fuß.',
    );
    expect(byId.has('coverage_x_500m')).toBe(false); // the childcare walk replaces its straight line
    expect(byId.get('coverage_x_300m')?.de).toContain('Luftlinie'); // the playground has no walk here
    expect(byId.has('walk-estimate')).toBe(true);
    for (const s of walking) expect(problems(s.en, 'en'), s.en).toEqual([]);
  });

  it('leaves out what is missing or suppressed, and compares with the city only for the same date', () => {
    const ids = sentences.map((s) => s.id);
    expect(ids).not.toContain('age65plus_share_pct-city'); // 2018 beside the city's 2022: not compared
    expect(ids.filter((id) => id.startsWith('coverage_'))).toEqual(['coverage_x_500m']); // playground null, stop suppressed
    expect(plainSummary(profileWith({}))).toEqual([]);
  });

  it('writes every number it shows as the API’s value rounded, and keeps every sentence to the rules', () => {
    for (const s of sentences) {
      for (const n of s.numbers) expect(n.shown).toBe(Math.round(n.value));
      const shown = s.numbers.map((n) => n.shown);
      const inText = (text: string) =>
        [...text.matchAll(/\d[\d.,]*/g)].map((m) => Number(m[0].replace(/[.,](?=\d{3}\b)/g, '')));
      // Every number of the sentence is one the API gave (or a radius or year the sentence names).
      for (const number of inText(s.de)) {
        expect([...shown, 100, 300, 500, 18, 65, 2018, 2022, 2023]).toContain(number);
      }
      expect(problems(s.de, 'de'), s.de).toEqual([]);
      expect(problems(s.en, 'en'), s.en).toEqual([]);
    }
  });
});
