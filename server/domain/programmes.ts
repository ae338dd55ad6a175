/**
 * Programmes (issue 21): the `programme` column of the city's offer lists groups offers across categories (a talent
 * programme at several schools, a language-course programme in several centres). Pure: the offers come from
 * db/queries/programmes.ts; here they are grouped by programme, and one programme by quarter and action area.
 */
import type { OfferPlace } from '../db/queries/offers.ts';
import { fold } from './search-key.ts';

/** One offer of a programme, as read from atlas (public lists only: no other reaches it). */
export interface ProgrammeOfferRow extends OfferPlace {
  id: string;
  name: string | null;
  category: string;
  programme: string;
  list: { id: string; version: number; title: string; date: string };
}

/** A programme's id in addresses: its name folded (umlauts spelt out), runs of other characters as one dash. */
export function programmeId(name: string): string {
  return fold(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

type ListRef = { id: string; title: string; date: string };

function listsOf(rows: readonly ProgrammeOfferRow[]): ListRef[] {
  const lists = new Map<string, ListRef>();
  for (const r of rows) lists.set(r.list.id, { id: r.list.id, title: r.list.title, date: r.list.date });
  return [...lists.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Offers grouped by programme id (the name as most of its offers spell it), ordered by name. */
function byProgramme(rows: readonly ProgrammeOfferRow[]): Map<string, ProgrammeOfferRow[]> {
  const groups = new Map<string, ProgrammeOfferRow[]>();
  for (const r of rows) {
    const id = programmeId(r.programme);
    if (!id) continue;
    const group = groups.get(id) ?? [];
    group.push(r);
    groups.set(id, group);
  }
  return groups;
}

function nameOf(rows: readonly ProgrammeOfferRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.programme, (counts.get(r.programme) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

/** Every programme with its number of offers, quarters, categories and lists, by name. */
export function listProgrammes(rows: readonly ProgrammeOfferRow[]) {
  return [...byProgramme(rows)]
    .map(([id, group]) => ({
      id,
      name: nameOf(group),
      offers: group.length,
      quarters: new Set(group.map((r) => r.quarter_code)).size,
      categories: [...new Set(group.map((r) => r.category))].sort(),
      lists: listsOf(group),
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'de') || a.id.localeCompare(b.id));
}

const r5 = (x: number) => Math.round(x * 1e5) / 1e5;

/** One programme: its offers, where it runs by quarter and by action area, and its lists; null when there is none. */
export function programmeDetail(rows: readonly ProgrammeOfferRow[], id: string) {
  const group = byProgramme(rows).get(id);
  if (!group) return null;
  const sorted = [...group].sort((a, b) => a.id.localeCompare(b.id));
  const quarters = new Map<
    string,
    { code: string; name: string; district: { code: string; name: string }; offers: number }
  >();
  const actionAreas = new Map<string, { code: string; name: string; offers: number }>();
  let outside = 0;
  for (const r of sorted) {
    const q = quarters.get(r.quarter_code) ?? {
      code: r.quarter_code,
      name: r.quarter_name,
      district: { code: r.district_code, name: r.district_name },
      offers: 0,
    };
    q.offers += 1;
    quarters.set(r.quarter_code, q);
    if (r.action_area_code) {
      const a = actionAreas.get(r.action_area_code) ?? {
        code: r.action_area_code,
        name: r.action_area_name ?? r.action_area_code,
        offers: 0,
      };
      a.offers += 1;
      actionAreas.set(r.action_area_code, a);
    } else outside += 1;
  }
  const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
  return {
    id,
    name: nameOf(group),
    offers: sorted.map((r) => ({
      id: r.id,
      name: r.name,
      category: r.category,
      point: [r5(r.lon), r5(r.lat)] as [number, number],
      quarter: { code: r.quarter_code, name: r.quarter_name },
      action_area: r.action_area_code ? { code: r.action_area_code, name: r.action_area_name ?? '' } : null,
      list: r.list.id,
    })),
    quarters: [...quarters.values()].sort(byCode),
    action_areas: [...actionAreas.values()].sort(byCode),
    outside_action_areas: outside,
    lists: listsOf(group),
  };
}
