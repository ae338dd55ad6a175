import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { createToken } from '../../server/db/queries/tokens.ts';
import { readEnv } from '../../server/env.ts';
import type { ProgrammeDetail } from '../../server/routes/programmes.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import type { Catalogue, Gaps, WebConfig } from '../../web/api/client.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { defaultGapPair } from '../../web/planner/symbology.ts';
import { closeBrowser, ensureWebBuild, openPage } from '../support/browser.ts';
import { realDb } from '../support/db.ts';

/**
 * The programme page (issue 21) in Chromium on the real data package, at phone width. A list naming one programme
 * at real addresses in three quarters (a youth club and two family centres) is uploaded through the API, on the
 * embedded engine's private copy of the package; the page then lists where the programme runs by quarter and
 * action area as the API says, draws its map, and names the quarters of the planner's gap ranking (its default
 * need and supply, from the manifest through /api/config) that the programme does not reach. The planner's card of
 * a quarter it reaches counts the list's offers per age stage as the profile does.
 */
const PHONE = { width: 390, height: 844 };
const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));

describe('the programme page', { timeout: 300_000 }, () => {
  let db: Db;
  let server: RunningServer;
  let work: string;

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  beforeAll(async () => {
    await ensureWebBuild();
    work = mkdtempSync(join(tmpdir(), 'atlas-programme-'));
    db = await realDb('pglite');
    const token = await createToken(db, 'e2e-programme', 'editor');
    server = await startServer({ db, env: readEnv({ UPLOADS_DIR: join(work, 'uploads') }) }, 0, '127.0.0.1');
    // One address with a plain house number in each of three quarters of the package.
    const addresses = await db.query<{ street: string; house_number: string }>(
      `SELECT DISTINCT ON (quarter_code) street, house_number FROM atlas.address
       WHERE house_number ~ '^[0-9]+$' AND quarter_code IN (SELECT code FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 3)
       ORDER BY quarter_code, id`,
    );
    const kinds = ['Jugendfreizeitstätte', 'Familienzentrum', 'Familienzentrum'];
    const csv = [
      'name;category;street;house_number;programme',
      ...addresses.map((a, i) => `Sprachtreff ${i + 1};${kinds[i]};${a.street};${a.house_number};Sprachbrücke`),
    ].join('\n');
    const body = new FormData();
    body.set('file', new Blob([csv]), 'sprachbruecke.csv');
    body.set(
      'meta',
      JSON.stringify({
        id: 'e2e-sprachbruecke',
        title: 'Sprachbrücke (Test)',
        publisher: 'Jugendamt (Test)',
        date: '2026-11-30',
        licence: 'dl-de/by-2-0',
        attribution: 'Testdaten',
        visibility: 'public',
        categories: { Jugendfreizeitstätte: 'youth', Familienzentrum: 'family' },
      }),
    );
    const stored = await fetch(`${server.url}/api/offer-lists`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    expect(stored.status, await stored.clone().text()).toBe(201);
  });
  afterAll(async () => {
    await closeBrowser();
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('lists where the programme runs and the quarters of high need it does not reach, with a map, at phone width', async () => {
    const programme = await api<ProgrammeDetail>('/api/programmes/sprachbruecke');
    expect(new Set(programme.offers.map((o) => o.category))).toEqual(new Set(['youth', 'family']));
    const [config, catalogue] = await Promise.all([api<WebConfig>('/api/config'), api<Catalogue>('/api/indicators')]);
    const pair = defaultGapPair(catalogue.indicators, 'quarter', config.planner);
    if (!pair.need || !pair.supply) throw new Error('the package has no gap pair for quarters');
    const gaps = await api<Gaps>(`/api/analysis/gaps?level=quarter&need=${pair.need}&supply=${pair.supply}`);
    const reached = new Set(programme.quarters.map((q) => q.code));
    const unreached = gaps.gaps.filter((g) => !reached.has(g.code)).map((g) => `${g.code} ${g.name}`);

    const opened = await openPage(`${server.url}/programmes/sprachbruecke`, { viewport: PHONE, timeoutMs: 90_000 });
    const { page } = opened;
    await opened.guard(
      page.getByRole('heading', { level: 1, name: fill(de['programme.title'], { name: 'Sprachbrücke' }) }).waitFor(),
    );
    const quarterRows = page.locator('[data-testid="programme-quarters"] tbody th');
    expect(await quarterRows.allTextContents()).toEqual(
      programme.quarters.map((q) => `${q.code} ${q.name} (${q.district.name})`),
    );
    const areaRows = await page.locator('[data-testid="programme-action-areas"] tbody tr').count();
    expect(areaRows).toBe(programme.action_areas.length + (programme.outside_action_areas > 0 ? 1 : 0));
    const section = page.locator('[data-testid="programme-unreached"]');
    await opened.guard(section.locator('.programme-note').waitFor());
    if (unreached.length > 0) expect(await section.locator('li').allTextContents()).toEqual(unreached);
    else await section.getByText(de['programme.allReached']).waitFor();
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // To the index of programmes, within the app, by keyboard.
    await page.getByRole('link', { name: de['programme.list'] }).focus();
    await page.keyboard.press('Enter');
    await opened.guard(page.getByRole('link', { name: 'Sprachbrücke' }).waitFor());
    await opened.close();

    // The planner's area card of a quarter the programme reaches: its offers per age stage, as the profile says.
    const code = programme.quarters[0]?.code as string;
    const profile = await api<{ age_stages: { stages: { offers: number }[]; age_not_given: number } | null }>(
      `/api/areas/quarter/${code}/profile`,
    );
    const ages = profile.age_stages;
    if (!ages) throw new Error('the profile counts no offers per age stage');
    expect(ages.age_not_given).toBeGreaterThan(0); // the list gives no ages
    const planner = await openPage(`${server.url}/?area=${code}`, { timeoutMs: 90_000 });
    const card = planner.page.locator(`.profile[data-area="${code}"] [data-testid="age-stages"]`);
    await planner.guard(card.waitFor({ timeout: 60_000 }));
    await card.locator('summary').click();
    const cells = await card.locator('tbody td').allTextContents();
    expect(cells).toEqual([...ages.stages.map((s) => String(s.offers)), String(ages.age_not_given)]);
    expect(await card.locator('tbody th').last().textContent()).toBe(de['planner.profile.ageNotGiven']);
    await planner.close();
  });
});
