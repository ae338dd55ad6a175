import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import {
  CatalogueResponse,
  ChainResponse,
  GapsResponse,
  ProfileResponse,
  ValuesResponse,
} from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import { freshDb, realDb } from '../support/db.ts';

/**
 * Issue #9, privacy: a value of a count-based indicator that rests on fewer than MIN_COUNT addresses or
 * persons is withheld the same way in every answer that carries it: the indicator values, the area profile
 * (its indicators, coverage and education chain), the need × supply gaps and the education chain. Withheld
 * means: value null, flagged suppressed, no basis count, no class, rank or tercile, not among the gaps, and
 * not in the minimum or maximum of a classification. Which values must be withheld is read from the database
 * itself, so the test does not trust the code it checks.
 *
 * The real package has no count under 5 (its smallest area has 123 addresses); it runs with MIN_COUNT = 1600,
 * which withholds about half of the quarters and action areas. The mini city (six addresses per quarter,
 * fewer in its action areas) runs with the default of 5.
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const LEVELS = ['district', 'quarter', 'action-area'] as const;
type Level = (typeof LEVELS)[number];

interface Truth {
  countBased: string[];
  /** `${id}|${level}|${code}` of every newest value that must be withheld */
  hidden: Set<string>;
  /** the same for the newest values that must be shown */
  shown: Set<string>;
  areas: Record<Level, string[]>;
}

async function truth(db: Db, minCount: number): Promise<Truth> {
  const rows = await db.query<{ id: string; level: string; code: string; basis: number }>(
    `SELECT v.indicator_id AS id, v.level, v.area_code AS code, coalesce(v.basis_count, v.value) AS basis
     FROM atlas.indicator_value v JOIN atlas.indicator i ON i.id = v.indicator_id
     WHERE i.count_based AND v.is_latest AND v.value IS NOT NULL`,
  );
  const countBased = (
    await db.query<{ id: string }>('SELECT id FROM atlas.indicator WHERE count_based ORDER BY id')
  ).map((r) => r.id);
  const areas = Object.fromEntries(
    await Promise.all(
      LEVELS.map(async (level) => [
        level,
        (await db.query<{ code: string }>('SELECT code FROM atlas.area WHERE level = $1 ORDER BY code', [level])).map(
          (r) => r.code,
        ),
      ]),
    ),
  ) as Record<Level, string[]>;
  const hidden = new Set<string>();
  const shown = new Set<string>();
  for (const r of rows) (r.basis < minCount ? hidden : shown).add(`${r.id}|${r.level}|${r.code}`);
  return { countBased, hidden, shown, areas };
}

