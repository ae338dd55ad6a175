import { describe, expect, it } from 'vitest';
import { formatReference, numberSources } from './citations.ts';

describe('numberSources', () => {
  const a = { id: 'do-addresses', title: 'Adressen', url: 'https://open-data.dortmund.de' };
  const b = { id: 'nrw-schools', title: 'Schulen', url: null };
  const pageA = { id: 'published-figures', title: 'Published', url: 'https://example.org/a' };
  const pageB = { id: 'published-figures', title: 'Published', url: 'https://example.org/b' };

  it('numbers sources in the order they are first cited, each once', () => {
    const list = numberSources([b, a, null, b, a]);
    expect(list.entries.map((e) => [e.number, e.id])).toEqual([
      [1, 'nrw-schools'],
      [2, 'do-addresses'],
    ]);
    expect(list.numbersOf([a, b, a])).toEqual([1, 2]);
  });

  it('keeps values published on different pages apart', () => {
    const list = numberSources([pageA, pageB, pageA]);
    expect(list.entries).toHaveLength(2);
    expect(list.numbersOf([pageB])).toEqual([2]);
  });

  it('gives no number for a source the list does not hold', () => {
    expect(numberSources([a]).numbersOf([b, undefined])).toEqual([]);
  });
});

describe('formatReference', () => {
  it('writes runs of three or more as a range', () => {
    expect(formatReference([])).toBe('');
    expect(formatReference([3])).toBe('[3]');
    expect(formatReference([2, 1])).toBe('[1, 2]');
    expect(formatReference([1, 2, 3, 5])).toBe('[1–3, 5]');
    expect(formatReference([1, 3, 4, 5, 6, 9, 9])).toBe('[1, 3–6, 9]');
  });
});
