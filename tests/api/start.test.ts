import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../support/browser.ts';

/**
 * `npm start` end to end, on the embedded engine with a new data folder: it imports the package (the mini-city
 * fixture, so that the test stays quick; the real package takes the same path) and serves API and web app.
 */
describe('npm start without DATABASE_URL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlas-start-'));
  let child: ChildProcess;
  let url: string;
  let output = '';

  /** `npm start` on the data folder; resolves with its URL once it says it is ready. */
  function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    let text = '';
    const started = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        GEODATA_DIR: join(import.meta.dirname, '../fixtures/mini-city'),
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        const ready = text.match(/\[start\] ready in [\d.]+ s: (http:\/\/\S+)/);
        if (ready?.[1]) resolve({ child: started, url: ready[1], output: () => text });
      };
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      started.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${text}`)));
    });
  }

  beforeAll(async () => {
    await ensureWebBuild();
    const first = await start();
    child = first.child;
    url = first.url;
    output = first.output();
  }, 240_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the package and reports each step with counts and seconds', () => {
    expect(output).toMatch(/\[import\] read addresses: 24 \([\d.]+ s\)/);
    expect(output).toMatch(/\[import\] swapped the new data in/);
    // A new data folder: the package was read in a worker thread while PGlite started.
    expect(output).toMatch(/\[start\] database: embedded \(.+, a new data folder\), opened in [\d.]+ s/);
    expect(output).toContain('[start] the package was read in a worker thread while the database started');
  });

  it('is ready, with the loaded data version, and serves the web app on the same port', async () => {
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', engine: 'pglite' });
    const page = await fetch(`${url}/finder`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('starts again on the same folder without reading or importing the unchanged package', async () => {
    const again = await start();
    child = again.child;
    const text = again.output();
    expect(text).toMatch(/\[start\] database: embedded \([^,)]+\), opened in [\d.]+ s/);
    expect(text).toMatch(/\[import\] the package is unchanged/);
    expect(text).not.toContain('worker thread');
    expect(text).not.toMatch(/\[import\] read addresses/);
    expect((await fetch(`${again.url}/ready`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
