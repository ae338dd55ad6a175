/**
 * Twins: an OpenStreetMap point that stands for an offer the official list already has, under another spelling
 * and a few metres away ("Nordmarkt-Grundschule" beside "Nordmarktschule"). Pure functions; the manifest says
 * which words are generic and how near and how alike two names must be.
 */
import { fold } from '../server/domain/search-key.ts';

export interface TwinRules {
  /** A twin whose distinctive name is alike (minSimilarity), or that is a part of a site (partPattern), lies within this. */
  maxM: number;
  /**
   * Trigram similarity (0–1) of the distinctive names that makes two points within maxM one offer; the share of
   * the official name held in the OSM name (inclusion) counts as well.
   */
  minSimilarity: number;
  /** Farther away, up to sameNameM, only a near-identical name (sameNameSimilarity) makes a twin: another building. */
  sameNameSimilarity: number;
  sameNameM: number;
  /** Words that say what kind of place it is, not which one; also stripped from the end of compounds. */
  genericWords: string[];
  /** A name that marks a part of a site (a school yard, a campus): a twin of the best official point within maxM. */
  partPattern?: string | undefined;
}

export interface Place {
  name: string | null;
  /** Further names the official record is known by (a second name line), compared as well. */
  otherNames?: string[];
  lon: number;
  lat: number;
}

/** The generic words folded, longest first, once per list (the import asks for them for every pair it compares). */
const foldedLists = new WeakMap<string[], { generic: string[]; set: Set<string> }>();
function foldedGeneric(genericWords: string[]): { generic: string[]; set: Set<string> } {
  let folded = foldedLists.get(genericWords);
  if (!folded) {
    const generic = [...new Set(genericWords.map(fold))].sort((a, b) => b.length - a.length);
    folded = { generic, set: new Set(generic) };
    foldedLists.set(genericWords, folded);
  }
  return folded;
}

/**
 * The distinctive part of a name: folded words without the generic ones, and a generic word at the end of a
 * compound cut off ("Nordmarktschule" → "nordmarkt", "Nordmarkt-Grundschule" → "nordmarkt").
 */
export function distinctiveName(name: string | null, genericWords: string[]): string {
  const { generic, set } = foldedGeneric(genericWords);
  const words: string[] = [];
  for (const raw of fold(name ?? '').split(/[^a-z0-9]+/)) {
    if (!raw || set.has(raw)) continue;
    const suffix = generic.find((g) => g.length >= 6 && raw.length >= g.length + 3 && raw.endsWith(g));
    const word = suffix ? raw.slice(0, -suffix.length) : raw;
    if (word.length > 1 && !set.has(word)) words.push(word);
  }
  return words.join(' ');
}

/** pg_trgm's trigrams: each word padded with two spaces before and one after. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.split(/[^a-z0-9]+/)) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/** pg_trgm's similarity(): shared trigrams over all trigrams of both. 0 when either is empty. */
export function similarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/**
 * How much of one name the other holds: the share of a's trigrams found in b ("Leibniz Gymnasium | Dortmund
 * International School" holds all of "Leibniz-Gymnasium"). Names shorter than five letters are too unspecific
 * for this and give 0.
 */
export function inclusion(a: string, b: string): number {
  if (a.replace(/[^a-z0-9]/g, '').length < 5) return 0;
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / ta.size;
}

/** Metres between two points on a sphere of the mean earth radius (within 0.5 % of the ellipsoid here). */
export function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

export interface TwinMatch<T> {
  official: T;
  metres: number;
  similarity: number;
  /** why: alike names near each other, the same name farther away, a part of a site, or an unnamed point. */
  why: 'alike' | 'same-name' | 'part' | 'unnamed';
}

/**
 * The official record an OSM point is the twin of, or null. Among the candidates the most alike name wins,
 * then the nearest; an unnamed point or a part of a site (partPattern) is the twin of the nearest within maxM.
 */
export function findTwin<T extends Place>(osm: Place, officials: T[], rules: TwinRules): TwinMatch<T> | null {
  const own = distinctiveName(osm.name, rules.genericWords);
  const part = Boolean(osm.name && rules.partPattern && new RegExp(rules.partPattern, 'i').test(osm.name));
  let best: TwinMatch<T> | null = null;
  for (const x of officials) {
    const d = metres(osm, x);
    if (d > Math.max(rules.maxM, rules.sameNameM)) continue;
    // "Städt. Gem. Grundschule" + "Kleine Kielstraße": the second line can carry the distinctive part, but alone
    // it is often only the place ("Städt. Gem. Grundschule Bövinghausen"): near by it counts, farther away not.
    const first = distinctiveName(x.name, rules.genericWords);
    const joined = distinctiveName([x.name, ...(x.otherNames ?? [])].join(' '), rules.genericWords);
    const others = (x.otherNames ?? []).map((n) => distinctiveName(n, rules.genericWords));
    const sameName = Math.max(similarity(own, first), similarity(own, joined));
    const alike = Math.max(
      sameName,
      ...[first, joined, ...others].map((n) => Math.max(similarity(own, n), inclusion(n, own), inclusion(own, n))),
    );
    const sim = d <= rules.maxM ? alike : sameName;
    let why: TwinMatch<T>['why'] | null = null;
    if (d <= rules.maxM && alike >= rules.minSimilarity) why = 'alike';
    else if (d <= rules.sameNameM && sameName >= rules.sameNameSimilarity) why = 'same-name';
    else if (d <= rules.maxM && (!own || part)) why = own ? 'part' : 'unnamed';
    if (!why) continue;
    const match: TwinMatch<T> = { official: x, metres: d, similarity: sim, why };
    if (!best || outranks(match, best)) best = match;
  }
  return best;
}

/** A named match beats a part or an unnamed point; then the more alike name, then the nearer point. */
function outranks(a: TwinMatch<unknown>, b: TwinMatch<unknown>): boolean {
  const named = (m: TwinMatch<unknown>) => (m.why === 'alike' || m.why === 'same-name' ? 1 : 0);
  if (named(a) !== named(b)) return named(a) > named(b);
  if (a.similarity !== b.similarity) return a.similarity > b.similarity;
  return a.metres < b.metres;
}
