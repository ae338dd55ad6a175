import { describe, expect, it } from 'vitest';
import { KEYWORDS, MISSING_TOPICS } from '../../server/domain/indicator-search-data.ts';
import { keywordsOf, THEME_LABELS } from '../../server/domain/indicators.ts';

describe('keywordsOf', () => {
  const catalogue = {
    themes: { social: { de: ['Armut'], en: ['poverty'] } },
    indicators: {
      'sgb2_*': { de: ['SGB II', 'Armut'], en: ['SGB II'] },
      sgb2_children_under15_count: { de: ['Kinderarmut'], en: ['child poverty'] },
    },
  };

  it('joins the theme’s words with those of the id and of every prefix of it, each once', () => {
    expect(keywordsOf('sgb2_children_under15_count', 'social', catalogue)).toEqual({
      de: ['Armut', 'SGB II', 'Kinderarmut'],
      en: ['poverty', 'SGB II', 'child poverty'],
    });
    expect(keywordsOf('sgb2_rate_pct', 'social', catalogue)).toEqual({
      de: ['Armut', 'SGB II'],
      en: ['poverty', 'SGB II'],
    });
    expect(keywordsOf('x', 'unknown', catalogue)).toEqual({ de: [], en: [] });
  });
});

describe('the catalogue file’s search words and missing topics', () => {
  it('gives every theme words in German and English, so that every indicator has some', () => {
    for (const theme of Object.keys(THEME_LABELS)) {
      expect(KEYWORDS.themes[theme]?.de.length, theme).toBeGreaterThan(0);
      expect(KEYWORDS.themes[theme]?.en.length, theme).toBeGreaterThan(0);
    }
  });

  it('names for every missing topic its reason and at least one proxy', () => {
    expect(MISSING_TOPICS.length).toBeGreaterThan(0);
    for (const m of MISSING_TOPICS) {
      expect(m.reason.de && m.reason.en, m.topic.en).toBeTruthy();
      expect(m.proxies.length, m.topic.en).toBeGreaterThan(0);
      expect(m.keywords.de.length + m.keywords.en.length, m.topic.en).toBeGreaterThan(0);
    }
  });
});
