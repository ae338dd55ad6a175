import { CATEGORIES, type Category } from '../../geodata/categories.ts';
import type { Lang } from '../i18n/index.ts';

/**
 * The finder's chips. The vocabulary is the atlas's own (geodata/categories.ts, the same that fills
 * atlas.category and /api/offers/categories), bundled so that the chips show at once and in every language
 * even while the API is slow or down. What residents ask for most comes first; the rest behind "more".
 */
export const PRIMARY_CATEGORIES = [
  'childcare',
  'school',
  'family',
  'youth',
  'seniors',
  'library',
  'health',
  'sport',
  'playground',
  'transit',
] as const;

const byCode = new Map(CATEGORIES.map((c) => [c.code, c]));

export const primaryCategories: Category[] = PRIMARY_CATEGORIES.flatMap((code) => byCode.get(code) ?? []);
export const moreCategories: Category[] = CATEGORIES.filter(
  (c) => !(PRIMARY_CATEGORIES as readonly string[]).includes(c.code),
);
/** Every code, in the order the chips show them. */
export const categoryOrder: string[] = [...primaryCategories, ...moreCategories].map((c) => c.code);

export function isCategory(code: string): boolean {
  return byCode.has(code);
}

export function categoryLabel(code: string, lang: Lang): string {
  return byCode.get(code)?.labels[lang] ?? code;
}
