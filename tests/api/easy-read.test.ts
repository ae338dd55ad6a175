import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { ProfileResponse } from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import type { AreaCollection } from '../../web/api/client.ts';
import { problems } from '../../web/easy-read/rules.ts';
import { plainSummary } from '../../web/easy-read/summary.ts';
import { onePackageEngine, realDb } from '../support/db.ts';

type Profile = ReturnType<typeof ProfileResponse.parse>;

/**
 * The plain-language summary of every statistical district of the real package (issue 19, /leichte-sprache): every
 * number it writes is the API's value, rounded as the sentence says (looked up here by indicator in the profile,
 * apart from the generator); nothing missing or suppressed is written; every sentence keeps the rules of Leichte
 * Sprache. The summary depends on the API's values, not on the engine: one engine.
 */
describe.each(onePackageEngine)('plain-language summaries of the real districts (%s)', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const profiles: Profile[] = [];

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
    const res = await app.request('/api/areas?level=quarter');
    const quarters = (await res.json()) as AreaCollection;
    for (const f of quarters.features) {
      const answer = await app.request(`/api/areas/quarter/${f.properties.code}/profile`);
      expect(answer.status).toBe(200);
      profiles.push(ProfileResponse.parse(await answer.json()));
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  /** The API's value behind an indicator id: an indicator's, or a coverage radius's. */
  function apiValue(p: Profile, id: string): { value: number | null; suppressed: boolean } | null {
    const indicator = p.indicators.find((i) => i.id === id);
    if (indicator) return indicator;
    for (const c of p.coverage) {
      const radius = c.radii.find((r) => r.indicator_id === id);
      if (radius) return radius;
    }
    return null;
  }

  it('writes only the API’s values, rounded as written, for every district', () => {
    expect(profiles.length).toBeGreaterThan(0);
    let numbers = 0;
    for (const p of profiles) {
      for (const s of plainSummary(p)) {
        for (const n of s.numbers) {
          const source = apiValue(p, n.indicator);
          expect(source, `${p.area.code} ${s.id}`).not.toBeNull();
          const city = p.indicators.find((i) => i.id === n.indicator)?.city;
          // A number is the area's value or, in the city sentence, the city's.
          const value = s.id.endsWith('-city') ? city?.value : source?.value;
          expect(n.value, `${p.area.code} ${s.id}`).toBe(value);
          expect(n.shown).toBe(Math.round(n.value));
          expect(s.de).toContain(new Intl.NumberFormat('de-DE').format(n.shown));
          expect(s.en).toContain(new Intl.NumberFormat('en-GB').format(n.shown));
          numbers++;
        }
      }
    }
    expect(numbers).toBeGreaterThan(profiles.length);
  });

  it('leaves out what the API does not give, and keeps every sentence to the rules', () => {
    for (const p of profiles) {
      const sentences = plainSummary(p);
      const ids = new Set(sentences.map((s) => s.id));
      // Minutes on foot wherever the API has them (the walking network), never a guess where it has none.
      for (const id of [
        'residents',
        'under18_share_pct',
        'age65plus_share_pct',
        'coverage_walk_childcare_5min',
        'coverage_walk_transit_5min',
      ]) {
        const v = apiValue(p, id);
        expect(ids.has(id), `${p.area.code} ${id}`).toBe(v !== null && v.value !== null && !v.suppressed);
      }
      for (const s of sentences) {
        expect(problems(s.de, 'de'), s.de).toEqual([]);
        expect(problems(s.en, 'en'), s.en).toEqual([]);
      }
    }
  });
});
