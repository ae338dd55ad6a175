/** The controlled vocabulary of offers, the same for every city, with labels in the app's four languages. */
export interface Category {
  code: string;
  labels: { de: string; en: string; tr: string; ar: string };
}

export const CATEGORIES: Category[] = [
  { code: 'childcare', labels: { de: 'Kita', en: 'Childcare', tr: 'Kreş', ar: 'رعاية الأطفال' } },
  { code: 'school', labels: { de: 'Schule', en: 'School', tr: 'Okul', ar: 'مدرسة' } },
  { code: 'youth', labels: { de: 'Jugend', en: 'Youth', tr: 'Gençlik', ar: 'الشباب' } },
  { code: 'family', labels: { de: 'Familie', en: 'Family', tr: 'Aile', ar: 'الأسرة' } },
  { code: 'seniors', labels: { de: 'Senioren', en: 'Seniors', tr: 'Yaşlılar', ar: 'كبار السن' } },
  { code: 'library', labels: { de: 'Bibliothek', en: 'Library', tr: 'Kütüphane', ar: 'مكتبة' } },
  { code: 'community', labels: { de: 'Treffpunkt', en: 'Community centre', tr: 'Toplum merkezi', ar: 'مركز مجتمعي' } },
  { code: 'health', labels: { de: 'Gesundheit', en: 'Health', tr: 'Sağlık', ar: 'الصحة' } },
  { code: 'sport', labels: { de: 'Sport', en: 'Sport', tr: 'Spor', ar: 'الرياضة' } },
  { code: 'playground', labels: { de: 'Spielplatz', en: 'Playground', tr: 'Oyun parkı', ar: 'ملعب أطفال' } },
  { code: 'culture', labels: { de: 'Kultur', en: 'Culture', tr: 'Kültür', ar: 'الثقافة' } },
  { code: 'worship', labels: { de: 'Religion', en: 'Worship', tr: 'İbadet', ar: 'دور العبادة' } },
  { code: 'transit', labels: { de: 'Haltestelle', en: 'Public transport', tr: 'Toplu taşıma', ar: 'النقل العام' } },
  {
    code: 'higher-education',
    labels: { de: 'Hochschule', en: 'Higher education', tr: 'Yükseköğretim', ar: 'التعليم العالي' },
  },
  { code: 'administration', labels: { de: 'Verwaltung', en: 'Administration', tr: 'Yönetim', ar: 'الإدارة' } },
  { code: 'safety', labels: { de: 'Sicherheit', en: 'Safety', tr: 'Güvenlik', ar: 'السلامة' } },
  { code: 'post', labels: { de: 'Post', en: 'Post office', tr: 'Postane', ar: 'مكتب البريد' } },
];

export const CATEGORY_CODES = new Set(CATEGORIES.map((c) => c.code));

/**
 * A tag rule of the manifest's "osm" section. The first rule whose conditions all hold decides: a category (and
 * subcategory), or null, which means the point is not an offer at all (a car park, a pumping station); `reason`
 * says why the rule exists. Conditions: OpenMapTiles class and subclass, a name pattern (case-insensitive), or
 * explicit OSM elements ("way/123").
 */
export interface OsmRule {
  class?: string | undefined;
  subclass?: string | undefined;
  namePattern?: string | undefined;
  osm?: string[] | undefined;
  category: string | null;
  subcategory?: string | undefined;
  /** A finer kind within the subcategory (a doctor's field: "general", "paediatrics"), kept in attrs.speciality. */
  speciality?: string | undefined;
  reason?: string | undefined;
}

export interface OsmPoint {
  name: string | null;
  class: string;
  subclass: string | null;
  /** The package's own category of the point (OpenMapTiles grouping), mapped through the manifest's "categories". */
  packageCategory: string;
  /** "node/123", "way/456", "relation/789" */
  element: string;
}

export type Categorized =
  | { category: string; subcategory: string; speciality?: string; rule: number | null; reason: string | null }
  | { category: null; subcategory: null; rule: number; reason: string };

/** Compiled once: the rules with their name patterns. */
export function compileRules(rules: OsmRule[]): (OsmRule & { pattern: RegExp | null; index: number })[] {
  return rules.map((r, index) => ({ ...r, index, pattern: r.namePattern ? new RegExp(r.namePattern, 'iu') : null }));
}

/** What a point is: the first rule that matches, else the package category mapped by the manifest (null: unmapped). */
export function categorize(
  p: OsmPoint,
  rules: ReturnType<typeof compileRules>,
  mapping: Record<string, string>,
): Categorized | undefined {
  const rule = rules.find(
    (r) =>
      (!r.class || r.class === p.class) &&
      (!r.subclass || r.subclass === p.subclass) &&
      (!r.pattern || (p.name !== null && r.pattern.test(p.name))) &&
      (!r.osm || r.osm.includes(p.element)),
  );
  if (rule && rule.category === null)
    return { category: null, subcategory: null, rule: rule.index, reason: rule.reason ?? 'not an offer' };
  const category = rule?.category ?? mapping[p.packageCategory];
  if (!category) return undefined;
  return {
    category,
    subcategory: rule?.subcategory ?? p.subclass ?? p.class,
    ...(rule?.speciality ? { speciality: rule.speciality } : {}),
    rule: rule?.index ?? null,
    reason: rule?.reason ?? null,
  };
}

export interface Text2 {
  de: string;
  en: string;
}

export interface CompletenessRules {
  /** A category with fewer offers than this is too thin to answer "nothing near" honestly. */
  minOffers: number;
  /** Why, with {count} and {min} filled in. */
  reason: Text2;
  /** Categories incomplete whatever their count, each with its reason. */
  incomplete: Record<string, Text2>;
  /** Warnings that go with a subcategory's figures ({count} and {date} filled in), e.g. doctors from OSM. */
  warnings: Record<string, { category: string; text: Text2 }>;
}

export interface CategoryStatus {
  code: string;
  count: number;
  /** Why the data cannot answer for this category, or null when they can. */
  incomplete: Text2 | null;
  /** Warnings of subcategories, e.g. the doctors' data, by subcategory. */
  warnings: Record<string, Text2>;
}

const fill = (t: Text2, values: Record<string, string | number>): Text2 => {
  const f = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
  return { de: f(t.de), en: f(t.en) };
};

/** Which categories the data cover too thinly, and the warnings of subcategories, from the offers' counts. */
export function categoryStatus(
  counts: Map<string, number>,
  subcounts: Map<string, number>,
  rules: CompletenessRules,
  dateOf: (subcategory: string) => string,
): CategoryStatus[] {
  return CATEGORIES.map(({ code }) => {
    const count = counts.get(code) ?? 0;
    const explicit = rules.incomplete[code];
    const incomplete = explicit
      ? fill(explicit, { count, min: rules.minOffers })
      : count < rules.minOffers
        ? fill(rules.reason, { count, min: rules.minOffers })
        : null;
    const warnings = Object.fromEntries(
      Object.entries(rules.warnings)
        .filter(([, w]) => w.category === code)
        .map(([sub, w]) => [sub, fill(w.text, { count: subcounts.get(sub) ?? 0, date: dateOf(sub) })]),
    );
    return { code, count, incomplete, warnings };
  });
}
