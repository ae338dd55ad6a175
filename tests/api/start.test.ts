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

  beforeAll(async () => {
    await ensureWebBuild();
    child = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        GEODATA_DIR: join(import.meta.dirname, '../fixtures/mini-city'),
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const ready = output.match(/\[start\] ready in [\d.]+ s: (http:\/\/\S+)/);
        if (ready?.[1]) resolve(ready[1]);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, 240_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the package and reports each step with counts and seconds', () => {
    expect(output).toMatch(/\[import\] read addresses: 24 \([\d.]+ s\)/);
    expect(output).toMatch(/\[import\] swapped the new data in/);
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
});
