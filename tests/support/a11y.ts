import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * axe-core in Chromium (issue 19): the WCAG 2.1 A and AA rules on the page as it is shown. A test fails on any
 * violation of impact "serious" or "critical"; milder findings are returned for the test to report.
 */

/** The WCAG 2.0 and 2.1 levels A and AA: what BITV 2.0 (through EN 301 549) asks for. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Rules switched off, each with its reason. Every rule left out of the run must be named here: a test must never
 * pass because a rule was quietly dropped.
 */
export const DISABLED_RULES: Readonly<Record<string, string>> = {};

/** Parts of the page axe does not look into, each with its reason. */
export const EXCLUDED: Readonly<Record<string, string>> = {
  '.maplibregl-canvas':
    'the WebGL canvas of the map has no text to check; its text alternative is the table of areas, which is checked',
};

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const describeResult = (result: Result): AxeFinding => ({
  rule: result.id,
  impact: result.impact ?? 'unknown',
  help: result.help,
  targets: result.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
});

/** The serious and critical violations on the page (to be empty), and the milder ones. */
export async function axeFindings(page: Page): Promise<{ blocking: AxeFinding[]; minor: AxeFinding[] }> {
  // Only violations are wanted: axe then keeps no details of what passed, which makes a run much shorter.
  // (options() replaces what withTags() and disableRules() set: it comes first.)
  let builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS);
  for (const selector of Object.keys(EXCLUDED)) builder = builder.exclude(selector);
  const disabled = Object.keys(DISABLED_RULES);
  if (disabled.length) builder = builder.disableRules(disabled);
  const results = await builder.analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !blocking.includes(v));
  return { blocking: blocking.map(describeResult), minor: minor.map(describeResult) };
}

// --- Reflow (WCAG 1.4.10) ------------------------------------------------------------------------

/**
 * What may scroll sideways at 320 CSS px, each with its reason (WCAG 1.4.10 exempts content that needs a
 * two-dimensional layout to be understood).
 */
export const SIDEWAYS_ALLOWED: Readonly<Record<string, string>> = {
  '.maplibregl-map, .map-view': 'the map itself pans in two dimensions',
  table:
    'a data table keeps its rows and columns side by side: an element may scroll sideways when only tables stick out',
};

/**
 * What breaks reflow on the page as it is: the page itself wider than the viewport, an element scrolling sideways
 * that is neither the map nor a table, or text cut off by an element too narrow for it (overflow hidden).
 */
export function reflowProblems(page: Page): Promise<string[]> {
  return page.evaluate((allowed) => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1) {
      problems.push(`the page is ${root.scrollWidth} px wide in a ${window.innerWidth} px viewport`);
    }
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
    const maps = allowed.filter((selector) => selector !== 'table');
    // Only data tables stick out of `el` (or the wrappers they sit in).
    const onlyTables = (el: Element) => {
      const box = el.getBoundingClientRect();
      let any = false;
      for (const d of el.querySelectorAll('*')) {
        const r = d.getBoundingClientRect();
        if (r.width === 0 || (r.right <= box.right + 1 && r.left >= box.left - 1)) continue;
        if (!d.closest('table') && !d.querySelector('table')) return false;
        any = true;
      }
      return any;
    };
    const exempt = (el: Element) => maps.some((selector) => el.closest(selector)) || onlyTables(el);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      // Visually hidden text (1 px, clipped) is meant for screen readers only.
      if (el.clientWidth <= 1 || style.clipPath === 'inset(50%)' || style.clip === 'rect(0px, 0px, 0px, 0px)') continue;
      if (exempt(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
        problems.push(`${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
      } else if ((style.overflowX === 'hidden' || style.overflowX === 'clip') && el.innerText.trim()) {
        // Text cut off on purpose with an ellipsis still shows that it is cut, and has its full text as a title.
        if (style.textOverflow === 'ellipsis' && el.title) continue;
        problems.push(`${describe(el)} cuts off its content (${el.scrollWidth} px in ${el.clientWidth} px)`);
      }
    }
    return problems;
  }, Object.keys(SIDEWAYS_ALLOWED));
}

// --- The keyboard ----------------------------------------------------------------------------------

export interface FocusStop {
  /** Where in the document the element is (its index among all elements). */
  order: number;
  what: string;
  /** The accessible role and name, as the browser's accessibility tree has them. */
  aria: string;
  name: string;
  /** Whether a focus indicator shows: an outline or a box shadow. */
  visible: boolean;
  /** Whether the element is in the page's footer. */
  footer: boolean;
}

/** The element that has the focus now. */
export async function focusStop(page: Page): Promise<FocusStop | null> {
  const info = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const all = document.getElementsByTagName('*');
    const order = Array.prototype.indexOf.call(all, el) as number;
    const style = getComputedStyle(el);
    const ring =
      (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== 'none';
    const what = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
    return { order, what, visible: ring, footer: el.closest('footer') !== null };
  });
  if (!info) return null;
  const aria =
    (
      await page
        .locator(':focus')
        .first()
        .ariaSnapshot()
        .catch(() => '')
    ).split('\n')[0] ?? '';
  // `- button "Name"`, or for an element named by its own text (a <summary>) `- text: Name`.
  const name = /"(.*)"/.exec(aria)?.[1] ?? /^- [\w-]+(?: \[[^\]]*\])?: (.+)$/.exec(aria)?.[1]?.trim() ?? '';
  return { ...info, aria, name };
}

/**
 * Presses Tab from the top of the page until `done` says so (or `limit` presses), and gives every stop: a trap
 * shows as the walk ending before `done` with the focus going round the same elements.
 */
export async function tabThrough(
  page: Page,
  done: (stop: FocusStop) => boolean,
  limit = 250,
): Promise<{ stops: FocusStop[]; reached: boolean }> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const stop = await focusStop(page);
    if (!stop) continue;
    stops.push(stop);
    if (done(stop)) return { stops, reached: true };
  }
  return { stops, reached: false };
}
