import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { createToken } from '../../server/db/queries/tokens.ts';
import { readEnv } from '../../server/env.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { closeBrowser, ensureWebBuild, openPage } from '../support/browser.ts';
import { realDb } from '../support/db.ts';

/**
 * The editors' page /tables (issues 15 and 21) in Chromium against the real data package. The uploads write, so
 * the suite runs on the embedded engine's private copy of the imported package (the shared PostgreSQL database of
 * the package is read-only for suites); the token is made by the code `npm run token` runs.
 *
 * (a) An editor uploads a small table of a new indicator (the package's own quarter codes, read here), sees the
 *     dry-run report, fixes nothing, stores it, and finds the indicator in the planner's picker with the legend
 *     the API classifies.
 * (b) An editor uploads a list of two youth clubs at real addresses of the package, one misspelt so that it does
 *     not match, types the right address into the report, checks again and stores; a resident then finds the club
 *     open on a Friday evening with the finder's "open at" filter.
 */
const PHONE = { width: 390, height: 844 };
const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));

describe('the editors page', { timeout: 300_000 }, () => {
  let db: Db;
  let server: RunningServer;
  let token: string;
  let work: string;

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  /** Signs in on /tables at phone width and waits for both sections. */
  async function signIn(allowStatus?: (url: string, status: number) => boolean) {
    const opened = await openPage(`${server.url}/tables`, {
      viewport: PHONE,
      waitForMap: false,
      timeoutMs: 60_000,
      allowStatus,
    });
    const { page } = opened;
    await page.getByLabel(de['tables.signIn.token']).fill(token);
    await page.getByRole('button', { name: de['tables.signIn.submit'] }).click();
    await opened.guard(page.getByRole('heading', { name: de['tables.lists.title'], exact: true }).waitFor());
    // The token lives in the tab's session, never in the URL or in localStorage.
    expect(page.url()).not.toContain(token);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(token);
    expect(await page.evaluate(() => Object.values({ ...sessionStorage }))).toContain(token);
    return opened;
  }

  beforeAll(async () => {
    await ensureWebBuild();
    work = mkdtempSync(join(tmpdir(), 'atlas-editor-'));
    db = await realDb('pglite');
    token = await createToken(db, 'e2e-editor', 'editor');
    server = await startServer({ db, env: readEnv({ UPLOADS_DIR: join(work, 'uploads') }) }, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await closeBrowser();
    await server?.close();
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('(#15) checks and stores a table through the page; the planner shows the new indicator as the API classifies it', async () => {
    const areas = await api<{ features: { properties: { code: string } }[] }>('/api/areas?level=quarter');
    const codes = areas.features.map((f) => f.properties.code);
    // A share per quarter, made up for the test from its position in the list (never from the package).
    const csv = [
      'level;code;date;indicator;value',
      ...codes.map((code, i) => `quarter;${code};2025-12-31;e2e_share;${((i * 37) % 90) + 5},5`),
    ].join('\n');
    const file = join(work, 'e2e-share.csv');
    writeFileSync(file, csv);

    // The end of this test tries a wrong token: its 401, and Chromium's console line about it, are expected.
    const isRefusal = (url: string, status: number) => status === 401 && url.endsWith('/api/tables');
    const opened = await signIn(isRefusal);
    const { page } = opened;
    const section = page.locator('section', {
      has: page.getByRole('heading', { name: de['tables.indicators.title'], exact: true }),
    });
    await section.getByLabel(de['tables.upload.file']).setInputFiles(file);
    const form: [keyof typeof de, string][] = [
      ['tables.field.indicatorId', 'e2e_share'],
      ['tables.field.titleDe', 'Testanteil Redaktion'],
      ['tables.field.titleEn', 'Editors test share'],
      ['tables.field.unit', '%'],
      ['tables.field.sourceTitle', 'Test der Redaktionsseite'],
      ['tables.field.sourceUrl', 'https://example.org/e2e'],
      ['tables.field.licence', 'dl-de/by-2-0'],
      ['tables.field.attribution', 'Testdaten'],
    ];
    for (const [label, value] of form) await section.getByLabel(de[label], { exact: true }).fill(value);
    await section.getByLabel(de['tables.field.visibility']).selectOption('public');
    // The form wrote the metadata the API takes.
    const meta = JSON.parse(await section.getByLabel(de['tables.meta.json']).inputValue());
    expect(meta.indicators.e2e_share).toMatchObject({ unit: '%', visibility: 'public', direction: 'need' });

    // The dry run's report is the API's, row by row.
    const body = new FormData();
    body.set('file', new Blob([csv]), 'e2e-share.csv');
    body.set('meta', JSON.stringify(meta));
    const dry = await fetch(`${server.url}/api/tables?dry_run=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    expect(dry.status).toBe(200);
    const expected = (await dry.json()) as { findings: { row: number | null; reason: string }[] };
    await section.getByRole('button', { name: de['tables.upload.check'] }).click();
    await opened.guard(section.getByText(de['tables.report.ok']).waitFor());
    if (expected.findings.length === 0) expect(await section.getByText(de['tables.report.noFindings']).count()).toBe(1);
    else
      expect(await section.locator('.editor-findings tbody td:nth-child(3)').allTextContents()).toEqual(
        expected.findings.map((f) => f.reason),
      );

    await section.getByRole('button', { name: de['tables.upload.store'] }).click();
    await opened.guard(section.getByText(fill(de['tables.report.stored'], { id: 'e2e_share', version: 1 })).waitFor());
    // Listed among the stored tables, with its version and audit entry.
    await section.getByRole('button', { name: /e2e_share/ }).click();
    await opened.guard(section.locator('.editor-audit li').first().waitFor());
    expect(await section.locator('.editor-audit li').first().textContent()).toContain('e2e-editor');

    // Signing out forgets the token; a wrong one is refused in words and leaves nobody signed in.
    await page.getByRole('button', { name: de['tables.signOut'] }).click();
    await page.getByLabel(de['tables.signIn.token']).waitFor();
    expect(await page.evaluate(() => Object.values({ ...sessionStorage }))).not.toContain(token);
    await page.getByLabel(de['tables.signIn.token']).fill(`${token}x`);
    await page.getByRole('button', { name: de['tables.signIn.submit'] }).click();
    await page.getByText(de['tables.error.401']).waitFor();
    expect(await page.evaluate(() => Object.values({ ...sessionStorage }))).toEqual([]);
    expect(
      opened.problems.filter((p) => !/^console error: Failed to load resource: .* 401 .*\/api\/tables\b/.test(p)),
    ).toEqual([]);
    await opened.context.close();

    // The planner: the indicator is in the picker; its legend has the API's classes.
    const values = await api<{ classification: { breaks: number[] } }>(
      '/api/indicators/e2e_share/values?level=quarter&classification=quantile&classes=5',
    );
    const planner = await openPage(`${server.url}/`, { timeoutMs: 60_000 });
    const picker = planner.page.getByRole('combobox', { name: de['planner.indicator'] });
    await picker.fill('Testanteil Redaktion');
    await planner.page.locator('[role="option"][data-id="e2e_share"]').click();
    await planner.guard(
      planner.page.waitForSelector('.planner[data-ready="true"][data-indicator="e2e_share"]', { timeout: 60_000 }),
    );
    expect(await planner.page.locator('.legend__title').textContent()).toContain('Testanteil Redaktion');
    await planner.guard(planner.page.waitForFunction(legendShows, values.classification.breaks, { timeout: 30_000 }));
    await planner.close();
  });

  it('(#21) fixes an unmatched address in the report, stores the list, and the finder shows the club open on a Friday evening', async () => {
    // Two real addresses of the package, in one quarter, with a plain house number.
    const [a, b] = await db.query<{ street: string; house_number: string; lon: number; lat: number }>(
      `SELECT street, house_number, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address
       WHERE house_number ~ '^[0-9]+$' AND length(street) > 8
         AND quarter_code = (SELECT quarter_code FROM atlas.address GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)
       ORDER BY id LIMIT 2`,
    );
    if (!a || !b) throw new Error('no addresses in the package');
    // The fixture's header and first row's kind; the rows' addresses are the package's.
    const fixture = readFileSync(join(import.meta.dirname, '../fixtures/offer-lists/youth-clubs.csv'), 'utf8');
    const header = fixture.split('\n')[0] as string;
    const misspelt = `${b.street.slice(0, 3)}xq${b.street.slice(5)}`;
    const csv = [
      header,
      `Jugendtreff Abendrot;Jugendfreizeitstätte;${a.street};${a.house_number};"Fr 17:00-22:00";12;21;de;yes;;;;;`,
      `Jugendclub Mittag;Jugendfreizeitstätte;${misspelt};${b.house_number};"Mo-Fr 12:00-15:00";6;14;de;;;;;;`,
    ].join('\n');
    const file = join(work, 'youth.csv');
    writeFileSync(file, csv);

    // The first check answers 422 (an unmatched row): expected, as is Chromium's console line about it.
    const opened = await signIn((url, status) => status === 422 && url.includes('/api/offer-lists?dry_run=1'));
    const { page } = opened;
    const section = page.locator('section', {
      has: page.getByRole('heading', { name: de['tables.lists.title'], exact: true }),
    });
    await section.getByLabel(de['tables.upload.file']).setInputFiles(file);
    const form: [keyof typeof de, string][] = [
      ['tables.field.listId', 'e2e-jugend'],
      ['tables.field.title', 'Jugendfreizeitstätten (Test)'],
      ['tables.field.publisher', 'Jugendamt (Test)'],
      ['tables.field.licence', 'dl-de/by-2-0'],
      ['tables.field.attribution', 'Testdaten Jugendamt'],
      ['tables.field.categories', 'Jugendfreizeitstätte = youth'],
    ];
    for (const [label, value] of form) await section.getByLabel(de[label], { exact: true }).fill(value);
    await section.getByLabel(de['tables.field.date']).fill('2026-11-30');
    await section.getByLabel(de['tables.field.visibility']).selectOption('public');

    await section.getByRole('button', { name: de['tables.upload.check'] }).click();
    // Row 3 (the header is row 1) did not match: the report says so, with the nearest candidates.
    const unmatched = section.locator('.editor-rows tr[data-row="3"]');
    await unmatched.waitFor();
    expect(await unmatched.getAttribute('data-match')).toBe('unmatched');
    expect(await section.locator('.editor-rows tr[data-row="2"]').getAttribute('data-match')).toMatch(
      /^(exact|normalised)$/,
    );
    expect(await section.getByRole('button', { name: de['tables.upload.store'] }).isDisabled()).toBe(true);
    await unmatched.getByLabel(fill(de['tables.fix.address'], { row: 3 })).fill(`${b.street} ${b.house_number}`);
    await unmatched.getByRole('button', { name: de['tables.fix.apply'] }).click();
    const meta = JSON.parse(await section.getByLabel(de['tables.meta.json']).inputValue());
    expect(meta.fixes).toEqual({ '3': { street: b.street, house_number: b.house_number } });

    await section.getByRole('button', { name: de['tables.upload.check'] }).click();
    await section.getByText(de['tables.report.ok']).waitFor();
    expect(await section.locator('.editor-rows tr[data-row="3"]').getAttribute('data-match')).not.toBe('unmatched');
    await section.getByRole('button', { name: de['tables.upload.store'] }).click();
    // Storing derives the computed indicators again (issue 21): seconds, more on a loaded machine.
    await section
      .getByText(fill(de['tables.report.stored'], { id: 'e2e-jugend', version: 1 }))
      .waitFor({ timeout: 180_000 });
    const unexpected = opened.problems.filter(
      (p) => !/^console error: Failed to load resource: .* 422 .*\/api\/offer-lists\?dry_run=1/.test(p),
    );
    expect(unexpected).toEqual([]);
    await opened.context.close();

    // A Friday evening in the coming week, in the city's local time as the finder's field takes it.
    const day = new Date();
    do day.setUTCDate(day.getUTCDate() + 1);
    while (day.getUTCDay() !== 5);
    const friday = `${day.toISOString().slice(0, 10)}T19:30`;
    const nearest = await api<{ features: { properties: { name: string; open_now?: boolean | null } }[] }>(
      `/api/offers/nearest?lon=${a.lon}&lat=${a.lat}&category=youth&open_at=${friday}&k=10`,
    );
    expect(nearest.features.map((f) => f.properties.name)).toContain('Jugendtreff Abendrot');
    expect(nearest.features.map((f) => f.properties.name)).not.toContain('Jugendclub Mittag');

    // The resident: the finder at the club's address, youth offers, open at Friday 19:30 (the filter's field).
    const finder = await openPage(
      `${server.url}/finder?at=${a.lon.toFixed(5)},${a.lat.toFixed(5)}&place=${encodeURIComponent(`${a.street} ${a.house_number}`)}&cat=youth`,
      { viewport: PHONE, waitForMap: false, timeoutMs: 60_000 },
    );
    const fpage = finder.page;
    await finder.guard(fpage.locator('.result').first().waitFor({ timeout: 60_000 }));
    await fpage.locator('.offer-filters summary').click();
    await fpage.getByLabel(de['finder.filters.openAt']).fill(friday);
    await finder.guard(fpage.waitForURL(/open=/));
    const names = fpage.locator('.result__name');
    await finder.guard(
      fpage.waitForFunction(
        () => [...document.querySelectorAll('.result__name')].some((n) => n.textContent === 'Jugendtreff Abendrot'),
        null,
        { timeout: 60_000 },
      ),
    );
    expect(await names.allTextContents()).not.toContain('Jugendclub Mittag');
    expect(new URL(fpage.url()).searchParams.get('open')).toBe(friday);
    await finder.close();
  });
});

/** Whether the legend's visible upper bounds are `breaks`, each to the decimals it is written with (in the page). */
function legendShows(breaks: readonly number[]): boolean {
  const rows = [
    ...document.querySelectorAll<HTMLElement>('.legend__classes tbody tr:not(.legend__class--missing) .legend__range'),
  ];
  return (
    rows.length === breaks.length &&
    rows.every((r, i) => {
      const numbers = (r.innerText.split(/[◆＋]/)[0] ?? '').match(/[-−]?\d[\d.]*(?:,\d+)?/g) ?? [];
      const last = numbers[numbers.length - 1] ?? '';
      const value = Number(last.replace(/\./g, '').replace(',', '.').replace('−', '-'));
      const digits = (last.split(',')[1] ?? '').length;
      return Math.abs(value - (breaks[i] as number)) <= 0.5 * 10 ** -digits + 1e-9;
    })
  );
}
