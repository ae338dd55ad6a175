/**
 * `npm run check:imports`: the import graph of the project's own code has no cycle, and every package in
 * package.json is imported somewhere (or run as a command by a script). Exits 1 naming each cycle and each unused package.
 *
 * madge and dependency-cruiser read TypeScript through the compiler's JavaScript API, which TypeScript 7 no longer
 * ships, so the graph is read here from the import statements themselves (static, dynamic and re-exports).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const folders = ['server', 'web', 'geodata', 'scripts', 'tests'];
const topFiles = ['vite.config.ts', 'vitest.config.ts'];
const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

/** Every .ts/.tsx file under the folders, relative to the project. */
export function sourceFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name)) found.push(relative(root, path));
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return [...found, ...topFiles];
}

/** The specifiers a file imports or resolves (`require.resolve('pkg/…')`), without query suffixes such as `?url`. */
export function importsOf(source: string): string[] {
  const resolved = [...source.matchAll(/\.resolve\(\s*['"]([^'".][^'"]*)['"]/g)].map((m) => m[1] ?? '');
  const imported = [...source.matchAll(importPattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return [...imported, ...resolved].map((specifier) => specifier.replace(/\?.*$/, ''));
}

/** The cycles of a directed graph, each as a list of nodes (one per strongly connected component, Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, indices.get(next) ?? 0));
    }
    if (low.get(node) !== indices.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.reverse());
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative and node: imports. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? null);
}

function main(): number {
  const files = sourceFiles();
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  const used = new Set<string>();
  for (const file of files) {
    const edges: string[] = [];
    for (const specifier of importsOf(readFileSync(join(root, file), 'utf8'))) {
      const pkg = packageOf(specifier);
      if (pkg) {
        used.add(pkg);
        continue;
      }
      if (!specifier.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(file), specifier));
      const match = [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts')].find((f) => known.has(f));
      if (match) edges.push(match);
    }
    graph.set(file, edges);
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const scripts = Object.values(manifest.scripts).join(' ') + readFileSync(join(root, 'scripts/test.sh'), 'utf8');
  // Packages used without an import: type packages, the commands scripts run, and peers the tools load by name.
  const usedWithoutImport = (pkg: string) =>
    pkg.startsWith('@types/') ||
    new RegExp(`\\b${pkg.replace(/^@[^/]+\//, '')}\\b`).test(scripts) ||
    pkg === 'typescript';
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  const unused = declared.filter((pkg) => !used.has(pkg) && !usedWithoutImport(pkg));
  const loops = cycles(graph);
  for (const loop of loops) console.error(`import cycle among ${loop.length} files: ${loop.join(', ')}`);
  for (const pkg of unused) console.error(`unused dependency: ${pkg} is in package.json, and nothing imports it`);
  if (loops.length || unused.length) return 1;
  console.log(`check-imports: ${files.length} files, no import cycle, all ${declared.length} dependencies used`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) process.exitCode = main();
