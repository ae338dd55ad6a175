import { Hono } from 'hono';
import { z } from 'zod';
import { INDICATOR_METHODS, METHOD_TEXT, rankAmong, themeLabel, type ValueLevel } from '../domain/indicators.ts';
import { ProfileResponse, ValueLevelSchema } from '../domain/indicators-schema.ts';
import { type Catalogue, type LatestRow, readArea, readMembership } from '../domain/indicators-store.ts';
import { perDataVersion, requireDataVersion } from '../http/cached.ts';
import { notFound } from '../http/problem.ts';
import { documentRoute, queryNumber, validateParams, validateQuery } from '../http/validate.ts';
import { ChainQuery, chainOfArea, chainStages, DEFAULT_THRESHOLD, latestStore, shownLatest } from './analysis.ts';
import { catalogueStore, type IndicatorDeps, jsonWithEtag, sourceRef } from './indicators.ts';

/**
 * /api/areas/:level/:code/profile: the fact sheet of one area. Every indicator with a value at the area's level
 * (value, city value, rank among the areas of the level, date, source, method), offers by category, coverage,
 * action-area membership and the education chain.
 */

export const ProfileParams = z.strictObject({
  level: ValueLevelSchema,
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be an area code: lower-case letters, digits and hyphens')
    .describe("The official code as text: '05' (district), '050' (quarter), '022' (action area)"),
});

export const ProfileQuery = z.strictObject({
  threshold: queryNumber(z.number().min(0).max(100).default(DEFAULT_THRESHOLD)).describe(
    ChainQuery.shape.threshold.description ?? 'Education chain: the share (%) under which a stage breaks',
  ),
});

documentRoute({
  method: 'get',
  path: '/api/areas/:level/:code/profile',
  tag: 'areas',
  summary: 'The fact sheet of one area: indicators, offers, coverage, action areas, education chain',
  description:
    'Every indicator that has values at the area’s level, with the area’s value (null with the reason when ' +
    'missing or withheld), the city value, the rank among the areas of the level (1 = highest), reference date, ' +
    'source and method. Count-based values resting on fewer than min_count addresses or persons are withheld.',
  params: ProfileParams,
  query: ProfileQuery,
  response: { description: 'The fact sheet', schema: ProfileResponse },
  example: '/api/areas/quarter/050/profile',
  errors: [
    { status: 404, description: 'No area of that level has this code' },
    { status: 503, description: 'No data imported yet' },
  ],
});

const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

export function profileRoutes({ db, minCount }: IndicatorDeps) {
  const catalogue = catalogueStore(db);
  const latest = latestStore(db);
  const memberships = perDataVersion<string, Awaited<ReturnType<typeof readMembership>>>(db, (key) => {
    const [level, code] = key.split('|') as [ValueLevel, string];
    return readMembership(db, level, code);
  });

  function cityValue(city: Map<string, Map<string, LatestRow>>, id: string, cat: Catalogue) {
    const ind = cat.byId.get(id);
    const code = [...(city.get(id)?.keys() ?? [])][0];
    if (!ind || code === undefined) return { value: null, reference_date: null, suppressed: false };
    const v = shownLatest(city, ind, code, cat, minCount);
    return { value: v.value, reference_date: v.reference_date, suppressed: v.suppressed };
  }

  return new Hono().get(
    '/:level/:code/profile',
    validateParams(ProfileParams),
    validateQuery(ProfileQuery),
    async (c) => {
      const { level, code } = c.req.valid('param');
      const { threshold } = c.req.valid('query');
      const version = await requireDataVersion(db);
      const area = await readArea(db, level, code);
      if (!area) throw notFound(`No ${level} with code ${code}`);
      const cat = await catalogue();
      const [atLevel, city] = await Promise.all([latest(level), latest('city')]);

      const indicators = cat.indicators
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
            city: cityValue(city, ind.id, cat),
            rank: rankAmong(shown.value, peers),
          };
        });
      const byId = new Map(indicators.map((i) => [i.id, i]));

      const offers = new Map<string, z.infer<typeof ProfileResponse>['offers'][number]>();
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

      const coverage = new Map<string, z.infer<typeof ProfileResponse>['coverage'][number]>();
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
          city_value: cityValue(city, f.indicator_id, cat).value,
        });
      }
      for (const entry of coverage.values()) entry.radii.sort((a, b) => a.radius_m - b.radius_m);

      const members = (await memberships.get(`${level}|${code}`)).value;
      const stages = chainStages(cat);
      const chain = chainOfArea(stages, atLevel, code, threshold, cat, minCount);

      const body: z.infer<typeof ProfileResponse> = {
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
        offers: [...offers.values()],
        coverage: [...coverage.values()],
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
          threshold,
          stages: stages.map((s, i) => ({
            stage: s.stage,
            label: s.label,
            radius_m: s.radius_m,
            indicator_id: s.indicator.id,
            parent: s.parent,
            value: chain.values[i]?.value ?? null,
            suppressed: chain.values[i]?.suppressed ?? false,
            below: chain.values[i]?.below ?? null,
            city_value: cityValue(city, s.indicator.id, cat).value,
          })),
          breaks: chain.breaks,
        },
      };
      return jsonWithEtag(c, version, body);
    },
  );
}
