import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { queries, queryClient } from './api/queries.ts';
import { ConfigContext } from './config.ts';
import { I18nProvider, ScreenLanguage, useI18n } from './i18n/index.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { loadMapCode } from './map/map-view.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { Link, matchRoute, type RouteId, routes, useLocation } from './router.tsx';
import { loadFontsFor } from './styles/fonts.ts';

/** Asks for the map's code beside a page whose map is what it shows first; a failure is the map's to show. */
function withMap<T>(page: Promise<T>): Promise<T> {
  loadMapCode().catch(() => {});
  return page;
}

// Pages are loaded on demand, so the shell, the navigation and the language switch show before them. The map's
// code (maplibre, deck.gl) is no part of any page: the planner asks for it beside its own; the finder and the
// council pages show their lists and cards first (web/map/map-view.tsx).
const loaders: Record<RouteId, () => Promise<{ default: ComponentType }>> = {
  planner: () => withMap(import('./pages/planner-page.tsx')),
  finder: () => import('./pages/finder-page.tsx'),
  council: () => import('./pages/council-page.tsx'),
  accessibility: () => import('./pages/accessibility-page.tsx'),
  accessibilityEn: () => import('./pages/accessibility-page.tsx'),
  easyRead: () => import('./pages/easy-read-page.tsx'),
  embed: () => withMap(import('./pages/embed-page.tsx')),
  tables: () => import('./pages/tables-page.tsx'),
  programmes: () => import('./pages/programme-page.tsx'),
};
const pages: Record<RouteId, ComponentType> = {
  planner: lazy(loaders.planner),
  finder: lazy(loaders.finder),
  council: lazy(loaders.council),
  accessibility: lazy(loaders.accessibility),
  accessibilityEn: lazy(loaders.accessibility),
  easyRead: lazy(loaders.easyRead),
  embed: lazy(loaders.embed),
  tables: lazy(loaders.tables),
  programmes: lazy(loaders.programmes),
};
/** The messages (`<screen>.*`) of a page, where they are not named after its route. */
const screens: Partial<Record<RouteId, string>> = {
  accessibilityEn: 'accessibility',
  embed: 'planner',
  programmes: 'programme',
};

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Shell />
      </I18nProvider>
    </QueryClientProvider>
  );
}

function Shell() {
  const { t, lang } = useI18n();
  // Fonts of scripts beyond Latin (Arabic) only once their language is chosen.
  useEffect(() => {
    void loadFontsFor(lang);
  }, [lang]);
  // The city, its basemap and the editorial choices: the pages wait for them.
  const config = useQuery(queries.config());
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  const Page = route ? pages[route] : NotFoundPage;
  // The page's code loads while the settings do, not after them.
  useEffect(() => {
    if (route) void loaders[route]();
  }, [route]);
  // Issue 17: the embeddable map is shown without the app's header, navigation and footer.
  if (route === 'embed')
    return (
      <main id="main" className="app-main app-main--embed">
        {config.data ? (
          <ConfigContext value={config.data}>
            <Suspense
              fallback={
                <p className="loading" role="status">
                  {t('map.loading')}
                </p>
              }
            >
              <ScreenLanguage screen="planner">
                <Page />
              </ScreenLanguage>
            </Suspense>
          </ConfigContext>
        ) : (
          <div className="loading" role={config.isError ? 'alert' : 'status'}>
            <p>{config.isError ? t('app.configError') : t('map.loading')}</p>
            {config.isError ? (
              <button type="button" onClick={() => config.refetch()}>
                {t('app.retry')}
              </button>
            ) : null}
          </div>
        )}
      </main>
    );
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to={routes.planner} className="brand" markCurrent={false}>
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__city">{config.data?.city.name}</span>
        </Link>
        <nav className="app-nav" aria-label={t('nav.label')}>
          <ul>
            <li>
              <Link to={routes.planner}>{t('nav.planner')}</Link>
            </li>
            <li>
              <Link to={routes.finder}>{t('nav.finder')}</Link>
            </li>
            <li>
              <Link to={routes.council}>{t('nav.council')}</Link>
            </li>
          </ul>
        </nav>
        <LanguageSwitch />
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {config.data ? (
          <ConfigContext value={config.data}>
            <Suspense
              fallback={
                <p className="loading" role="status">
                  {t('map.loading')}
                </p>
              }
            >
              {/* A screen not yet translated into the language says so at its top (and shows in English). */}
              <ScreenLanguage screen={(route && screens[route]) ?? route ?? 'notFound'}>
                <Page key={route ?? 'not-found'} />
              </ScreenLanguage>
            </Suspense>
          </ConfigContext>
        ) : config.isError && !config.isFetching ? (
          <div className="loading" role="alert">
            <p>{t('app.configError')}</p>
            <button type="button" onClick={() => config.refetch()}>
              {t('app.retry')}
            </button>
          </div>
        ) : (
          <p className="loading" role="status">
            {t('map.loading')}
          </p>
        )}
      </main>
      <footer className="app-footer">
        <nav aria-label={t('footer.label')}>
          <ul>
            <li>
              <Link to={lang === 'de' ? routes.accessibility : routes.accessibilityEn}>
                {t('footer.accessibility')}
              </Link>
            </li>
            <li>
              <Link to={routes.easyRead}>{t('footer.easyRead')}</Link>
            </li>
          </ul>
        </nav>
      </footer>
    </div>
  );
}
