/**
 * The details of an offer open as an entry of their own in the browser's history, so that Back (the browser's
 * or the page's own button) returns to the result list where it was. The list's entry keeps its scroll position.
 */

interface FinderHistoryState {
  /** This entry was pushed by openDetails: going back returns to the list. */
  finderDetails?: true;
  /** The list's scroll position (its scrolling container's scrollTop), kept in the list's entry. */
  finderScroll?: number;
}

const state = (): FinderHistoryState => (window.history.state ?? {}) as FinderHistoryState;

/** The element that scrolls `el`: its nearest ancestor that scrolls, else the document. */
export function scrollerOf(el: Element | null): Element {
  for (let node = el?.parentElement ?? null; node; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if ((overflowY === 'auto' || overflowY === 'scroll') && node.scrollHeight > node.clientHeight) return node;
  }
  return document.scrollingElement ?? document.documentElement;
}

/**
 * A new history entry with these query parameters changed (null removes one), after keeping the scroll position
 * of `from`'s container in the current entry. The router follows it as it follows Back and Forward (popstate).
 */
export function pushSearchParams(values: Record<string, string | null>, from: Element | null): void {
  const params = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(values)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  const search = params.toString();
  window.history.replaceState({ ...state(), finderScroll: scrollerOf(from).scrollTop }, '');
  window.history.pushState(
    { finderDetails: true } satisfies FinderHistoryState,
    '',
    `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`,
  );
  window.dispatchEvent(new PopStateEvent('popstate', { state: window.history.state }));
}

/** Whether the current entry was pushed by pushSearchParams: then Back returns to the list. */
export function detailsPushed(): boolean {
  return state().finderDetails === true;
}

/** Puts the list's container back where it was when the details opened (when this entry kept it). */
export function restoreListScroll(list: Element | null): void {
  const top = state().finderScroll;
  if (typeof top === 'number') scrollerOf(list).scrollTop = top;
}
