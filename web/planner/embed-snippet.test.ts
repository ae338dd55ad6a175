import { describe, expect, it } from 'vitest';
import { embedSnippet } from './export-actions.tsx';

/** Issue 17: the planner's "Copy embed code" gives an <iframe> of /embed with the view's query, safely quoted. */
describe('embed code', () => {
  it('frames /embed with the view of the planner, lazily, without a referrer', () => {
    const code = embedSnippet('https://atlas.example', '?ind=residents&level=quarter&lang=de', 'Karte: Einwohner');
    const src = /src="([^"]*)"/.exec(code)?.[1];
    expect(src).toBe('https://atlas.example/embed?ind=residents&amp;level=quarter&amp;lang=de');
    expect(code).toMatch(/^<iframe [^>]*><\/iframe>$/);
    expect(code).toContain('title="Karte: Einwohner"');
    expect(code).toContain('loading="lazy"');
    expect(code).toContain('referrerpolicy="no-referrer"');
  });

  it('keeps quotes and tags of a title from breaking out of the attribute', () => {
    const code = embedSnippet('https://atlas.example', '', 'A "quoted" <b>title</b> & more');
    expect(code).toContain('title="A &quot;quoted&quot; &lt;b>title&lt;/b> &amp; more"');
    expect(code.match(/<iframe/g)).toHaveLength(1);
  });
});
