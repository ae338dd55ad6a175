import { formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { localized } from '../planner/text.ts';
import { formatReference, type SourceEntry } from './citations.ts';
import type { SourceList as ApiSources, Text } from './council-api.ts';
import { MethodBadge } from './figure-parts.tsx';
import type { Method } from './figures.ts';
import { ATLAS_SOURCE_ID } from './selection.ts';

/** The reference marks of a figure, "[1, 3]", linked to the list; nothing when it cites no source. */
export function Ref({ numbers, idPrefix }: { numbers: readonly number[]; idPrefix: string }) {
  const { t } = useI18n();
  if (numbers.length === 0) return null;
  const first = numbers[0] as number;
  return (
    <a
      className="council-ref"
      href={`#${idPrefix}-source-${first}`}
      aria-label={t('council.sources.ref', { numbers: numbers.join(', ') })}
    >
      {formatReference(numbers)}
    </a>
  );
}

/**
 * The numbered list of sources of a page: title, publisher, licence and reference date from /api/sources, the
 * address of the page a published value was taken from.
 */
export function SourceList({
  entries,
  sources,
  idPrefix,
}: {
  entries: readonly SourceEntry[];
  sources: ApiSources | null;
  idPrefix: string;
}) {
  const { t, lang } = useI18n();
  const byId = new Map((sources?.sources ?? []).map((s) => [s.id, s]));
  return (
    <ol className="source-list">
      {entries.map((entry) => {
        const s = byId.get(entry.id);
        // Title, publisher and licence as finished text in the page's language (German, else English).
        const shown = s ? s.shown[lang === 'de' ? 'de' : 'en'] : null;
        const url = entry.url ?? s?.url ?? null;
        return (
          <li key={entry.key} id={`${idPrefix}-source-${entry.number}`} value={entry.number}>
            <span className="source-list__title">
              {entry.id === ATLAS_SOURCE_ID ? t('council.sources.atlas') : (entry.label ?? shown?.title ?? entry.title)}
            </span>
            {entry.label ? ` (${t('council.sources.via', { source: shown?.title ?? entry.title })})` : null}
            {s && shown ? (
              <>
                {'. '}
                {shown.publisher}
                {/* A collection of published values (entry.label) has a compilation date, not a "Stand": each value has its own. */}
                {s.reference_date
                  ? `, ${t(entry.label ? 'council.sources.compiled' : 'council.sources.asOf', { date: formatDate(s.reference_date, lang) })}`
                  : ''}
                {`. ${t('council.sources.licence')}: ${shown.licence}.`}
              </>
            ) : (
              '.'
            )}
            {url ? (
              <>
                {' '}
                <a className="source-list__url" href={url} rel="noopener noreferrer" target="_blank">
                  {url}
                </a>
              </>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** What "published", "computed" and "modelled" mean, once per page, in the API's words. */
export function MethodNotes({
  methods,
  used,
  printed = used,
}: {
  methods: readonly { method: Method; text: Text }[];
  /** The methods of the figures on the page: only these are explained. */
  used: ReadonlySet<Method>;
  /** Those of them on paper too; the others are explained on screen only. Default: all used. */
  printed?: ReadonlySet<Method>;
}) {
  const { lang } = useI18n();
  return (
    <dl className="method-notes">
      {methods
        .filter((m) => used.has(m.method))
        .map((m) => (
          <div key={m.method} className={printed.has(m.method) ? undefined : 'council-noprint'}>
            <dt>
              <MethodBadge method={m.method} />
            </dt>
            <dd>{localized(m.text, lang)}</dd>
          </div>
        ))}
    </dl>
  );
}

/**
 * How each indicator of the page is made (its method note, as the catalogue words it): the method descriptions
 * the page refers to, folded in on screen; on paper a line says where to find them.
 */
export function IndicatorMethods({
  indicators,
  idPrefix,
}: {
  indicators: readonly { id: string; title: Text; method: Method; method_note: Text }[];
  idPrefix: string;
}) {
  const { t, lang } = useI18n();
  const unique = [...new Map(indicators.map((i) => [i.id, i])).values()];
  if (unique.length === 0) return null;
  return (
    <>
      <details className="indicator-methods council-noprint" id={`${idPrefix}-methods`}>
        <summary>{t('council.methods.summary', { count: unique.length })}</summary>
        <dl>
          {unique.map((i) => (
            <div key={i.id} id={`${idPrefix}-method-${i.id}`}>
              <dt>
                {localized(i.title, lang)} <MethodBadge method={i.method} />
              </dt>
              <dd>{localized(i.method_note, lang)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <p className="council-print-only council-note">
        {t('council.methods.printed', {
          url: `${window.location.origin}${window.location.pathname}#${idPrefix}-methods`,
        })}
      </p>
    </>
  );
}
