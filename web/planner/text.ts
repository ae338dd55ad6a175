import type { Lang, TFunction } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/languages.ts';

/** Texts the API gives in German and English: German for German, English for every other language. */
export function localized(text: { de: string; en: string } | null | undefined, lang: Lang): string {
  if (!text) return '';
  return lang === 'de' ? text.de : text.en;
}

/** Labels the API gives in all four languages (offer categories). */
export function labelIn(labels: { de: string; en: string; tr?: string; ar?: string }, lang: Lang): string {
  return labels[lang] ?? labels.en;
}

const UNIT_KEYS: Record<string, MessageKey> = {
  persons: 'planner.unit.persons',
  offers: 'planner.unit.offers',
  places: 'planner.unit.places',
  households: 'planner.unit.households',
  stages: 'planner.unit.stages',
  'addresses/km²': 'planner.unit.addressesPerKm2',
  'offers/km²': 'planner.unit.offersPerKm2',
  'persons/km²': 'planner.unit.personsPerKm2',
  'persons/ha': 'planner.unit.personsPerHa',
  'offers per 1,000 residents': 'planner.unit.offersPer1000',
  'places per 1,000 residents': 'planner.unit.placesPer1000',
  'index 1–9': 'planner.unit.index19',
  '% vs. city': 'planner.unit.pctVsCity',
};

/** An API unit in the page's language; units written the same everywhere (%, km², EUR) stay as they are. */
export function unitLabel(unit: string, t: TFunction): string {
  const key = UNIT_KEYS[unit];
  return key ? t(key) : unit;
}

/** The unit written right after a number: "12 %", "631 Adressen/km²"; an index gets no unit after its value. */
export function unitAfterValue(unit: string, t: TFunction): string {
  return unit === 'index 1–9' ? '' : unitLabel(unit, t);
}
