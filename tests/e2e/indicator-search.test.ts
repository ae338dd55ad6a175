import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '../../web/api/client.ts';
import { translate } from '../../web/i18n/index.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { matchIndicator, missingTopicsFor } from '../../web/indicator-search.ts';
import { useAppServer } from '../support/app-server.ts';
import { type OpenedPage, openPage } from '../support/browser.ts';

/**
 * Finding an indicator in the planner's picker by what it stands for (issue 20): "Kinderarmut", "Armut" and
 * "Migration" find the indicators the catalogue's search words name; a search for a topic the data lack says so
 * and offers the nearest proxy; an indicator with values for fewer than half of the quarters says how many.
 * Expected titles and counts come from the catalogue API; in German and in Arabic (where the planner is English).
 */

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('finding an indicator in the planner', { timeout: 180_000 }, () => {
  const server = useAppServer();
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = (await (await fetch(`${server.url}/api/indicators`)).json()) as Catalogue;
  });
  /** The indicators with values for the quarters (the planner's default level), as the picker lists them. */
  const atQuarters = () =>
    catalogue.indicators.filter((i) => i.levels.some((l) => l.level === 'quarter' && l.with_value > 0));

  for (const lang of ['de', 'ar'] as const) {
    describe(lang, () => {
      let opened: OpenedPage;
      /** The planner in Arabic is not translated yet: its texts and titles are English. */
      const text = lang === 'de' ? 'de' : 'en';
      const label = lang === 'de' ? de['planner.indicator'] : translate('en', 'planner.indicator');
      beforeAll(async () => {
        // The picker needs the catalogue, not the map.
        opened = await openPage(`${server.url}/?lang=${lang}`, { timeoutMs: 90_000, waitForMap: false });
        await opened.guard(opened.page.getByRole('combobox', { name: label }).waitFor());
      });
      afterAll(async () => {
        await opened?.close();
      });

      async function search(query: string) {
        const picker = opened.page.getByRole('combobox', { name: label });
        await picker.fill(query);
        const options = await opened.page.locator('[role="listbox"]:visible [role="option"]').allTextContents();
        const missing = await opened.page.locator('.picker__missing:visible').allTextContents();
        return { options: options.map(clean), missing: missing.map(clean) };
      }

      for (const query of ['Kinderarmut', 'Armut', 'Migration']) {
        it(`finds for "${query}" the indicators that stand for it`, async () => {
          const expected = atQuarters().filter((i) => matchIndicator(query, i));
          expect(expected.length, query).toBeGreaterThan(0);
          const { options } = await search(query);
          for (const i of expected)
            expect(
              options.some((o) => o.startsWith(i.title[text])),
              i.id,
            ).toBe(true);
          expect(options.length).toBe(expected.length);
        });
      }

      it('says which data are missing for "SGB II" and offers the nearest proxy', async () => {
        const topics = missingTopicsFor('SGB II', catalogue.missing_topics);
        expect(topics.length).toBeGreaterThan(0);
        const { missing } = await search('SGB II');
        expect(missing.length).toBe(topics.length);
        for (const [k, topic] of topics.entries()) {
          expect(missing[k]).toContain(topic.topic[text]);
          expect(missing[k]).toContain(topic.reason[text]);
          const proxy = catalogue.indicators.find((i) => i.id === topic.proxies[0]);
          if (!proxy) throw new Error(`no proxy ${topic.proxies[0]}`);
          expect(missing[k]).toContain(proxy.title[text]);
        }
        // The proxy is one click away.
        const first = catalogue.indicators.find((i) => i.id === topics[0]?.proxies[0]);
        await opened.page
          .locator('.picker__missing:visible button', { hasText: first?.title[text] ?? '?' })
          .first()
          .click();
        await opened.guard(opened.page.waitForURL((url) => url.searchParams.get('ind') === first?.id));
      });

      it('marks an indicator with values for fewer than half of the quarters, with its coverage', async () => {
        const sparse = atQuarters().filter((i) => {
          const c = i.coverage.find((x) => x.level === 'quarter');
          return c && c.with_value * 2 < c.of;
        });
        expect(sparse.length).toBeGreaterThan(0);
        const one = sparse[0];
        const coverage = one?.coverage.find((x) => x.level === 'quarter');
        if (!one || !coverage) throw new Error('no sparse indicator');
        const { options } = await search(one.title[text]);
        const option = options.find((o) => o.startsWith(one.title[text]));
        expect(option).toContain(
          translate(text, 'planner.picker.coverage', { with: coverage.with_value, of: coverage.of }),
        );
        // One with values for every quarter carries no such mark.
        const full = atQuarters().find(
          (i) => i.coverage.find((x) => x.level === 'quarter')?.with_value === coverage.of,
        );
        if (!full) throw new Error('no indicator with values for every quarter');
        const plain = (await search(full.title[text])).options.find((o) => o.startsWith(full.title[text]));
        expect(plain).not.toContain(translate(text, 'planner.picker.coverage', { with: coverage.of, of: coverage.of }));
        await opened.screenshot(`indicator-search-coverage-${lang}`);
      });
    });
  }
});
