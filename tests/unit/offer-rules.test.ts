import { describe, expect, it } from 'vitest';
import {
  type CompletenessRules,
  categorize,
  categoryStatus,
  compileRules,
  type OsmRule,
} from '../../geodata/categories.ts';
import { distinctiveName, findTwin, inclusion, metres, similarity, trigrams } from '../../geodata/twins.ts';
import { fold } from '../../server/domain/search-key.ts';

const GENERIC = ['schule', 'grundschule', 'gymnasium', 'städt', 'gem', 'kita', 'kindergarten'];
const RULES = {
  maxM: 150,
  minSimilarity: 0.4,
  sameNameSimilarity: 0.8,
  sameNameM: 1000,
  genericWords: GENERIC,
  partPattern: 'schulhof|schulzentrum',
};

/** A point `north` metres north and `east` metres east of 51.5 N, 7.45 E. */
function at(north: number, east: number, name: string | null, otherNames?: string[]) {
  const lat = 51.5 + north / 111_195;
  const lon = 7.45 + east / (111_195 * Math.cos((51.5 * Math.PI) / 180));
  return { name, lon, lat, ...(otherNames ? { otherNames } : {}) };
}

describe('trigrams and similarity, as pg_trgm computes them', () => {
  it("pads each word with two spaces before and one after: show_trgm('abc') is {'  a',' ab','abc','bc '}", () => {
    expect([...trigrams('abc')].sort()).toEqual(['  a', ' ab', 'abc', 'bc '].sort());
    expect([...trigrams('ab cd')].sort()).toEqual(['  a', ' ab', 'ab ', '  c', ' cd', 'cd '].sort());
  });

  it('is shared over all trigrams: 1 for the same words, 0 for none shared or an empty side', () => {
    expect(similarity('nordmarkt', 'nordmarkt')).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
    expect(similarity('', 'abc')).toBe(0);
    // 'abc' {"  a"," ab","abc","bc "} and 'abd' {"  a"," ab","abd","bd "}: 2 shared of 6.
    expect(similarity('abc', 'abd')).toBeCloseTo(2 / 6, 10);
  });

  it('inclusion is the share of the first name held in the second; short names give 0', () => {
    expect(inclusion('leibniz', 'leibniz international school')).toBe(1);
    expect(inclusion('loh', 'loh lohstrasse')).toBe(0);
  });

  it('folds umlauts and ß the way they are spelt out', () => {
    expect(fold('Höchstener Straße')).toBe('hoechstener strasse');
  });
});

describe('distinctiveName', () => {
  it('drops generic words and cuts them off the end of German compounds', () => {
    expect(distinctiveName('Nordmarkt-Grundschule', GENERIC)).toBe('nordmarkt');
    expect(distinctiveName('Nordmarktschule', GENERIC)).toBe('nordmarkt');
    expect(distinctiveName('Städt. Gem. Grundschule', GENERIC)).toBe('');
    expect(distinctiveName('Höchstener Grundschule', GENERIC)).toBe(distinctiveName('Hoechstener Schule', GENERIC));
  });

  it('does not cut short words or words that are only a generic word', () => {
    expect(distinctiveName('Schule', GENERIC)).toBe('');
    // "kita" is shorter than six letters: never cut off a compound ("Musikkita" stays).
    expect(distinctiveName('Musikkita', GENERIC)).toBe('musikkita');
  });
});

describe('findTwin', () => {
  const nordmarkt = at(0, 0, 'Nordmarktschule');
  const other = at(0, 400, 'Libellen-Grundschule');

  it('merges "Nordmarkt-Grundschule" 30 m from "Nordmarktschule"', () => {
    const twin = findTwin(at(30, 0, 'Nordmarkt-Grundschule'), [nordmarkt, other], RULES);
    expect(twin?.official).toBe(nordmarkt);
    expect(twin?.why).toBe('alike');
    expect(twin?.metres).toBeCloseTo(30, 0);
  });

  it('keeps a differently named school 30 m away apart', () => {
    expect(findTwin(at(30, 0, 'Robert-Bosch-Grundschule'), [nordmarkt], RULES)).toBeNull();
  });

  it('takes the most alike name, not the nearest point', () => {
    const near = at(10, 0, 'Bert-Brecht-Gymnasium');
    const own = at(60, 0, 'Droste-Hülshoff-Realschule');
    expect(findTwin(at(0, 0, 'Droste-Hülshoff-Realschule'), [near, own], RULES)?.official).toBe(own);
  });

  it('finds the same name farther away (another building), but not beyond sameNameM', () => {
    expect(findTwin(at(600, 0, 'Nordmarkt Grundschule'), [nordmarkt], RULES)?.why).toBe('same-name');
    expect(findTwin(at(1500, 0, 'Nordmarkt Grundschule'), [nordmarkt], RULES)).toBeNull();
  });

  it('reads the second name line; alone, where it may be only the place, near by only', () => {
    const kiel = at(0, 0, 'Städt. Gem. Grundschule', ['Kleine Kielstraße']);
    expect(findTwin(at(36, 0, 'Grundschule Kleine Kielstraße'), [kiel], RULES)?.official).toBe(kiel);
    const freiligrath = at(0, 0, 'Freiligrathschule', ['Städt. Gem. Grundschule Bövinghausen']);
    expect(findTwin(at(36, 0, 'Grundschule Bövinghausen'), [freiligrath], RULES)?.official).toBe(freiligrath);
    expect(findTwin(at(500, 0, 'Gem. Hauptschule Bövinghausen'), [freiligrath], RULES)).toBeNull();
  });

  it('merges an unnamed point or a part of a site (school yard) into the nearest official one within maxM', () => {
    expect(findTwin(at(0, 40, null), [nordmarkt, other], RULES)?.why).toBe('unnamed');
    expect(findTwin(at(0, 350, 'Schulhof'), [nordmarkt, other], RULES)?.official).toBe(other);
    expect(findTwin(at(0, 200, null), [nordmarkt], RULES)).toBeNull();
  });

  it('measures metres on the sphere', () => {
    expect(metres(at(0, 0, null), at(1000, 0, null))).toBeCloseTo(1000, 0);
  });
});

