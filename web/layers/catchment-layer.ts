import type { Layer } from '@deck.gl/core';
import { PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';

/**
 * A walking catchment (issue 16): the areas reachable on foot within each band of minutes (/api/isochrones), the
 * longest walk beneath, each band adding to the tint of those around it, with an outline per band.
 */
export interface CatchmentBand {
  minutes: number;
  polygons: number[][][][];
}

const GREEN: [number, number, number] = [47, 125, 79];

export function catchmentLayers({
  id,
  bands,
  origin = null,
}: {
  id: string;
  bands: readonly CatchmentBand[];
  /** The point walked from, marked (a picked point; an offer is marked by its own layer). */
  origin?: readonly [number, number] | null;
}): Layer[] {
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
    ...(origin
      ? [
          new ScatterplotLayer<readonly [number, number]>({
            id: `${id}-origin`,
            data: [origin],
            getPosition: (p) => [p[0], p[1]],
            getRadius: 6,
            radiusUnits: 'pixels',
            getFillColor: [255, 255, 255, 255],
            getLineColor: [...GREEN, 255],
            lineWidthUnits: 'pixels',
            getLineWidth: 3,
            stroked: true,
          }),
        ]
      : []),
  ];
}
