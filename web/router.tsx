import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A tiny router on the History API: the path picks the page, the query string holds shareable state
 * (`?lang=` and, later, the map selection). Pages are plain components chosen in app.tsx.
 */

export const routes = {
  planner: '/',
  finder: '/finder',
  council: '/council',
  // Issue 19: the accessibility statement (German path, English counterpart) and the easy-read page.
  accessibility: '/barrierefreiheit',
  accessibilityEn: '/accessibility',
  easyRead: '/leichte-sprache',
  // Issue 17: the planner's view as a bare map with legend, for other sites' frames.
  embed: '/embed',
  // Issues 15 and 21: the editors' page (tables of indicator values and offer lists), behind sign-in.
  tables: '/tables',
  // Issue 21: the programmes of the city's offer lists, `/programmes/{id}` one of them.
  programmes: '/programmes',
} as const;
export type RouteId = keyof typeof routes;

/** Pages with one level of sub-pages, which the page reads from the path itself: `/council/022`. */
const nestedRoutes: ReadonlySet<RouteId> = new Set(['council', 'programmes']);

/** The page for a path, or null for an unknown one. A trailing slash is ignored. */
export function matchRoute(pathname: string): RouteId | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [id, routePath] of Object.entries(routes) as [RouteId, string][]) {
    if (routePath === path) return id;
    if (nestedRoutes.has(id) && path.startsWith(routePath) && /^\/[^/]+$/.test(path.slice(routePath.length))) {
      return id;
    }
  }
  return null;
}

export interface Location {
  pathname: string;
  search: string;
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function notify(): void {
  for (const listener of listeners) listener();
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query; components re-render when either changes. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot, snapshot);
  const q = href.indexOf('?');
  return q < 0 ? { pathname: href, search: '' } : { pathname: href.slice(0, q), search: href.slice(q) };
}

/** One query parameter of the current URL. */
export function useSearchParam(name: string): string | null {
  return new URLSearchParams(useLocation().search).get(name);
}

let headingFocusPending = false;

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (replace) window.history.replaceState(window.history.state, '', to);
  else {
    window.history.pushState(null, '', to);
    headingFocusPending = true;
  }
  notify();
}

/** True once after an in-app navigation to a new page: its heading should take the focus. */
export function takeHeadingFocus(): boolean {
  const pending = headingFocusPending;
  headingFocusPending = false;
  return pending;
}

/** Sets (or with null removes) query parameters of the current URL without a new history entry. */
export function setSearchParams(values: Record<string, string | null>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(values)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  const search = params.toString();
  navigate(`${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`, { replace: true });
}

/** Query parameters that follow the user from page to page. */
const sticky = ['lang'];

/** The href for a path, keeping the sticky query parameters of `search`. */
export function hrefFor(path: string, search: string): string {
  const from = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const name of sticky) {
    const value = from.get(name);
    if (value !== null) kept.set(name, value);
  }
  const query = kept.toString();
  return query ? `${path}?${query}` : path;
}

export type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  /** Marks the link `aria-current="page"` while its page is shown (default true). */
  markCurrent?: boolean;
};

/** An in-app link: a real <a href> (so it opens in a new tab too) that navigates without a reload. */
export function Link({ to, onClick, markCurrent = true, ...rest }: LinkProps) {
  const { pathname, search } = useLocation();
  const href = hrefFor(to, search);
  const current = markCurrent && matchRoute(pathname) !== null && matchRoute(pathname) === matchRoute(to);
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || rest.target) return;
    event.preventDefault();
    navigate(href);
  };
  return <a {...rest} href={href} aria-current={current ? 'page' : undefined} onClick={handleClick} />;
}