describe('categorize: the tag rules of a manifest', () => {
  const rules: OsmRule[] = [
    { class: 'school', namePattern: 'parkpl', category: null, reason: 'A car park.' },
    { class: 'school', namePattern: 'hallenbad', category: 'sport', subcategory: 'swimming_pool', reason: 'A pool.' },
    { class: 'town_hall', osm: ['way/7'], category: 'youth', reason: 'By id.' },
    { class: 'hospital', subclass: 'nursing_home', category: 'health', subcategory: 'nursing-home' },
  ];
  const compiled = compileRules(rules);
  const mapping = { school: 'school', community: 'community', care: 'seniors' };
  const point = (name: string | null, cls: string, subclass: string | null, category: string, element = 'node/1') => ({
    name,
    class: cls,
    subclass,
    packageCategory: category,
    element,
  });

  it('takes the first rule that matches; null means "not an offer", with its reason', () => {
    expect(categorize(point('Lehrerparkplatz', 'school', 'school', 'school'), compiled, mapping)).toEqual({
      category: null,
      subcategory: null,
      rule: 0,
      reason: 'A car park.',
    });
    expect(categorize(point('Hallenbad Ost', 'school', 'school', 'school'), compiled, mapping)).toMatchObject({
      category: 'sport',
      subcategory: 'swimming_pool',
    });
  });

  it('falls back to the mapping of the package category, and to undefined where there is none', () => {
    expect(categorize(point('Marktschule', 'school', 'school', 'school'), compiled, mapping)).toMatchObject({
      category: 'school',
      subcategory: 'school',
      rule: null,
    });
    expect(categorize(point('x', 'zoo', null, 'zoo'), compiled, mapping)).toBeUndefined();
  });

  it('matches explicit OSM elements and subclasses', () => {
    expect(
      categorize(point('Haus', 'town_hall', 'community_centre', 'community', 'way/7'), compiled, mapping)?.category,
    ).toBe('youth');
    expect(
      categorize(point('Haus', 'town_hall', 'community_centre', 'community', 'way/8'), compiled, mapping)?.category,
    ).toBe('community');
    expect(categorize(point('Heim', 'hospital', 'nursing_home', 'care'), compiled, mapping)?.category).toBe('health');
  });
});

describe('categoryStatus', () => {
  const rules: CompletenessRules = {
    minOffers: 10,
    reason: { de: 'Nur {count} (unter {min}).', en: 'Only {count} (below {min}).' },
    incomplete: { family: { de: 'Nur {count} Familienzentren.', en: 'Only {count} family centres.' } },
    warnings: {
      doctor: { category: 'health', text: { de: '{count} Praxen, {date}.', en: '{count} practices, {date}.' } },
    },
  };
  const status = categoryStatus(
    new Map([
      ['youth', 5],
      ['family', 22],
      ['school', 185],
      ['health', 300],
    ]),
    new Map([['doctor', 74]]),
    rules,
    () => '2020',
  );
  const of = (code: string) => status.find((s) => s.code === code);

  it('marks a category below the threshold, or named in the manifest, with the reason filled in', () => {
    expect(of('youth')?.incomplete).toEqual({ de: 'Nur 5 (unter 10).', en: 'Only 5 (below 10).' });
    expect(of('family')?.incomplete?.en).toBe('Only 22 family centres.');
    expect(of('school')?.incomplete).toBeNull();
    expect(of('seniors')).toMatchObject({ count: 0, incomplete: { en: 'Only 0 (below 10).' } });
  });

  it("gives a subcategory's warning to its category, with count and date", () => {
    expect(of('health')?.warnings).toEqual({ doctor: { de: '74 Praxen, 2020.', en: '74 practices, 2020.' } });
    expect(of('school')?.warnings).toEqual({});
  });
});
