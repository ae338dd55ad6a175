/** Lower case, umlauts spelt out, accents dropped: "Höchstener" and "Hoechstener" are one word. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFC')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/**
 * The key that address, offer and area search match on: lower case, umlauts spelt out, common street-type
 * abbreviations unified, everything but letters and digits removed. "Friedensplatz 1", "friedensplatz1" and
 * "Friedenspl. 1" all become "friedenspl1".
 */
export function searchKey(text: string): string {
  return fold(text)
    .replace(/(str\.|strasse|str\b)/g, 'str')
    .replace(/(pl\.|platz)/g, 'pl')
    .replace(/[^a-z0-9]/g, '');
}

/** What was typed, taken apart: the postcode and the city's name are set aside, the rest is what is searched. */
export interface ParsedQuery {
  /** The text searched for, without postcode and city name. */
  text: string;
  /** searchKey(text). */
  key: string;
  /** A five-digit postcode that was typed, else null. The address file has none, so it only leaves the search. */
  postcode: string | null;
  /** True when the city's name was set aside. */
  city: boolean;
  /** The words of `text`, each as a search key (empty ones left out). */
  words: string[];
}

/**
 * Takes "Münsterstraße 50, 44145 Dortmund" apart into "Münsterstraße 50", postcode 44145 and the city. A postcode
 * is a standalone group of five digits; the city's name (any of `cityNames`) is set aside where it stands at the
 * end or, as in "Dortmund-Hörde", at the start, but never when nothing else would remain.
 */
export function parseQuery(typed: string, cityNames: readonly string[]): ParsedQuery {
  const cities = new Set(cityNames.map(searchKey).filter(Boolean));
  let text = typed.normalize('NFC').replace(/\s+/g, ' ').trim();
  let postcode: string | null = null;
  const withoutPostcode = text.replace(/(^|[\s,;])(\d{5})(?=$|[\s,;])/u, (_m, before: string, code: string) => {
    postcode = code;
    return before;
  });
  if (postcode !== null && searchKey(withoutPostcode)) text = withoutPostcode.replace(/^[\s,;]+/u, '');
  else postcode = null;
  let city = false;
  const parts = () => text.split(/[\s,;]+/u).filter((w) => searchKey(w) !== '');
  // The city at the end ("…, Dortmund") or at the start ("Dortmund-Hörde", "Dortmund Hörde").
  for (const name of cities) {
    const words = parts();
    const last = words[words.length - 1];
    if (words.length > 1 && last !== undefined && searchKey(last) === name) {
      text = text.slice(0, text.lastIndexOf(last));
      city = true;
      continue;
    }
    const head = text.match(/^([^\s,;-]+)[\s,;-]+/u);
    if (head?.[1] && searchKey(head[1]) === name && searchKey(text.slice(head[0].length))) {
      text = text.slice(head[0].length);
      city = true;
    }
  }
  text = text.replace(/[\s,;]+$/u, '').trim();
  const words = parts().map(searchKey);
  return { text, key: searchKey(text), postcode, city, words };
}

/**
 * The trigrams of a search key as pg_trgm forms them for one word: the key padded with two spaces before and one
 * after, every run of three characters, each once.
 */
