import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChildOptions, ChildReady, Reply, Request, Workload } from './protocol.ts';
import type { LoadStats } from './stats.ts';

/** The parent's handle on scripts/bench/server-child.ts: start it, ask it things, stop it. */
export interface ServerProcess {
  ready: ChildReady;
  workload(): Promise<Workload>;
  mirror(name: string, path: string, headers: Record<string, string>): Promise<{ bytes: number; copied: string[] }>;
  sql(sql: string, params: unknown[][], concurrency: number, amount: number, maxSeconds: number): Promise<LoadStats>;
  explain(sql: string, params: unknown[]): Promise<string[]>;
  frontend(page: string): Promise<string>;
  /** CPU time the server process has used so far, µs. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

const CHILD = join(import.meta.dirname, 'server-child.ts');

export function startServerProcess(options: ChildOptions, timeoutMs = 600_000): Promise<ServerProcess> {
  const child: ChildProcess = fork(CHILD, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;

  const call = <T>(req: Request): Promise<T> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('the bench server process has exited'));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...req });
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bench server process was not ready within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      for (const p of pending.values()) p.reject(new Error(`the bench server process ended (${signal ?? code})`));
      pending.clear();
      reject(new Error(`the bench server process ended before it was ready (${signal ?? code})`));
    });
    child.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        clearTimeout(timer);
        resolve({
          ready: reply.ready,
          workload: () => call({ type: 'workload' }),
          mirror: (name, path, headers) => call({ type: 'mirror', name, path, headers }),
          sql: (sql, params, concurrency, amount, maxSeconds) =>
            call({ type: 'sql', sql, params, concurrency, amount, maxSeconds }),
          explain: (sql, params) => call({ type: 'explain', sql, params }),
          frontend: (page) => call({ type: 'frontend', page }),
          cpu: () => call({ type: 'cpu' }),
          async stop() {
            if (exited) return;
            const gone = new Promise<void>((done) => child.once('exit', () => done()));
            await call({ type: 'stop' }).catch(() => {});
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await gone;
            clearTimeout(killer);
          },
        });
        return;
      }
      if ('failed' in reply) {
        clearTimeout(timer);
        return reject(new Error(`the bench server process failed: ${reply.failed}`));
      }
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
    });
  });
}
