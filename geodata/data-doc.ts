import type { Queryable } from '../server/db/index.ts';

/**
 * DATA.md, generated from the imported database (never edited by hand): for every indicator and every offer
 * category, its coverage, dates, sources, method and known limits. The method and limits are the texts the app
 * shows as its method notes (indicator.method_note and description), so the document and the app say the same.
 * `collectDataDoc` reads the facts, `renderDataDoc` writes them as Markdown (pure, deterministic).
 */

type Text = { de: string; en: string };

export interface IndicatorFacts {
  id: string;
  theme: string;
  title: Text;
  description: Text;
  unit: string;
  method: 'published' | 'computed' | 'modelled';
  methodNote: Text;
  sources: string[];
  /** Units with a shown (newest) value, and units of the level, per level. */
  coverage: { level: string; withValue: number; of: number }[];
  dates: string[];
  /** Shown values by their own method (a population is published for some areas, modelled for others). */
  valueMethods: { method: string; n: number }[];
  /** Published indicators: shown values without a date, and with an inferred or approximate date. */
  undated: number;
  inferred: number;
}

export interface CategoryFacts {
  code: string;
  label: string;
  offers: number;
  quarters: number;
  of: number;
  sources: { title: string; n: number }[];
  dates: string[];
  /** Extra columns the category table may carry (e.g. a completeness status), as the import stored them. */
  notes: string[];
}

export interface DataDocFacts {
  city: string;
  packageSha: string;
  levels: { level: string; n: number }[];
  indicators: IndicatorFacts[];
  categories: CategoryFacts[];
  sources: SourceFacts[];
}

/** A source as the English pages name it, with the open questions about its licence that stay in this document. */
export interface SourceFacts {
  id: string;
  title: string;
  publisher: string;
  licence: string;
  licenceNote: string | null;
}

const LEVELS = ['quarter', 'district', 'action-area', 'city'] as const;

