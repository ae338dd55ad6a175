import { describe, expect, it } from 'vitest';
import { attributionLines, licenceUrl } from '../../server/domain/attribution.ts';
import { geoJsonText, itemsDocument, withQuery } from '../../server/domain/ogc.ts';
import { type OgcFeature, selectItems } from '../../server/domain/ogc-collections.ts';
import {
  CRS84,
  EPSG_4326,
  EPSG_25832,
  envelope,
  intersects,
  parseBbox,
  parseCrs,
  parseDatetime,
  referenceInterval,
  roundTo,
  writeGeometry,
} from '../../server/domain/ogc-crs.ts';
import { escapeHtml } from '../../server/domain/ogc-html.ts';

describe('OGC CRS by reference', () => {
  it('knows the three CRS by URI and by short name, and nothing else', () => {
    expect(parseCrs('http://www.opengis.net/def/crs/OGC/1.3/CRS84')).toBe(CRS84);
    expect(parseCrs('[OGC:CRS84]')).toBe(CRS84);
    expect(parseCrs('http://www.opengis.net/def/crs/EPSG/0/4326')).toBe(EPSG_4326);
    expect(parseCrs('EPSG:4326')).toBe(EPSG_4326);
    expect(parseCrs('urn:ogc:def:crs:EPSG::25832')).toBe(EPSG_25832);
    expect(parseCrs('http://www.opengis.net/def/crs/EPSG/0/3857')).toBeNull();
    expect(parseCrs('')).toBeNull();
  });

  it('reads a bbox in the axis order of its CRS: EPSG:4326 latitude first', () => {
    expect(parseBbox('7.4,51.5,7.5,51.6', CRS84)).toEqual({ box: [7.4, 51.5, 7.5, 51.6] });
    expect(parseBbox('51.5,7.4,51.6,7.5', EPSG_4326)).toEqual({ box: [7.4, 51.5, 7.5, 51.6] });
    expect(parseBbox('390000,5700000,400000,5710000', EPSG_25832)).toEqual({ box: [390000, 5700000, 400000, 5710000] });
    expect(parseBbox('7.4,51.5,0,7.5,51.6,10', CRS84)).toEqual({ box: [7.4, 51.5, 7.5, 51.6] });
    for (const bad of ['1,2,3', 'a,b,c,d', '1,2,,4', '7.4,51.6,7.5,51.5', '7,95,8,96', '8,51,7,52'])
      expect('error' in parseBbox(bad, CRS84), bad).toBe(true);
  });

  it('writes coordinates rounded per CRS, swapped for EPSG:4326, without -0', () => {
    const g = { type: 'Point', coordinates: [7.123456789012, 51.98765432109] };
    expect(writeGeometry(g, CRS84).coordinates).toEqual([7.123456789, 51.987654321]);
    expect(writeGeometry(g, EPSG_4326).coordinates).toEqual([51.987654321, 7.123456789]);
    const m = { type: 'LineString', coordinates: [[391234.56789, 5712345.00049]] };
    expect(writeGeometry(m, EPSG_25832).coordinates).toEqual([[391234.568, 5712345]]);
    expect(Object.is(roundTo(-0.0000000001, 9), 0)).toBe(true);
    expect(
      envelope({
        type: 'Polygon',
        coordinates: [
          [
            [1, 5],
            [3, 2],
            [2, 8],
            [1, 5],
          ],
        ],
      }),
    ).toEqual([1, 2, 3, 8]);
  });
});

