import { describe, expect, it } from 'vitest';
import { cycles, importsOf, packageOf } from '../../scripts/check-imports.ts';

describe('the import check', () => {
  it('reads static, dynamic, side-effect and re-export imports and require.resolve, without query suffixes', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "import './side.css';",
      "export { c } from '@scope/pkg/sub';",
      "const d = await import('./d.ts');",
      "import worker from 'maplibre-gl/dist/worker.mjs?url';",
      "const path = createRequire(import.meta.url).resolve('schemas-pkg/v3.1/schema.json');",
      "// a word like import in a comment: 'not-a-package'",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      './a.ts',
      '../b.ts',
      './side.css',
      '@scope/pkg/sub',
      './d.ts',
      'maplibre-gl/dist/worker.mjs',
      'schemas-pkg/v3.1/schema.json',
    ]);
  });

  it('names the package of a specifier', () => {
    expect(packageOf('@scope/pkg/sub')).toBe('@scope/pkg');
    expect(packageOf('hono/secure-headers')).toBe('hono');
    expect(packageOf('node:fs')).toBeNull();
    expect(packageOf('./x.ts')).toBeNull();
  });

  it('finds every cycle, a self-import included, and nothing in a graph without one', () => {
    const graph = new Map([
      ['app', ['routes']],
      ['routes', ['cached', 'domain']],
      ['cached', ['app']],
      ['domain', []],
      ['self', ['self']],
    ]);
    expect(cycles(graph).map((c) => [...c].sort())).toEqual([['app', 'cached', 'routes'], ['self']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });
});