export async function collectDataDoc(db: Queryable): Promise<DataDocFacts> {
  const [run] = await db.query<{ city: string; sha: string }>(
    "SELECT city, package_sha256 AS sha FROM app.import_run WHERE status = 'loaded' ORDER BY id DESC LIMIT 1",
  );
  const levels = await db.query<{ level: string; n: number }>(
    `SELECT level, count(*)::int AS n FROM atlas.area WHERE level IN ('quarter', 'district', 'action-area')
     GROUP BY level UNION ALL SELECT 'city', 1`,
  );
  const of = new Map(levels.map((l) => [l.level, l.n]));
  const sourceRows = await db.query<SourceFacts>(
    `SELECT id, COALESCE(shown -> 'en' ->> 'title', title) AS title,
            COALESCE(shown -> 'en' ->> 'publisher', publisher) AS publisher,
            COALESCE(shown -> 'en' ->> 'licence', licence) AS licence, licence_note AS "licenceNote"
     FROM atlas.source ORDER BY id`,
  );
  const sources = new Map(sourceRows.map((s) => [s.id, s.title]));
  const inds = await db.query<{
    id: string;
    theme: string;
    title: Text;
    description: Text;
    unit: string;
    method: IndicatorFacts['method'];
    method_note: Text;
    source_ids: string[];
  }>(
    // The package's indicators only: uploaded tables (issue 15; internal ones above all) are not the package's.
    `SELECT id, theme, title, description, unit, method, method_note, source_ids FROM atlas.indicator
     WHERE source_ids[1] IS NULL OR source_ids[1] NOT LIKE 'upload:%'
     ORDER BY sort, id`,
  );
  const shown = await db.query<{
    indicator_id: string;
    level: string;
    with_value: number;
    dates: string[] | null;
    undated: number;
    inferred: number;
  }>(
    `SELECT indicator_id, level, count(value)::int AS with_value,
            array_agg(DISTINCT reference_date ORDER BY reference_date) FILTER (WHERE reference_date IS NOT NULL) AS dates,
            count(*) FILTER (WHERE value IS NOT NULL AND reference_date IS NULL AND method = 'published')::int AS undated,
            count(*) FILTER (WHERE value IS NOT NULL AND method = 'published'
                             AND (date_note ILIKE 'inferred%' OR date_note ILIKE '%approximate%'))::int AS inferred
     FROM atlas.indicator_value WHERE is_latest GROUP BY indicator_id, level`,
  );
  const methods = await db.query<{ indicator_id: string; method: string; n: number }>(
    `SELECT indicator_id, method, count(*)::int AS n FROM atlas.indicator_value
     WHERE is_latest AND value IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const indicators = inds.map((i): IndicatorFacts => {
    const rows = shown.filter((s) => s.indicator_id === i.id);
    return {
      id: i.id,
      theme: i.theme,
      title: i.title,
      description: i.description,
      unit: i.unit,
      method: i.method,
      methodNote: i.method_note,
      sources: i.source_ids.map((s) => sources.get(s) ?? s),
      coverage: LEVELS.map((level) => ({
        level,
        withValue: rows.find((r) => r.level === level)?.with_value ?? 0,
        of: of.get(level) ?? 0,
      })),
      dates: [...new Set(rows.flatMap((r) => r.dates ?? []))].sort(),
      valueMethods: methods.filter((m) => m.indicator_id === i.id).map((m) => ({ method: m.method, n: m.n })),
      undated: rows.reduce((s, r) => s + r.undated, 0),
      inferred: rows.reduce((s, r) => s + r.inferred, 0),
    };
  });

  const categories = await db.query<Record<string, unknown> & { code: string; labels: { en: string } }>(
    'SELECT * FROM atlas.category ORDER BY sort, code',
  );
  const offers = await db.query<{
    category: string;
    offers: number;
    quarters: number;
    dates: string[] | null;
  }>(
    `SELECT category, count(*)::int AS offers, count(DISTINCT quarter_code)::int AS quarters,
            array_agg(DISTINCT reference_date ORDER BY reference_date) FILTER (WHERE reference_date IS NOT NULL) AS dates
     FROM atlas.offer GROUP BY category`,
  );
  const bySource = await db.query<{ category: string; source_id: string; n: number }>(
    'SELECT category, source_id, count(*)::int AS n FROM atlas.offer GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2',
  );
  return {
    city: run?.city ?? '',
    packageSha: run?.sha ?? '',
    levels: LEVELS.map((level) => ({ level, n: of.get(level) ?? 0 })),
    indicators,
    categories: categories.map((c): CategoryFacts => {
      const o = offers.find((x) => x.category === c.code);
      const extra = Object.entries(c)
        .filter(([k]) => !['code', 'sort', 'labels'].includes(k))
        .flatMap(([k, v]) => noteTexts(k, v));
      return {
        code: c.code,
        label: c.labels.en,
        offers: o?.offers ?? 0,
        quarters: o?.quarters ?? 0,
        of: of.get('quarter') ?? 0,
        sources: bySource
          .filter((s) => s.category === c.code)
          .map((s) => ({ title: sources.get(s.source_id) ?? s.source_id, n: s.n })),
        dates: o?.dates ?? [],
        notes: extra,
      };
    }),
    sources: sourceRows,
  };
}

/** A note column of the category table as text: {de, en} texts in English, maps of them by key, plain values. */
function noteTexts(key: string, v: unknown): string[] {
  if (v === null || v === undefined || v === '' || v === false) return [];
  if (typeof v !== 'object') return [`${key}: ${String(v)}`];
  const o = v as Record<string, unknown>;
  if (typeof o.en === 'string') return [`${key}: ${o.en}`];
  return Object.entries(o).flatMap(([k, x]) => noteTexts(`${key} (${k})`, x));
}

const LEVEL_NAMES: Record<string, string> = {
  quarter: 'quarters',
  district: 'districts',
  'action-area': 'action areas',
  city: 'city',
};

/** Markdown table cells hold no line breaks or pipes. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function dateText(dates: readonly string[]): string {
  if (dates.length === 0) return 'none';
  if (dates.length <= 4) return dates.join(', ');
  return `${dates.length} dates, ${dates[0]} to ${dates[dates.length - 1]}`;
}

function coverageText(i: IndicatorFacts): string {
  return i.coverage
    .filter((c) => c.withValue > 0 || c.level === 'quarter')
    .map((c) => (c.level === 'city' ? 'city' : `${c.withValue} of ${c.of} ${LEVEL_NAMES[c.level]}`))
    .join(', ');
}

export function renderDataDoc(f: DataDocFacts): string {
  const out: string[] = [];
  out.push(
    '# DATA: what the atlas shows, and how far to trust it',
    '',
    '<!-- Generated by `npm run data-doc` (scripts/data-doc.ts) from the imported database. Do not edit by hand. -->',
    '',
    `City: ${f.city}. Areas: ${f.levels
      .filter((l) => l.level !== 'city')
      .map((l) => `${l.n} ${LEVEL_NAMES[l.level]}`)
      .join(', ')}.`,
    '',
    'For every indicator: coverage (areas with a value, of all areas of the level), reference dates of the values',
    'shown, sources, method and known limits. The method and the limits are the texts the app shows beside every',
    'value (its method note and description). Counts of offers are per category below.',
    '',
  );
  const themes = [...new Set(f.indicators.map((i) => i.theme))];
  out.push('## Indicators', '');
  out.push('| indicator | method | unit | coverage | dates |', '|---|---|---|---|---|');
  for (const i of f.indicators)
    out.push(
      `| [${cell(i.title.en)}](#${i.id.replace(/_/g, '-')}) | ${i.method} | ${cell(i.unit)} | ${coverageText(i)} | ${cell(dateText(i.dates))} |`,
    );
  out.push('');
  for (const theme of themes) {
    out.push(`### Theme: ${theme}`, '');
    for (const i of f.indicators.filter((x) => x.theme === theme)) {
      out.push(`#### ${i.id.replace(/_/g, '-')}`, '');
      out.push(`**${i.title.en}** (${i.title.de}), \`${i.id}\`, unit: ${i.unit}.`, '');
      out.push(`- Method: ${i.method}. ${i.methodNote.en}`);
      const byMethod = i.valueMethods.map((m) => `${m.n} ${m.method}`).join(', ');
      out.push(`- Coverage: ${coverageText(i)}${byMethod ? `; values by method: ${byMethod}` : ''}.`);
      out.push(`- Dates: ${dateText(i.dates)}.`);
      if (i.undated || i.inferred)
        out.push(
          `- Dates of published values: ${i.undated} shown undated (the source gives no date), ${i.inferred} inferred or approximate.`,
        );
      out.push(`- Sources: ${i.sources.length ? i.sources.join('; ') : 'none named'}.`);
      out.push(`- What it means and its limits: ${i.description.en}`);
      out.push('');
    }
  }
  out.push('## Offer categories', '');
  out.push('| category | offers | quarters with one | sources | dates | notes |', '|---|---|---|---|---|---|');
  for (const c of f.categories)
    out.push(
      `| ${cell(c.label)} (\`${c.code}\`) | ${c.offers} | ${c.quarters} of ${c.of} | ${cell(
        c.sources.map((s) => `${s.title}: ${s.n}`).join('; ') || 'none',
      )} | ${cell(dateText(c.dates))} | ${cell(c.notes.join('; ') || (c.offers === 0 ? 'no offers in the data' : ''))} |`,
    );
  out.push('');
  out.push('## Sources and licences', '');
  out.push(
    'The licence line is what the pages show. Open questions about a licence are kept here, in the project’s',
    'documentation, and never shown on a page.',
    '',
  );
  out.push('| source | publisher | licence shown | open questions |', '|---|---|---|---|');
  for (const s of f.sources)
    out.push(
      `| ${cell(s.title)} (\`${s.id}\`) | ${cell(s.publisher)} | ${cell(s.licence)} | ${cell(s.licenceNote ?? 'none')} |`,
    );
  out.push('');
  return `${out.join('\n')}\n`;
}
