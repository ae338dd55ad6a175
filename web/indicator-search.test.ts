import { describe, expect, it } from 'vitest';
import { matchIndicator, missingTopicsFor, sparseCoverage } from './indicator-search.ts';

const indicator = (id: string, title: string, theme: string, keywords: { de: string[]; en: string[] }) => ({
  id,
  title: { de: title, en: title },
  theme_label: { de: theme, en: theme },
  keywords,
});

describe('matchIndicator', () => {
  const index = indicator('school_social_index', 'Schulsozialindex', 'Soziale Lage', {
    de: ['Kinderarmut', 'Armut'],
    en: ['child poverty'],
  });

  it('finds an indicator by its search words, parts of words, case and accents aside', () => {
    expect(matchIndicator('Kinderarmut', index)).toBe(true);
    expect(matchIndicator('armut', index)).toBe(true);
    expect(matchIndicator('CHILD poverty', index)).toBe(true);
    expect(matchIndicator('soziale lage', index)).toBe(true);
    expect(matchIndicator('Migration', index)).toBe(false);
  });

  it('needs every word of the search, and matches all for an empty one', () => {
    expect(matchIndicator('armut index', index)).toBe(true);
    expect(matchIndicator('armut kita', index)).toBe(false);
    expect(matchIndicator('  ', index)).toBe(true);
  });

  it('ignores accents and ß both ways', () => {
    const street = indicator('x', 'Straße', 'Übersicht', { de: [], en: [] });
    expect(matchIndicator('strasse', street)).toBe(true);
    expect(matchIndicator('ubersicht', street)).toBe(true);
  });
});

describe('missingTopicsFor', () => {
  const topics = [
    {
      topic: { de: 'SGB II', en: 'SGB II' },
      keywords: { de: ['Bürgergeld', 'Kinderarmut'], en: ['child poverty'] },
      reason: { de: 'keine Daten', en: 'no data' },
      proxies: ['school_social_index'],
    },
  ];

  it('names the topics a search is about, none for an empty search', () => {
    expect(missingTopicsFor('buergergeld', topics)).toEqual(topics);
    expect(missingTopicsFor('Burgergeld', topics)).toEqual(topics);
    expect(missingTopicsFor('sgb ii', topics)).toEqual(topics);
    expect(missingTopicsFor('', topics)).toEqual([]);
    expect(missingTopicsFor('Kita', topics)).toEqual([]);
  });
});

describe('sparseCoverage', () => {
  const coverage = (withValue: number, of: number) => ({
    coverage: [{ level: 'quarter' as const, with_value: withValue, of }],
  });

  it('marks values for fewer than half of the areas of a level, with the counts', () => {
    expect(sparseCoverage(coverage(8, 62), 'quarter')).toEqual({ with_value: 8, of: 62 });
    expect(sparseCoverage(coverage(31, 62), 'quarter')).toBeNull();
    expect(sparseCoverage(coverage(62, 62), 'quarter')).toBeNull();
    expect(sparseCoverage(coverage(0, 12), 'quarter')).toEqual({ with_value: 0, of: 12 });
    expect(sparseCoverage(coverage(1, 12), 'district')).toBeNull();
  });
});
