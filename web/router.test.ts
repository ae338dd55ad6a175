import { describe, expect, it } from 'vitest';
import { hrefFor, matchRoute } from './router.tsx';

describe('matchRoute', () => {
  it('knows the three pages, with or without a trailing slash', () => {
    expect(matchRoute('/')).toBe('planner');
    expect(matchRoute('/finder')).toBe('finder');
    expect(matchRoute('/council/')).toBe('council');
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
