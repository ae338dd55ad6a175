/**
 * The attribution a download carries (issue 17), as its sources' licences require it. For Datenlizenz Deutschland
 * Namensnennung 2.0 (dl-de/by-2-0): the provider, the licence with a link to its text, the dataset, and a note
 * when the values were computed or modelled from the data rather than taken over. Pure, no I/O: the server's
 * downloads (OGC GeoJSON) and the web app's CSV files use the same lines.
 */

export interface AttributedSource {
  title: string;
  publisher: string;
  licence: string;
  attribution: string;
  url: string | null;
}

/** Licence texts by the short names the packages use. */
const LICENCE_URLS: [RegExp, string][] = [
  [/dl-de\/by-2[-.]0/i, 'https://www.govdata.de/dl-de/by-2-0'],
  [/dl-de\/zero-2[-.]0/i, 'https://www.govdata.de/dl-de/zero-2-0'],
  [/odbl/i, 'https://opendatacommons.org/licenses/odbl/1-0/'],
  [/datenlizenz deutschland/i, 'https://www.govdata.de/lizenzen'],
];

/** The URL of a licence's text, or null for a licence this list does not know. */
export function licenceUrl(licence: string): string | null {
  return LICENCE_URLS.find(([re]) => re.test(licence))?.[1] ?? null;
}

const WORDS = {
  de: {
    head: 'Quellen und Lizenzen',
    source: 'Quelle',
    licence: 'Lizenz',
    dataset: 'Datensatz',
    computed:
      'Die Werte wurden von Quartiersatlas aus diesen Daten berechnet oder modelliert (verändert); die Methode steht bei jedem Indikator.',
  },
  en: {
    head: 'Sources and licences',
    source: 'Source',
    licence: 'Licence',
    dataset: 'Dataset',
    computed:
      'The values were computed or modelled by Quartiersatlas from these data (changed); each indicator states its method.',
  },
} as const;

/**
 * One line per source (provider, dataset, licence with its link, the dataset's address where known) and, when
 * any value was computed or modelled, the note that says so. Sources appear once, in the order given.
 */
export function attributionLines(sources: readonly AttributedSource[], computed: boolean, lang: 'de' | 'en'): string[] {
  const w = WORDS[lang];
  const seen = new Set<string>();
  const lines = [`${w.head}:`];
  for (const s of sources) {
    const key = `${s.publisher}\n${s.title}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const link = licenceUrl(s.licence);
    lines.push(
      `${w.source}: ${s.attribution} – ${w.dataset}: ${s.title} (${s.publisher})${s.url ? `, ${s.url}` : ''} – ` +
        `${w.licence}: ${s.licence}${link ? ` (${link})` : ''}`,
    );
  }
  if (computed) lines.push(w.computed);
  return lines;
}