function scenario(name: string, open: () => Promise<Db & { drop?: () => Promise<void> }>, minCount: number) {
  describe(`${name}, MIN_COUNT ${minCount}`, () => {
    let db: Db & { drop?: () => Promise<void> };
    let app: ReturnType<typeof createApp>;
    let t: Truth;
    /** An answer, read with the schema the API documents for it (a body that does not fit fails here). */
    const get = async <S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> => {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      return schema.parse(await res.json());
    };
    const key = (id: string, level: string, code: string) => `${id}|${level}|${code}`;
    /** A withheld value as every answer must show it. */
    const expectWithheld = (
      where: string,
      v: { value: unknown; suppressed?: unknown },
      extra: Record<string, unknown> = {},
    ) => {
      expect(v.value, where).toBeNull();
      if ('suppressed' in v) expect(v.suppressed, where).toBe(true);
      for (const [k, want] of Object.entries(extra))
        expect((v as Record<string, unknown>)[k], `${where} ${k}`).toEqual(want);
    };

    beforeAll(async () => {
      db = await open();
      app = createApp({ db, env: readEnv({ MIN_COUNT: String(minCount) }) });
      t = await truth(db, minCount);
      console.log(
        `[privacy ${name}] ${t.countBased.length} count-based indicators; newest values to withhold ${t.hidden.size}, to show ${t.shown.size}`,
      );
    });
    afterAll(async () => {
      if (db?.drop) await db.drop();
      else await db?.close();
    });

    it('has count-based values on both sides of the limit', () => {
      expect(t.countBased.length).toBeGreaterThan(0);
      expect(t.hidden.size).toBeGreaterThan(0);
      expect(t.shown.size).toBeGreaterThan(0);
    });

    it('withholds them in /api/indicators/{id}/values, and keeps them out of the classification', async () => {
      const catalogue = await get('/api/indicators', CatalogueResponse);
      expect(catalogue.min_count).toBe(minCount);
      const flagged = catalogue.indicators.filter((i) => i.count_based).map((i) => i.id);
      expect(flagged.sort()).toEqual(t.countBased.filter((id) => catalogue.indicators.some((i) => i.id === id)));
      let checked = 0;
      for (const id of t.countBased)
        for (const level of LEVELS) {
          const body = await get(`/api/indicators/${id}/values?level=${level}`, ValuesResponse);
          expect(body.min_count).toBe(minCount);
          const shownValues: number[] = [];
          for (const v of body.values) {
            const k = key(id, level, v.code);
            if (t.hidden.has(k)) {
              expectWithheld(`values ${k}`, v, { basis_count: null, class: null });
              expect(v.reason, k).not.toBeNull();
              checked++;
            } else if (t.shown.has(k)) {
              expect(v.suppressed, k).toBe(false);
              expect(v.value, k).not.toBeNull();
              if (v.value !== null) shownValues.push(v.value);
            }
          }
          const c = body.classification;
          if (shownValues.length && c.min !== null) {
            expect(c.min, `${id} ${level} min`).toBeCloseTo(Math.min(...shownValues), 6);
            expect(c.max, `${id} ${level} max`).toBeCloseTo(Math.max(...shownValues), 6);
          }
        }
      expect(checked).toBeGreaterThan(0);
    });

    it('withholds them in every area profile: indicators, coverage and education chain', async () => {
      let checked = 0;
      for (const level of LEVELS) {
        const withHidden = t.areas[level].filter((code) =>
          t.countBased.some((id) => t.hidden.has(key(id, level, code))),
        );
        const others = t.areas[level].filter((code) => !withHidden.includes(code)).slice(0, 2);
        for (const code of [...withHidden.slice(0, 12), ...others]) {
          const p = await get(`/api/areas/${level}/${code}/profile`, ProfileResponse);
          expect(p.min_count).toBe(minCount);
          for (const ind of p.indicators) {
            const k = key(ind.id, level, code);
            if (t.hidden.has(k)) {
              expectWithheld(`profile ${k}`, ind, { basis_count: null, rank: null });
              checked++;
            } else if (t.shown.has(k)) expect(ind.suppressed, k).toBe(false);
          }
          for (const target of p.coverage)
            for (const r of target.radii) {
              const k = key(r.indicator_id, level, code);
              if (t.hidden.has(k)) {
                expectWithheld(`profile coverage ${k}`, r);
                checked++;
              }
            }
          for (const s of p.education_chain.stages) {
            const k = key(s.indicator_id, level, code);
            if (t.hidden.has(k)) {
              expectWithheld(`profile chain ${k}`, s, { below: null });
              expect(p.education_chain.breaks, k).not.toContain(s.stage);
              checked++;
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
    });

    it('withholds them in the need × supply gaps', async () => {
      const catalogue = await get('/api/indicators', CatalogueResponse);
      const byId = new Map(catalogue.indicators.map((i) => [i.id, i]));
      const counted = t.countBased.filter((id) => byId.has(id));
      const needs = counted.filter((id) => byId.get(id)?.direction === 'need');
      const supplies = counted.filter((id) => byId.get(id)?.direction === 'strength');
      const pairs: [string, string][] = [];
      const need = needs[0] ?? counted[0];
      const supply = supplies[0] ?? counted[1] ?? counted[0];
      if (need && supply) pairs.push([need, supply]);
      if (counted.length > 1) pairs.push([counted[counted.length - 1] as string, counted[0] as string]);
      expect(pairs.length).toBeGreaterThan(0);
      let checked = 0;
      for (const [n, s] of pairs)
        for (const level of LEVELS) {
          const g = await get(`/api/analysis/gaps?need=${n}&supply=${s}&level=${level}`, GapsResponse);
          expect(g.min_count).toBe(minCount);
          const check = (area: z.infer<typeof GapsResponse>['areas'][number], lvl: string, where: string) => {
            for (const [side, id] of [
              ['need', n],
              ['supply', s],
            ] as const) {
              if (!t.hidden.has(key(id, lvl, area.code))) continue;
              expect(area[side], `${where} ${side} ${id} ${area.code}`).toBeNull();
              expect(area[`${side}_tercile`], `${where} ${side} ${id} ${area.code}`).toBeNull();
              expect(area.cell, `${where} ${area.code}`).toBeNull();
              checked++;
            }
          };
          for (const a of g.areas) check(a, level, `gaps ${level}`);
          for (const a of g.action_areas.areas) check(a, 'action-area', 'gaps action areas');
          for (const gap of g.gaps) {
            expect(t.hidden.has(key(n, level, gap.code)), `gap ${gap.code}`).toBe(false);
            expect(t.hidden.has(key(s, level, gap.code)), `gap ${gap.code}`).toBe(false);
          }
          // The action-area comparison is made from the quarters' values: withheld ones are left out.
          for (const [side, id] of [
            ['need', n],
            ['supply', s],
          ] as const) {
            const without = new Set(g.action_areas.comparison[side].quarters_without_value);
            for (const q of t.areas.quarter)
              if (t.hidden.has(key(id, 'quarter', q))) expect(without.has(q), `comparison ${side} ${q}`).toBe(true);
          }
        }
      expect(checked).toBeGreaterThan(0);
    });

    it('withholds them in the education chain', async () => {
      let checked = 0;
      for (const level of LEVELS) {
        const chain = await get(`/api/analysis/education-chain?level=${level}`, ChainResponse);
        const indicatorOf = new Map<string, string>(chain.stages.map((s) => [s.stage, s.indicator_id]));
        // Every area with a withheld stage is listed, and shows it withheld.
        const listed = new Set(chain.areas.map((a) => a.code));
        for (const code of t.areas[level])
          for (const id of indicatorOf.values())
            if (t.hidden.has(key(id, level, code))) expect(listed.has(code), `chain ${level} ${code}`).toBe(true);
        for (const area of chain.areas)
          for (const s of area.stages) {
            const k = key(indicatorOf.get(s.stage) as string, level, area.code);
            if (t.hidden.has(k)) {
              expectWithheld(`chain ${k}`, s, { below: null });
              expect(area.breaks, k).not.toContain(s.stage);
              checked++;
            } else if (t.shown.has(k)) expect(s.suppressed, k).toBe(false);
          }
      }
      const chainHidden = [...t.hidden].filter((k) => k.startsWith('coverage_') || k.startsWith('chain_'));
      if (chainHidden.length) expect(checked).toBeGreaterThan(0);
    });
  });
}

scenario('the real package on PostgreSQL', () => realDb('postgres'), 1600);

scenario(
  'the mini city on PGlite',
  async () => {
    const db = await freshDb('pglite');
    const dir = mkdtempSync(join(tmpdir(), 'mini-privacy-'));
    cpSync(MINI, dir, { recursive: true });
    try {
      await runImport(db, { dir, log: () => {} });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return db;
  },
  5,
);