describe('OGC datetime', () => {
  it('turns reference dates into the days they cover', () => {
    expect(referenceInterval('2024-12-31')).toEqual({ start: '2024-12-31', end: '2024-12-31' });
    expect(referenceInterval('2024/25')).toEqual({ start: '2024-08-01', end: '2025-07-31' });
    expect(referenceInterval('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(referenceInterval('2021')).toEqual({ start: '2021-01-01', end: '2021-12-31' });
    expect(referenceInterval('about 2020')).toBeNull();
  });

  it('reads instants and intervals with open ends, and names what is wrong', () => {
    expect(parseDatetime('2024-12-31')).toEqual({ interval: { start: '2024-12-31', end: '2024-12-31' } });
    expect(parseDatetime('2024-12-31T10:00:00Z')).toEqual({ interval: { start: '2024-12-31', end: '2024-12-31' } });
    expect(parseDatetime('2020-01-01/..')).toEqual({ interval: { start: '2020-01-01', end: null } });
    expect(parseDatetime('/2020-01-01')).toEqual({ interval: { start: null, end: '2020-01-01' } });
    for (const bad of ['yesterday', '../..', '2024-13-45', '2025-01-01/2024-01-01', 'a/b/c'])
      expect('error' in parseDatetime(bad), bad).toBe(true);
    const school = referenceInterval('2024/25');
    if (!school) throw new Error('no interval');
    expect(intersects(school, { start: '2025-01-01', end: '2025-01-01' })).toBe(true);
    expect(intersects(school, { start: null, end: '2024-07-31' })).toBe(false);
    expect(intersects(school, { start: '2025-07-31', end: null })).toBe(true);
  });
});

describe('OGC items', () => {
  const features: OgcFeature[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
    id,
    properties: { code: id, category: i % 2 ? 'odd' : 'even', n: i },
    geometry: null,
    interval: { start: `202${i}-01-01`, end: `202${i}-12-31` },
  }));

  it('selects by ids in a box, equal properties and datetime, then pages', () => {
    const all = { inBox: null, filters: {}, datetime: null, offset: 0, limit: 10 };
    expect(selectItems(features, all).matched).toBe(5);
    expect(selectItems(features, { ...all, filters: { category: 'odd' } }).page.map((f) => f.id)).toEqual(['b', 'd']);
    expect(selectItems(features, { ...all, filters: { n: '2' } }).page.map((f) => f.id)).toEqual(['c']);
    expect(selectItems(features, { ...all, inBox: new Set(['a', 'e', 'x']) }).page.map((f) => f.id)).toEqual([
      'a',
      'e',
    ]);
    expect(
      selectItems(features, { ...all, datetime: { start: '2022-06-01', end: null } }).page.map((f) => f.id),
    ).toEqual(['c', 'd', 'e']);
    expect(selectItems(features, { ...all, offset: 4, limit: 2 })).toEqual({ matched: 5, page: [features[4]] });
  });

  it('links the next page while features are left, the previous one after the first', () => {
    const info = {
      id: 'offers',
      title: 'Offers',
      description: '',
      kind: 'offers' as const,
      level: null,
      indicator: null,
      queryables: {},
      properties: [],
      dates: [],
      sources: [],
      computed: false,
    };
    const page = (offset: number) =>
      itemsDocument(
        'http://x',
        info,
        selectItems(features, { inBox: null, filters: {}, datetime: null, offset, limit: 2 }),
        { params: { limit: '2', category: 'a b' }, offset, limit: 2 },
        CRS84,
        true,
        'json',
        [],
      );
    const first = page(0);
    expect(first.numberMatched).toBe(5);
    expect(first.numberReturned).toBe(2);
    expect(first.links.find((l) => l.rel === 'next')?.href).toBe(
      'http://x/ogc/collections/offers/items?limit=2&category=a%20b&offset=2&f=json',
    );
    expect(first.links.some((l) => l.rel === 'prev')).toBe(false);
    const last = page(4);
    expect(last.links.some((l) => l.rel === 'next')).toBe(false);
    expect(last.links.find((l) => l.rel === 'prev')?.href).toContain('offset=2');
    expect(withQuery('/a', { x: null, y: '' })).toBe('/a');
  });

  it('attributes every source once with provider, dataset, licence and link, and notes computed values', () => {
    const by = {
      title: 'Schulen',
      publisher: 'Land NRW',
      licence: 'dl-de/by-2-0',
      attribution: 'IT.NRW',
      url: 'https://open.nrw/schulen',
    };
    const lines = attributionLines([by, by, { ...by, title: 'OSM', licence: 'ODbL 1.0', url: null }], true, 'de');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      'Quelle: IT.NRW – Datensatz: Schulen (Land NRW), https://open.nrw/schulen – Lizenz: dl-de/by-2-0 (https://www.govdata.de/dl-de/by-2-0)',
    );
    expect(lines[2]).toContain('opendatacommons.org');
    expect(lines[3]).toContain('berechnet');
    expect(attributionLines([by], false, 'en')).toHaveLength(2);
  });

  it('writes whole numbers of numeric properties as decimals, so that GIS clients type the column as real', () => {
    const doc = { properties: { share: 74, other: 3, code: '010', big: 1e21, neg: -2, frac: 0.5 } };
    const text = geoJsonText(doc, new Set(['share', 'big', 'neg', 'frac', 'code']));
    expect(text).toBe('{"properties":{"share":74.0,"other":3,"code":"010","big":1e+21,"neg":-2.0,"frac":0.5}}');
    expect(JSON.parse(text)).toEqual(doc);
  });

  it('links the licences it knows and escapes HTML', () => {
    expect(licenceUrl('dl-de/by-2-0')).toBe('https://www.govdata.de/dl-de/by-2-0');
    expect(licenceUrl('ODbL 1.0')).toContain('opendatacommons.org');
    expect(licenceUrl('CC0')).toBeNull();
    expect(escapeHtml('<a href="x">&\'')).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });
});
