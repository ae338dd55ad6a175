import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDataDoc, type DataDocFacts, renderDataDoc } from '../../geodata/data-doc.ts';
import type { Db } from '../../server/db/index.ts';
import { packageEngines, realDb } from '../support/db.ts';

const DATA_MD = join(import.meta.dirname, '../../DATA.md');

describe.each(packageEngines)('DATA.md from the real package imported on %s', (engine) => {
  let db: Db;
  let facts: DataDocFacts;
  beforeAll(async () => {
    db = await realDb(engine);
    facts = await collectDataDoc(db);
  });
  afterAll(() => db?.close());

  it('is exactly what `npm run data-doc` writes from the imported data (never edited by hand)', () => {
    // When this fails after a change to the data, the importer or the derive SQL: `npm run import && npm run data-doc`.
    expect(readFileSync(DATA_MD, 'utf8'), 'DATA.md is stale: run npm run import && npm run data-doc').toBe(
      renderDataDoc(facts),
    );
  });

  it('lists every indicator with coverage, dates, sources and the method note the app shows', async () => {
    const ids = await db.query<{ id: string; note: string }>(
      "SELECT id, method_note ->> 'en' AS note FROM atlas.indicator ORDER BY id",
    );
    expect(facts.indicators.map((i) => i.id).sort()).toEqual(ids.map((i) => i.id));
    const doc = renderDataDoc(facts);
    for (const i of ids) {
      expect(doc).toContain(`\`${i.id}\``);
      expect(doc).toContain(i.note);
    }
    const residents = facts.indicators.find((i) => i.id === 'residents');
    expect(residents?.coverage.find((c) => c.level === 'quarter')).toEqual({ level: 'quarter', withValue: 62, of: 62 });
    expect(residents?.valueMethods.map((m) => m.method)).toEqual(expect.arrayContaining(['modelled', 'published']));
    const categories = await db.query<{ code: string; n: number }>(
      'SELECT c.code, count(o.id)::int AS n FROM atlas.category c LEFT JOIN atlas.offer o ON o.category = c.code GROUP BY c.code',
    );
    for (const c of categories) expect(facts.categories.find((x) => x.code === c.code)?.offers, c.code).toBe(c.n);
  });
});