export function trigrams(key: string): Set<string> {
  const padded = `  ${key} `;
  const out = new Set<string>();
  if (!key) return out;
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/**
 * Trigram similarity of two search keys, as pg_trgm's similarity(): shared trigrams over all distinct trigrams
 * of both (0 to 1). Keys hold only a-z and 0-9, each one word, so this equals the database's value.
 */
export function trigramSimilarity(a: string, b: string): number {
  return setSimilarity(trigrams(a), trigrams(b));
}

/** trigramSimilarity() of trigram sets made beforehand (names searched again and again). */
export function setSimilarity(ta: ReadonlySet<string>, tb: ReadonlySet<string>): number {
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared += 1;
  return shared / (ta.size + tb.size - shared);
}

/** The house number at the end of a search key ("muensterstr50a" → "50a"), or ''. */
export function houseNumberOf(key: string): string {
  return /[0-9]+[a-z]*$/.exec(key)?.[0] ?? '';
}

/** pg_trgm's default similarity threshold (pg_trgm.similarity_threshold): the least similarity that counts. */
export const TRIGRAM_THRESHOLD = 0.3;

/** A kind of offer a word names: a category, optionally narrowed to one subcategory (and one speciality). */
export interface CategoryWord {
  category: string;
  subcategory: string | null;
  /** A doctor's field ("paediatrics"), where the word names one. */
  speciality?: string;
}

/**
 * Words residents use for kinds of offers (German and English, singular and plural), beside the category labels
 * the database holds in every language of the app. City-neutral: the categories are the app's vocabulary.
 */
const WORDS: [string[], string, string | null, string?][] = [
  [
    [
      'Kita',
      'Kitas',
      'Kindergarten',
      'Kindergärten',
      'Kindertagesstätte',
      'Kindertagesstätten',
      'Krippe',
      'Kindergarden',
      'Daycare',
      'Nursery',
    ],
    'childcare',
    null,
  ],
  [['Schule', 'Schulen', 'School', 'Schools'], 'school', null],
  [['Grundschule', 'Grundschulen', 'Primary school'], 'school', 'primary'],
  [['Gymnasium', 'Gymnasien'], 'school', 'secondary-gymnasium'],
  [['Gesamtschule', 'Gesamtschulen'], 'school', 'secondary-gesamtschule'],
  [['Realschule', 'Realschulen'], 'school', 'secondary-realschule'],
  [['Hauptschule', 'Hauptschulen'], 'school', 'secondary-hauptschule'],
  [['Berufskolleg', 'Berufskollegs', 'Berufsschule'], 'school', 'vocational'],
  [['Bibliothek', 'Bibliotheken', 'Bücherei', 'Büchereien', 'Stadtbücherei', 'Library', 'Libraries'], 'library', null],
  [['Apotheke', 'Apotheken', 'Pharmacy', 'Pharmacies', 'Eczane'], 'health', 'pharmacy'],
  [['Arzt', 'Ärzte', 'Ärztin', 'Arztpraxis', 'Doctor', 'Doctors', 'Doktor'], 'health', 'doctor'],
  [
    ['Hausarzt', 'Hausärzte', 'Hausärztin', 'Allgemeinarzt', 'Allgemeinmedizin', 'General practitioner', 'GP'],
    'health',
    'doctor',
    'general',
  ],
  [
    ['Kinderarzt', 'Kinderärzte', 'Kinderärztin', 'Kinderarztpraxis', 'Paediatrician', 'Pediatrician', 'Çocuk doktoru'],
    'health',
    'doctor',
    'paediatrics',
  ],
  [['Zahnarzt', 'Zahnärzte', 'Dentist'], 'health', 'dentist'],
  [['Krankenhaus', 'Krankenhäuser', 'Klinik', 'Kliniken', 'Hospital'], 'health', 'hospital'],
  [['Spielplatz', 'Spielplätze', 'Playground', 'Playgrounds'], 'playground', null],
  [['Haltestelle', 'Haltestellen', 'Bushaltestelle', 'Stop'], 'transit', null],
  [['Jugendzentrum', 'Jugendtreff', 'Jugendfreizeitstätte', 'Youth centre'], 'youth', null],
  [['Familienzentrum', 'Familienzentren', 'Family centre'], 'family', null],
  [['Seniorenbüro', 'Seniorentreff', 'Begegnungsstätte'], 'seniors', null],
  [['Sportplatz', 'Sportplätze', 'Sporthalle', 'Schwimmbad', 'Hallenbad', 'Freibad'], 'sport', null],
  [['Kirche', 'Kirchen', 'Moschee', 'Moscheen', 'Cami', 'Church', 'Mosque'], 'worship', null],
  [['Museum', 'Museen', 'Theater', 'Kino'], 'culture', null],
  [['Polizei', 'Feuerwehr', 'Police'], 'safety', null],
  [['Postfiliale', 'Post office'], 'post', null],
];

/**
 * The category words by search key: the built-in words, then the labels of the categories (any language)
 * where a label is not already a word. `labels`: category code → its labels.
 */
export function categoryWords(labels: ReadonlyMap<string, readonly string[]>): Map<string, CategoryWord> {
  const out = new Map<string, CategoryWord>();
  for (const [words, category, subcategory, speciality] of WORDS) {
    if (!labels.has(category)) continue;
    for (const w of words) out.set(searchKey(w), { category, subcategory, ...(speciality ? { speciality } : {}) });
  }
  for (const [category, names] of labels) {
    for (const name of names) {
      const key = searchKey(name);
      if (key && !out.has(key)) out.set(key, { category, subcategory: null });
    }
  }
  return out;
}

/**
 * Splits the words of a query into a kind of offer and a place: "Kita Hörde", "Hörde Kita", "Apotheken in
 * Hombruch". The kind is the longest run of words (at the start or the end) that names a category; what is left,
 * without a leading "in"/"im"/"bei"/"near", is the place. Null when no such run exists.
 */
export function splitCategoryAndPlace(
  words: readonly string[],
  vocabulary: ReadonlyMap<string, CategoryWord>,
): { kind: CategoryWord; kindKey: string; place: string } | null {
  const glue = new Set(['in', 'im', 'bei', 'near']);
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    for (const atStart of [true, false]) {
      const run = atStart ? words.slice(0, n) : words.slice(words.length - n);
      const kindKey = run.join('');
      const kind = vocabulary.get(kindKey);
      if (!kind) continue;
      let rest = atStart ? words.slice(n) : words.slice(0, words.length - n);
      if (atStart) while (rest.length > 1 && glue.has(rest[0] as string)) rest = rest.slice(1);
      else while (rest.length > 1 && glue.has(rest[rest.length - 1] as string)) rest = rest.slice(0, -1);
      return { kind, kindKey, place: rest.join('') };
    }
  }
  return null;
}
