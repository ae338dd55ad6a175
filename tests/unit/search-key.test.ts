import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchKey } from '../../server/domain/search-key.ts';

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
