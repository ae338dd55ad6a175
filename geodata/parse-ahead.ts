import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { defaultManifestPath, type ParsedPackage, publishedIndicators, readPackage } from './import.ts';
import { loadManifest } from './manifest.ts';

/**
 * Reads the data package in a worker thread (readPackage of import.ts), so that it runs beside what the main
 * thread does meanwhile: `npm start` starts the embedded database, which keeps the main thread busy for a
 * quarter of a minute on a new data folder. runImport takes the promise as `parsed`; the log lines come along
 * to be printed in the import's order.
 */

const BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));`;

interface Job {
  parseAhead: true;
  dir: string;
  manifestPath: string;
}

export function parseAhead(dir: string, manifestPath?: string): Promise<{ parsed: ParsedPackage; lines: string[] }> {
  const job: Job = { parseAhead: true, dir, manifestPath: manifestPath ?? defaultManifestPath(dir) };
  return new Promise((resolve, reject) => {
    // A worker does not inherit tsx's loader: it loads this file through tsx's API.
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { ...job, entry: import.meta.url, tsx: import.meta.resolve('tsx/esm/api') },
    });
    worker.once('message', (result: { parsed: ParsedPackage; lines: string[] } | { error: string }) => {
      if ('error' in result) reject(new Error(result.error));
      else resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the package reader ended (${code})`)));
  });
}

if (!isMainThread && (workerData as Job | undefined)?.parseAhead) {
  const { dir, manifestPath } = workerData as Job;
  const lines: string[] = [];
  let t = performance.now();
  const log = (line: string) => lines.push(line);
  try {
    const parsed = readPackage(dir, loadManifest(manifestPath), publishedIndicators(), {
      log,
      warn: (w) => log(`  warning: ${w}`),
      step: (name, count) => {
        const now = performance.now();
        log(
          `[import] ${name}${count === undefined ? '' : `: ${count.toLocaleString('en')}`} (${((now - t) / 1000).toFixed(1)} s)`,
        );
        t = now;
      },
    });
    parentPort?.postMessage({ parsed, lines });
  } catch (err) {
    parentPort?.postMessage({ error: (err as Error).message });
  }
}
