/**
 * Rules every answer about indicator values follows. Pure functions, no I/O.
 *
 * - Privacy: a count-based value resting on fewer than `minCount` addresses or persons is suppressed: its value
 *   is withheld (null), it is flagged, and it says why. `suppress` is the one place this rule lives.
 * - A missing value stays null and says why (`Text` in German and English).
 */

export interface Text {
  de: string;
  en: string;
}

export const INDICATOR_METHODS = ['published', 'computed', 'modelled'] as const;
export type IndicatorMethod = (typeof INDICATOR_METHODS)[number];
export const VALUE_LEVELS = ['district', 'quarter', 'action-area'] as const;
export type ValueLevel = (typeof VALUE_LEVELS)[number];

/** What each method means, in one sentence. */
export const METHOD_TEXT: Record<IndicatorMethod, Text> = {
  published: {
    de: 'Veröffentlichter Wert: aus einer genannten Quelle übernommen, mit Datum und Zitat, nicht nachgerechnet.',
    en: 'Published figure: taken from a named source with its date and quote, not recomputed.',
  },
  computed: {
    de: 'Berechnet von Quartiersatlas aus den genannten offenen Daten; die Rechnung steht in der Methodenbeschreibung.',
    en: 'Computed by Quartiersatlas from the open data named; the method note says how.',
  },
  modelled: {
    de: 'Modelliert: eine Schätzung unter ausdrücklichen Annahmen, keine Messung; die Methodenbeschreibung nennt Annahmen und Fehler.',
    en: 'Modelled: an estimate under stated assumptions, not a measurement; the method note gives the assumptions and the error.',
  },
};

export const THEME_LABELS: Record<string, Text> = {
  population: { de: 'Bevölkerung', en: 'Population' },
  territory: { de: 'Gebiet und Bebauung', en: 'Territory and buildings' },
  age: { de: 'Alter', en: 'Age' },
  migration: { de: 'Migration', en: 'Migration' },
  work: { de: 'Arbeit', en: 'Work' },
  social: { de: 'Soziale Lage', en: 'Social situation' },
  households: { de: 'Haushalte', en: 'Households' },
  housing: { de: 'Wohnen', en: 'Housing' },
  participation: { de: 'Beteiligung', en: 'Participation' },
  childcare: { de: 'Kinderbetreuung', en: 'Childcare' },
  offers: { de: 'Angebote', en: 'Offers' },
  coverage: { de: 'Erreichbarkeit', en: 'Access' },
  'education-chain': { de: 'Bildungskette', en: 'Education chain' },
};

export function themeLabel(theme: string): Text {
  return THEME_LABELS[theme] ?? { de: theme, en: theme };
}

export interface Suppression {
  suppressed: boolean;
  /** Why the value is withheld; null when it is not. */
  reason: Text | null;
}

/**
 * The privacy rule. A value of a count-based indicator rests on `basisCount` addresses or persons (for a
 * published count without a basis, on the count itself); fewer than `minCount` of them and it is withheld.
 * Values of other indicators (shares of published totals, offers, indices of schools) are never suppressed here.
 */
export function suppress(
  countBased: boolean,
  basisCount: number | null,
  value: number | null,
  minCount: number,
): Suppression {
  if (!countBased || value === null) return { suppressed: false, reason: null };
  const basis = basisCount ?? value;
  if (basis >= minCount) return { suppressed: false, reason: null };
  return {
    suppressed: true,
    reason: {
      de: `Nicht gezeigt: Der Wert beruht auf weniger als ${minCount} Adressen oder Personen (Datenschutz).`,
      en: `Withheld: the value rests on fewer than ${minCount} addresses or persons (privacy).`,
    },
  };
}

export const NO_VALUE: Text = {
  de: 'Für dieses Gebiet liegt kein Wert vor.',
  en: 'There is no value for this area.',
};

export function noValueForDate(date: string): Text {
  return {
    de: `Für dieses Gebiet liegt kein Wert mit dem Stand ${date} vor.`,
    en: `There is no value dated ${date} for this area.`,
  };
}

export const VALUE_MISSING: Text = {
  de: 'Der Wert fehlt in der Quelle.',
  en: 'The source has no value.',
};

/**
 * The note of a stored value: computed values keep `{"de": …, "en": …}` as JSON text, published ones a plain
 * text (the title of their source), which reads the same in every language.
 */
export function parseNote(note: string | null): Text | null {
  if (note === null || note === '') return null;
  if (note.startsWith('{')) {
    try {
      const parsed = JSON.parse(note) as Partial<Text>;
      if (typeof parsed.de === 'string' && typeof parsed.en === 'string') return { de: parsed.de, en: parsed.en };
    } catch {
      // not JSON after all: a plain text
    }
  }
  return { de: note, en: note };
}

export interface Ranked {
  /** 1 = highest value; equal values share a position (1, 2, 2, 4). */
  position: number;
  /** Areas of the level with a value that may be shown. */
  of: number;
}

/** The position of `value` among `peers` (highest first), or null when it has no value. */
export function rankAmong(value: number | null, peers: readonly (number | null)[]): Ranked | null {
  if (value === null || !Number.isFinite(value)) return null;
  const present = peers.filter((p): p is number => p !== null && Number.isFinite(p));
  return { position: present.filter((p) => p > value).length + 1, of: present.length };
}

/** Rounds for display in an answer without losing what a map needs: 6 significant digits. */
export function roundValue(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Number(value.toPrecision(6));
}

/** Search words of an indicator, in German and English. */
export interface Keywords {
  de: string[];
  en: string[];
}

/**
 * The search words of the catalogue (geodata/indicator-catalogue.json `keywords`): per theme, and per indicator id
 * or id prefix (a key ending in `*`).
 */
export interface KeywordCatalogue {
  themes: Record<string, Keywords>;
  indicators: Record<string, Keywords>;
}

/** A topic the data lack per area (geodata/indicator-catalogue.json `missing`), with the nearest proxies. */
export interface MissingTopic {
  topic: Text;
  keywords: Keywords;
  reason: Text;
  /** Ids of the indicators that stand in for it, nearest first. */
  proxies: string[];
}

/** The search words of one indicator: its theme's, then those of every entry naming its id or a prefix of it. */
export function keywordsOf(id: string, theme: string, catalogue: KeywordCatalogue): Keywords {
  const entries = [
    catalogue.themes[theme],
    ...Object.entries(catalogue.indicators)
      .filter(([key]) => (key.endsWith('*') ? id.startsWith(key.slice(0, -1)) : key === id))
      .map(([, words]) => words),
  ];
  const merged = (lang: keyof Keywords) => [...new Set(entries.flatMap((e) => e?.[lang] ?? []))];
  return { de: merged('de'), en: merged('en') };
}
