import { describe, expect, it } from 'vitest';
import { hrefFor, matchRoute } from './router.tsx';

describe('matchRoute', () => {
  it('knows the three pages, with or without a trailing slash', () => {
    expect(matchRoute('/')).toBe('planner');
    expect(matchRoute('/finder')).toBe('finder');
    expect(matchRoute('/council/')).toBe('council');
  });

  it('knows the programme index and one programme below it (issue 21)', () => {
    expect(matchRoute('/programmes')).toBe('programmes');
    expect(matchRoute('/programmes/sprachbruecke')).toBe('programmes');
    expect(matchRoute('/programmes/a/b')).toBeNull();
  });

  it('answers null for anything else', () => {
    expect(matchRoute('/finder/x')).toBeNull();
    expect(matchRoute('/Finder')).toBeNull();
    expect(matchRoute('/api')).toBeNull();
  });
});

describe('hrefFor', () => {
  it('keeps the language and drops page-specific parameters', () => {
    expect(hrefFor('/finder', '?lang=ar&zoom=12')).toBe('/finder?lang=ar');
    expect(hrefFor('/council', '')).toBe('/council');
  });
});
