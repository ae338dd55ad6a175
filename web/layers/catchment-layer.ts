import type { Layer } from '@deck.gl/core';
import { PolygonLayer } from '@deck.gl/layers';

/**
 * A walking catchment (issue 16): the areas reachable on foot within each band of minutes (/api/isochrones), the
 * longest walk beneath, each band adding to the tint of those around it, with an outline per band.
 */
export interface CatchmentBand {
  minutes: number;
  polygons: number[][][][];
}

const GREEN: [number, number, number] = [47, 125, 79];

export function catchmentLayers({ id, bands }: { id: string; bands: readonly CatchmentBand[] }): Layer[] {
  const polygons = [...bands]
    .sort((a, b) => b.minutes - a.minutes)
    .flatMap((b) => b.polygons.map((rings) => ({ minutes: b.minutes, rings })));
  return [
    new PolygonLayer<{ minutes: number; rings: number[][][] }>({
      id,
      data: polygons,
      getPolygon: (p) => p.rings as [number, number][][],
      getFillColor: [...GREEN, 46],
      getLineColor: [...GREEN, 220],
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      stroked: true,
      filled: true,
    }),
  ];
}
