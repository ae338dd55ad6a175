import { CATEGORIES } from '../../geodata/categories.ts';
import { launchBrowser } from '../../tests/support/browser.ts';
import { PRIMARY_CATEGORIES } from '../../web/finder/categories.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { APP_PROBE } from './frontend.ts';
import { MAP_CODE, measurePageBytes, type PageBytes, pageReady, type ReadyCondition } from './page-bytes.ts';
import type { ServerProcess } from './server-process.ts';

/**
 * Bytes per page until it is usable (issue 14), each page once in a fresh browser context (empty cache), with
 * scripts/bench/page-bytes.ts: the finder on a 390 × 844 phone until its search box and category chips are there,
 * the planner until its choropleth is painted (the probe of frontend.ts), the council overview until its cards
 * show their figures. Byte counts do not drift between runs as times do: one run each.
 */

export interface PageBytesFigure {
  page: 'finder' | 'planner' | 'council';
  path: string;
  viewport: { width: number; height: number };
  /** When the page counts as usable, in words. */
  usable: string;
  /** Script, style and font in brotli (as Chromium takes them) and in gzip; every body as received. */
  budgetBytes: number;
  budgetGzipBytes: number;
  totalBytes: number;
  byType: Record<string, number>;
  /** Every request counted: path, resource type and bytes as transferred and in gzip (the sums above are of these). */
  requests: { path: string; type: string; bodyBytes: number; brBytes: number; gzipBytes: number }[];
  /** Requests aborted while measuring (the map's code, which the finder loads after it is usable). */
  blocked: string[];
  /** Requests still open at the usable moment (not counted). */
  unfinished: number;
}

export type PageBytesResult = PageBytesFigure | { page: PageBytesFigure['page']; path: string; failed: string };

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const labelOf = (code: string) => CATEGORIES.find((c) => c.code === code)?.labels.de ?? code;

interface PageSpec {
  page: PageBytesFigure['page'];
  path: string;
  viewport: { width: number; height: number };
  usable: string;
  ready: ReadyCondition;
  probe?: string;
  /** Requests the page does not need to become usable, aborted while measuring. */
  block?: RegExp;
}

export const PAGES: PageSpec[] = [
  {
    page: 'finder',
    path: '/finder',
    viewport: PHONE,
    usable: 'the address field and every primary category chip visible, the map’s code blocked',
    block: MAP_CODE,
    ready: pageReady([
      `role=combobox[name="${de['finder.place.label']}"]`,
      ...PRIMARY_CATEGORIES.map((code) => `role=button[name="${labelOf(code)}"]`),
    ]),
  },
  {
    page: 'planner',
    path: '/',
    viewport: DESKTOP,
    usable: 'the choropleth painted (the probe of the front-end timing)',
    probe: APP_PROBE,
    ready: (page) =>
      page.waitForFunction(
        () => typeof (window as unknown as Record<string, unknown>).__benchPainted === 'number',
        null,
        {
          timeout: 60_000,
          polling: 50,
        },
      ),
  },
  {
    page: 'council',
    path: '/council',
    viewport: DESKTOP,
    // The cards are drawn once the data they show has arrived (web/council/overview.tsx), figures with them.
    usable: 'the overview’s area cards drawn with their figures',
    ready: pageReady(['.area-card .area-card__title']),
  },
];

export async function benchPageBytes(server: ServerProcess): Promise<PageBytesResult[]> {
  const browser = await launchBrowser();
  const origin = server.ready.appUrl;
  const out: PageBytesResult[] = [];
  for (const spec of PAGES) {
    const context = await browser.newContext({ viewport: spec.viewport, deviceScaleFactor: 1, locale: 'de-DE' });
    try {
      if (spec.probe) await context.addInitScript({ content: spec.probe });
      const page = await context.newPage();
      const measured: PageBytes = await measurePageBytes(page, `${origin}${spec.path}`, spec.ready, {
        block: spec.block,
      });
      out.push({
        page: spec.page,
        path: spec.path,
        viewport: spec.viewport,
        usable: spec.usable,
        budgetBytes: measured.budgetBytes,
        budgetGzipBytes: measured.budgetGzipBytes,
        totalBytes: measured.totalBytes,
        byType: measured.byType,
        requests: measured.requests.map((q) => ({
          path: new URL(q.url).pathname,
          type: q.type,
          bodyBytes: q.bodyBytes,
          brBytes: q.brBytes,
          gzipBytes: q.gzipBytes,
        })),
        blocked: measured.blocked.map((u) => new URL(u).pathname),
        unfinished: measured.unfinished.length,
      });
    } catch (err) {
      out.push({ page: spec.page, path: spec.path, failed: (err as Error).message.split('\n')[0] ?? 'failed' });
    } finally {
      await context.close();
    }
  }
  return out;
}
