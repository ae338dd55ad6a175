import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  categoryWords,
  houseNumberOf,
  parseQuery,
  searchKey,
  splitCategoryAndPlace,
  trigramSimilarity,
  trigrams,
} from '../../server/domain/search-key.ts';

describe('searchKey', () => {
  it.each([
    ['Friedensplatz 1', 'friedenspl1'],
    ['friedensplatz1', 'friedenspl1'],
    ['Friedenspl. 1', 'friedenspl1'],
    ['FRIEDENSPLATZ  1', 'friedenspl1'],
    ['Kreuzstraße 145', 'kreuzstr145'],
    ['Kreuzstrasse 145', 'kreuzstr145'],
    ['Kreuzstr. 145', 'kreuzstr145'],
    ['Kreuzstr 145', 'kreuzstr145'],
    ['Hörde', 'hoerde'],
    ['Hoerde', 'hoerde'],
    ['Lütgendortmund', 'luetgendortmund'],
    ['Süggelweg 3a', 'sueggelweg3a'],
    ['Kirchhörde-Löttringhausen', 'kirchhoerdeloettringhausen'],
    ['Café Crème', 'cafecreme'],
  ])('turns %j into %j', (text, key) => {
    expect(searchKey(text)).toBe(key);
  });

  it('leaves nothing of text that looks like SQL but letters and digits', () => {
    expect(searchKey("'; DROP TABLE x;--")).toBe('droptablex');
    expect(searchKey('%_\\')).toBe('');
  });

  it('gives only lower-case letters and digits, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(searchKey(text)).toMatch(/^[a-z0-9]*$/);
      }),
    );
  });

  it('does not depend on case or on spaces and punctuation between words', () => {
    const word = fc.stringMatching(/^[A-Za-zÄÖÜäöüß0-9]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(' ', '', '-', ', ', '  '),
        (words, sep) => {
          expect(searchKey(words.join(sep))).toBe(searchKey(words.join('')));
          expect(searchKey(words.join(sep).toLowerCase())).toBe(searchKey(words.join('').toLowerCase()));
        },
      ),
    );
  });
});

describe('parseQuery', () => {
  const city = ['Dortmund'];
  it.each([
    ['Münsterstraße 50, 44145 Dortmund', 'muensterstr50', '44145', true],
    ['Münsterstraße 50 44145 Dortmund', 'muensterstr50', '44145', true],
    ['Münsterstr. 50, Dortmund', 'muensterstr50', null, true],
    ['44145 Dortmund, Münsterstraße 50', 'muensterstr50', '44145', true],
    ['Münsterstraße 50', 'muensterstr50', null, false],
    ['Dortmund-Hörde', 'hoerde', null, true],
    ['Dortmund Hörde', 'hoerde', null, true],
    ['Dortmund', 'dortmund', null, false],
    ['Lütgendortmund', 'luetgendortmund', null, false],
    ['44145', '44145', null, false],
  ])('takes %j apart into %j, postcode %j, city %j', (typed, key, postcode, withCity) => {
    const p = parseQuery(typed, city);
    expect(p.key).toBe(key);
    expect(p.postcode).toBe(postcode);
    expect(p.city).toBe(withCity);
  });

  it('splits the rest into words, each a search key', () => {
    expect(parseQuery('Kita in Hörde, 44263 Dortmund', city).words).toEqual(['kita', 'in', 'hoerde']);
  });
});

describe('houseNumberOf', () => {
  it('takes the number, with its letter, from the end of a key', () => {
    expect(houseNumberOf('muensterstr50')).toBe('50');
    expect(houseNumberOf('sueggelweg3a')).toBe('3a');
    expect(houseNumberOf('hoerde')).toBe('');
    expect(houseNumberOf('')).toBe('');
  });
});

describe('trigrams as pg_trgm forms them', () => {
  it('pads the key with two spaces before and one after', () => {
    // SELECT show_trgm('brakel') gives these seven.
    expect([...trigrams('brakel')].sort()).toEqual(['  b', ' br', 'ake', 'bra', 'el ', 'kel', 'rak']);
    expect(trigrams('')).toEqual(new Set());
  });

  it('gives the similarity pg_trgm gives', () => {
    // SELECT similarity('brakel', 'brackel') = 0.5; similarity('muenstrstr50', 'muensterstr50') = 0.73333335.
    expect(trigramSimilarity('brakel', 'brackel')).toBe(0.5);
    expect(trigramSimilarity('muenstrstr50', 'muensterstr50')).toBeCloseTo(0.73333335, 6);
    expect(trigramSimilarity('hoerde', 'hoerde')).toBe(1);
    expect(trigramSimilarity('abc', '')).toBe(0);
  });

  it('is symmetric and between 0 and 1', () => {
    const key = fc.stringMatching(/^[a-z0-9]{0,14}$/);
    fc.assert(
      fc.property(key, key, (a, b) => {
        const s = trigramSimilarity(a, b);
        expect(s).toBe(trigramSimilarity(b, a));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('kinds of offer with a place', () => {
  const vocabulary = categoryWords(
    new Map([
      ['childcare', ['Kita', 'Childcare', 'Kreş']],
      ['health', ['Gesundheit', 'Health']],
      ['school', ['Schule', 'School', 'Okul']],
    ]),
  );

  it('knows the words and the labels of the categories there are, and no others', () => {
    expect(vocabulary.get('kita')).toEqual({ category: 'childcare', subcategory: null });
    expect(vocabulary.get('kitas')).toEqual({ category: 'childcare', subcategory: null });
    expect(vocabulary.get('apotheke')).toEqual({ category: 'health', subcategory: 'pharmacy' });
    expect(vocabulary.get('kinderaerzte')).toEqual({
      category: 'health',
      subcategory: 'doctor',
      speciality: 'paediatrics',
    });
    expect(vocabulary.get('hausarzt')).toEqual({ category: 'health', subcategory: 'doctor', speciality: 'general' });
    expect(vocabulary.get('grundschule')).toEqual({ category: 'school', subcategory: 'primary' });
    expect(vocabulary.get('okul')).toEqual({ category: 'school', subcategory: null });
    expect(vocabulary.get('kres')).toEqual({ category: 'childcare', subcategory: null });
    expect(vocabulary.has('bibliothek')).toBe(false);
  });

  it.each([
    [['kita', 'hoerde'], 'childcare', 'hoerde'],
    [['hoerde', 'kita'], 'childcare', 'hoerde'],
    [['apotheken', 'in', 'hombruch'], 'health', 'hombruch'],
    [['kita', 'am', 'markt'], 'childcare', 'ammarkt'],
    [['apotheke'], 'health', ''],
  ])('reads %j as %s in %j', (words, category, place) => {
    const split = splitCategoryAndPlace(words, vocabulary);
    expect(split?.kind.category).toBe(category);
    expect(split?.place).toBe(place);
  });

  it('finds no kind where no word names one', () => {
    expect(splitCategoryAndPlace(['friedenspl1'], vocabulary)).toBeNull();
    expect(splitCategoryAndPlace(['hoerde'], vocabulary)).toBeNull();
  });
});
