import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { staticRoutes } from '../../server/routes/static.ts';
import { ensureWebBuild, WEB_DIST_DIR } from './browser.ts';

/**
 * The web app served from a private copy of its build: other test runs in the same work tree rebuild dist/web
 * while a browser suite runs (emptying it first), which would fail page loads at random. The copy is taken under
 * ensureWebBuild's lock; a build written without that lock can still be caught half-written, so the copy must hold
 * every file its index.html names, else the suite builds the app into a folder of its own.
 */
export async function snapshotWebBuild(): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await copyWebBuild();
    if (complete(dir)) return dir;
    rmSync(dir, { recursive: true, force: true });
    await new Promise((done) => setTimeout(done, 5000));
  }
  const dir = mkdtempSync(join(tmpdir(), 'atlas-web-'));
  const root = resolve(import.meta.dirname, '../..');
  await new Promise<void>((done, fail) =>
    execFile(
      process.execPath,
      [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', dir, '--emptyOutDir'],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (err) => (err ? fail(err) : done()),
    ),
  );
  return dir;
}

/** Whether every script, style and module preload index.html names is in the folder. */
function complete(dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const named = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\/([^"]+)"/g)].map((m) => m[1] ?? '');
  return named.length > 0 && named.every((file) => existsSync(join(dir, file.split('?')[0] ?? file)));
}

async function copyWebBuild(): Promise<string> {
  await ensureWebBuild();
  const lock = resolve(import.meta.dirname, '../../.tmp/web-build.lock');
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`snapshotWebBuild: ${lock} held for too long`);
      await new Promise((done) => setTimeout(done, 250));
    }
  }
  try {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-web-'));
    cpSync(WEB_DIST_DIR, dir, { recursive: true });
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface SnapshotServer {
  url: string;
  close(): Promise<void>;
}

/** The app as startServer serves it, the pages from a private copy of the build; closing removes the copy. */
export async function serveSnapshot(db: Db): Promise<SnapshotServer> {
  const webDir = await snapshotWebBuild();
  const app = createApp({ db, env: readEnv({}) });
  const pages = staticRoutes({ root: webDir });
  const appPaths = /^\/(api|tiles)(\/|$)|^\/(health|ready)$/;
  return new Promise((done) => {
    const server = serve(
      {
        fetch: (req) => (appPaths.test(new URL(req.url).pathname) ? app.fetch(req) : pages.fetch(req)),
        port: 0,
        hostname: '127.0.0.1',
      },
      (info: AddressInfo) =>
        done({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((closed) =>
              server.close(() => {
                rmSync(webDir, { recursive: true, force: true });
                closed();
              }),
            ),
        }),
    );
  });
}
