import type { Catalogue, CatalogueIndicator } from './api/client.ts';

/**
 * Finding an indicator by what it stands for: a search matches the titles, the theme, the id and the catalogue's
 * search words in German and English ("Kinderarmut" finds the school social index); a search that names a topic
 * the data lack per area gets the catalogue's note on it with the nearest proxies; an indicator with values for
 * fewer than half of the areas of a level is marked with its coverage. Pure functions over the catalogue.
 */

export type MissingTopic = Catalogue['missing_topics'][number];
type Level = CatalogueIndicator['coverage'][number]['level'];

/** Lower case without accents, "ß" as "ss": what a search compares. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
}

function words(query: string): string[] {
  return fold(query).split(/\s+/).filter(Boolean);
}

/** German umlauts as written without them: "Bürgergeld" is found as "Buergergeld" too. */
function spelledOut(text: string): string {
  return text.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue');
}

/** Every word of the query is part of one of the texts (case and accents do not matter); an empty query matches. */
function matchesAll(query: string, texts: readonly string[]): boolean {
  const joined = texts.join(' \u0000 ');
  const hay = `${fold(joined)} \u0000 ${fold(spelledOut(joined))}`;
  return words(query).every((w) => hay.includes(w));
}

/** Whether the indicator answers the search: by title, theme, id or search words, in German or English. */
export function matchIndicator(
  query: string,
  indicator: Pick<CatalogueIndicator, 'id' | 'title' | 'theme_label'> & { keywords?: CatalogueIndicator['keywords'] },
): boolean {
  const { id, title, theme_label, keywords } = indicator;
  return matchesAll(query, [
    title.de,
    title.en,
    theme_label.de,
    theme_label.en,
    id,
    ...(keywords?.de ?? []),
    ...(keywords?.en ?? []),
  ]);
}

/** The topics the data lack that a (non-empty) search names, each with its proxies. */
export function missingTopicsFor(query: string, topics: readonly MissingTopic[]): MissingTopic[] {
  if (words(query).length === 0) return [];
  return topics.filter((t) => matchesAll(query, [t.topic.de, t.topic.en, ...t.keywords.de, ...t.keywords.en]));
}

/** The coverage of an indicator at a level when fewer than half of its areas have a value; else null. */
export function sparseCoverage(
  indicator: Pick<CatalogueIndicator, 'coverage'>,
  level: Level,
): { with_value: number; of: number } | null {
  const c = indicator.coverage?.find((x) => x.level === level);
  if (!c || c.of === 0 || c.with_value * 2 >= c.of) return null;
  return { with_value: c.with_value, of: c.of };
}
