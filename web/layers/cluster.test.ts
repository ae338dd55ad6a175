import { describe, expect, it } from 'vitest';
import { clusterBounds, clusterIndex } from './cluster.ts';
import { CLUSTER_RADIUS, MIXED_CLUSTER, type OfferPoint, offerClusters, offerLayers } from './offer-layers.ts';

/** Web Mercator world pixels on 512-px tiles (MapLibre's, and supercluster's default extent) at a zoom. */
function worldPixels(lon: number, lat: number, zoom: number): [number, number] {
  const size = 512 * 2 ** zoom;
  const sin = Math.sin((lat * Math.PI) / 180);
  return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size];
}

/** The longitude `pixels` east of `lon` at `zoom`. */
const eastBy = (lon: number, pixels: number, zoom: number) => lon + (pixels / (512 * 2 ** zoom)) * 360;

const offer = (id: string, category: string, lon: number, lat: number): OfferPoint => ({
  id,
  category,
  name: null,
  lon,
  lat,
});

const points = [
  offer('a', 'school', 7.46, 51.51),
  offer('b', 'school', 7.4601, 51.5101),
  offer('c', 'library', 7.47, 51.52),
  offer('d', 'childcare', 7.3, 51.45),
];
const colors = new Map([
  ['school', '#0072b2'],
  ['library', '#d55e00'],
  ['childcare', '#009e73'],
]);

describe('offer clusters (supercluster)', () => {
  it('shows every offer exactly once at every zoom', () => {
    for (const zoom of [6, 8, 10, 11.5, 12, 13, 14, 16]) {
      const ids = offerClusters({ points, zoom, colors }).flatMap((c) => c.members.map((m) => m.id));
      expect(ids.sort(), `zoom ${zoom}`).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('merges close offers when zoomed out, and shows each alone from clusterBelowZoom on', () => {
    expect(offerClusters({ points, zoom: 8, colors })).toHaveLength(2);
    expect(offerClusters({ points, zoom: 14, colors })).toHaveLength(4);
    expect(offerClusters({ points, zoom: 9, colors, clusterBelowZoom: 9 })).toHaveLength(4);
  });

  it('clusters two points exactly below the radius in 512-px tile pixels', () => {
    const zoom = 12;
    const a = { lon: 7.46, lat: 51.51 };
    const b = { lon: eastBy(a.lon, 1.5 * CLUSTER_RADIUS, zoom), lat: a.lat };
    const [xa] = worldPixels(a.lon, a.lat, zoom);
    const [xb] = worldPixels(b.lon, b.lat, zoom);
    expect(xb - xa).toBeCloseTo(1.5 * CLUSTER_RADIUS, 6);
    const index = clusterIndex([a, b], { radius: CLUSTER_RADIUS, maxZoom: 13 });
    // 54 px apart at zoom 12: more than the radius; 27 px at zoom 11: within it.
    expect(index.at(zoom)).toHaveLength(2);
    expect(index.at(zoom - 1)).toHaveLength(1);
    expect(index.at(zoom - 1)[0]?.members).toEqual([a, b]);
  });

  it('puts a cluster between its members, at their centre for two', () => {
    const [cluster] = offerClusters({ points: points.slice(0, 2), zoom: 10, colors });
    expect(cluster?.members).toHaveLength(2);
    expect(cluster?.lon).toBeCloseTo(7.46005, 6);
    expect(cluster?.lat).toBeCloseTo(51.51005, 5);
    for (const c of offerClusters({ points, zoom: 6, colors })) {
      const [w, s, e, n] = clusterBounds(c.members);
      expect(c.lon).toBeGreaterThanOrEqual(w);
      expect(c.lon).toBeLessThanOrEqual(e);
      expect(c.lat).toBeGreaterThanOrEqual(s);
      expect(c.lat).toBeLessThanOrEqual(n);
    }
  });

  it("colours a cluster by its members' category, or as mixed", () => {
    const byMembers = (zoom: number) =>
      new Map(
        offerClusters({ points, zoom, colors }).map((c) => [
          c.members
            .map((m) => m.id)
            .sort()
            .join(''),
          c.color,
        ]),
      );
    // At zoom 12 the two schools are one cluster, the library stands apart.
    const z12 = byMembers(12);
    expect(z12.get('ab')).toBe(colors.get('school'));
    expect(z12.get('c')).toBe(colors.get('library'));
    // At zoom 8 the library joins them: a mixed cluster.
    expect(byMembers(8).get('abc')).toBe(MIXED_CLUSTER);
  });

  it('is stable: the same points give the same clusters within a zoom level', () => {
    expect(offerClusters({ points, zoom: 11, colors })).toEqual(offerClusters({ points, zoom: 11.7, colors }));
  });

  it('labels clusters, not single offers, with their member count', () => {
    const layers = offerLayers({ id: 'test', points, zoom: 8, colors });
    const counts = layers.find((l) => l.id === 'test-counts');
    const data = counts?.props.data as { members: unknown[] }[];
    expect(data.map((c) => c.members.length)).toEqual([3]);
    expect(offerLayers({ id: 'test', points, zoom: 14, colors }).some((l) => l.id === 'test-counts')).toBe(false);
  });
});

describe('clusterBounds', () => {
  it('spans the members', () => {
    expect(clusterBounds([offer('1', 'x', 7, 51), offer('2', 'x', 8, 52)])).toEqual([7, 51, 8, 52]);
  });
});
