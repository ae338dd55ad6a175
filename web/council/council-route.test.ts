import { describe, expect, it } from 'vitest';
import { matchRoute } from '../router.tsx';
import { councilAreaCode, councilPath } from './council-route.ts';

describe('council routes', () => {
  it('matches the overview and one level of action-area pages to the council page', () => {
    expect(matchRoute('/council')).toBe('council');
    expect(matchRoute('/council/022')).toBe('council');
    expect(matchRoute('/council/meylantviertel/')).toBe('council');
    expect(matchRoute('/council/022/x')).toBeNull();
    expect(matchRoute('/councils')).toBeNull();
    expect(matchRoute('/finder/022')).toBeNull();
  });

  it('reads the code from the path, null for the overview', () => {
    expect(councilAreaCode('/council')).toBeNull();
    expect(councilAreaCode('/council/')).toBeNull();
    expect(councilAreaCode('/council/022')).toBe('022');
    expect(councilAreaCode('/council/wambeler-heide/')).toBe('wambeler-heide');
    expect(councilAreaCode('/council/%E2%82%AC')).toBe('€');
    expect(councilAreaCode('/council/%E2')).toBe('%E2');
  });

  it('writes the path of an area', () => {
    expect(councilPath()).toBe('/council');
    expect(councilPath('022')).toBe('/council/022');
    expect(councilPath('a b')).toBe('/council/a%20b');
  });
});
