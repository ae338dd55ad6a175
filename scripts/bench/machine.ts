import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { PG_BIN } from './cluster.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgresBinary: string | null;
  git: string;
  loadStart: number[];
  loadEnd: number[];
}

function tryRun(file: string, args: string[]): string | null {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgresBinary: tryRun(`${PG_BIN}/postgres`, ['--version']),
    git: tryRun('git', ['describe', '--always', '--dirty']) ?? 'unknown',
    loadStart: loadavg(),
    loadEnd: [],
  };
}

/** The commit checked out, and the uncommitted changes of the working tree (untracked files under .tmp/ aside). */
export function gitTree(cwd: string): { commit: string | null; changes: string[] } {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return null;
    }
  };
  const status = git(['status', '--porcelain']);
  return {
    commit: git(['rev-parse', 'HEAD'])?.trim() || null,
    changes:
      status === null
        ? ['git status failed']
        : status.split('\n').filter((line) => line.trim() !== '' && !/^\?\? \.tmp\//.test(line)),
  };
}
