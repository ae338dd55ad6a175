import '../easy-read/easy-read.css';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { queries } from '../api/queries.ts';
import { plainSummary } from '../easy-read/summary.ts';
import { FINDER_EXPLAINED } from '../easy-read/texts.ts';
import { Link, routes, setSearchParams, useLocation, useSearchParam } from '../router.tsx';
import { PageHeading } from './page-heading.tsx';

/**
 * `/leichte-sprache`: for residents, what the finder does and how to use it in Leichte Sprache, plain English
 * beside it (both always, whatever the page's language), and a statistical district described in a few sentences
 * made from its profile (`?area=`). Every number there is the API's, rounded as the sentence says; the link below
 * the sentences opens the same district's profile with sources, dates and methods.
 */

const PAIRS = { de: 'de', en: 'en' } as const;

/** The planner with the district's profile open, keeping the page's language. */
function profileHref(code: string, search: string): string {
  const params = new URLSearchParams({ level: 'quarter', area: code });
  const lang = new URLSearchParams(search).get('lang');
  if (lang) params.set('lang', lang);
  return `${routes.planner}?${params}`;
}

export default function EasyReadPage() {
  const selectId = useId();
  const { search } = useLocation();
  const area = useSearchParam('area');
  const quarters = useQuery(queries.areas('quarter'));
  const profile = useQuery(queries.profile('quarter', area));
  const options = [...(quarters.data?.features ?? [])]
    .map((f) => ({ code: f.properties.code, name: f.properties.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'de'));
  const sentences = profile.data ? plainSummary(profile.data) : [];

  return (
    <div className="page easy-read">
      <PageHeading title="Leichte Sprache · Easy read">
        <span lang="de">Leichte Sprache</span> · <span lang="en">Easy read</span>
      </PageHeading>
      {FINDER_EXPLAINED.map((section) => (
        <section key={section.id} className="easy-read__pair" data-section={section.id}>
          {Object.values(PAIRS).map((lang) => (
            <div key={lang} lang={lang} dir="ltr" className="easy-read__column">
              <h2>{section.title[lang]}</h2>
              <ul className="easy-read__lines">
                {section.lines.map((line) => (
                  <li key={line.de}>{line[lang]}</li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
      <p className="easy-read__pair">
        <Link to={routes.finder} className="button" lang="de">
          Zur Angebots-Suche
        </Link>
        <Link to={routes.finder} className="button" lang="en">
          Go to the finder
        </Link>
      </p>

      <section className="easy-read__area" aria-labelledby={`${selectId}-title`}>
        <h2 id={`${selectId}-title`}>
          <span lang="de">Ihr Stadt-Teil</span> · <span lang="en">Your district</span>
        </h2>
        <label htmlFor={selectId} className="easy-read__label">
          <span lang="de">Wählen Sie Ihren Stadt-Teil.</span> <span lang="en">Choose your district.</span>
        </label>
        <select
          id={selectId}
          className="easy-read__select"
          value={area ?? ''}
          onChange={(event) => setSearchParams({ area: event.target.value || null })}
        >
          <option value="">–</option>
          {options.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
        <div aria-live="polite" className="easy-read__summary">
          {quarters.isError || profile.isError ? (
            <div role="alert">
              <p>
                <span lang="de">Das hat nicht geklappt.</span> <span lang="en">That did not work.</span>
              </p>
              <button type="button" onClick={() => (quarters.isError ? quarters.refetch() : profile.refetch())}>
                <span lang="de">Noch einmal versuchen</span> · <span lang="en">Try again</span>
              </button>
            </div>
          ) : area && profile.isPending ? (
            <p role="status">
              <span lang="de">Einen Moment bitte.</span> <span lang="en">One moment, please.</span>
            </p>
          ) : profile.data ? (
            <div className="easy-read__pair" data-area={profile.data.area.code}>
              {Object.values(PAIRS).map((lang) => (
                <div key={lang} lang={lang} dir="ltr" className="easy-read__column">
                  <h3>{profile.data.area.name}</h3>
                  {sentences.length ? (
                    <ul className="easy-read__lines">
                      {sentences.map((s) => (
                        <li key={s.id} data-sentence={s.id}>
                          {s[lang]}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p>
                      {lang === 'de'
                        ? 'Für diesen Stadt-Teil haben wir keine Zahlen.'
                        : 'We have no figures for this district.'}
                    </p>
                  )}
                  <p>
                    <a href={profileHref(profile.data.area.code, search)}>
                      {lang === 'de' ? 'Alle Zahlen mit Quellen' : 'All figures with their sources'}
                    </a>
                  </p>
                </div>
              ))}
            </div>
          ) : null}
        </div>
      </section>
    </div>
  );
}
