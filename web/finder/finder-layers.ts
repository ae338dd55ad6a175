import type { LayersList } from '@deck.gl/core';
import { PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { finderColors } from './constants.ts';
import type { Position } from './finder-state.ts';

/**
 * The finder's map layers, a pure function of the state: the areas reachable on foot from the place (one per
 * band of minutes, the longest walk palest, beneath everything), the walk to the open offer as a line, the place
 * searched from, and the results as numbered markers (the numbers of the list), the open one larger and in
 * another colour.
 */

/** A band reachable on foot: its minutes and its polygons (outer ring, then holes), lon/lat. */
export interface ReachBand {
  minutes: number;
  polygons: number[][][][];
}

export interface ResultMarker {
  id: string;
  number: number;
  position: Position;
  label: string;
}

type RGB = [number, number, number];
const rgb = (hex: string): RGB => [
  Number.parseInt(hex.slice(1, 3), 16),
  Number.parseInt(hex.slice(3, 5), 16),
  Number.parseInt(hex.slice(5, 7), 16),
];

const RESULT_RADIUS = 13;
const SELECTED_RADIUS = 17;

export function finderLayers({
  place,
  results,
  selected,
  bands = [],
  route = null,
}: {
  place: Position | null;
  results: readonly ResultMarker[];
  selected: string | null;
  bands?: readonly ReachBand[];
  route?: number[][] | null;
}): LayersList {
  const reach = rgb(finderColors.reach);
  // Longest walk first, so the shorter bands lie on top; each band adds to the tint of the ones around it.
  const polygons = [...bands]
    .sort((a, b) => b.minutes - a.minutes)
    .flatMap((b) => b.polygons.map((rings) => ({ minutes: b.minutes, rings })));
  // The open result is drawn last, on top of its neighbours.
  const ordered = [...results].sort((a, b) => Number(a.id === selected) - Number(b.id === selected));
  const isSelected = (m: ResultMarker) => m.id === selected;
  return [
    new PolygonLayer<{ minutes: number; rings: number[][][] }>({
      id: 'finder-reach',
      data: polygons,
      getPolygon: (p) => p.rings as [number, number][][],
      getFillColor: [...reach, 46],
      getLineColor: [...reach, 200],
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      stroked: true,
      filled: true,
    }),
    new PathLayer<number[][]>({
      id: 'finder-route',
      data: route ? [route] : [],
      getPath: (p) => p as [number, number][],
      getColor: rgb(finderColors.route),
      widthUnits: 'pixels',
      getWidth: 5,
      capRounded: true,
      jointRounded: true,
    }),
    new ScatterplotLayer<Position>({
      id: 'finder-place',
      data: place ? [place] : [],
      getPosition: (p) => p,
      radiusUnits: 'pixels',
      getRadius: 9,
      getFillColor: rgb(finderColors.place),
      stroked: true,
      getLineColor: rgb(finderColors.outline),
      lineWidthUnits: 'pixels',
      getLineWidth: 4,
    }),
    new ScatterplotLayer<Position>({
      id: 'finder-place-ring',
      data: place ? [place] : [],
      getPosition: (p) => p,
      radiusUnits: 'pixels',
      getRadius: 15,
      filled: false,
      stroked: true,
      getLineColor: rgb(finderColors.place),
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5,
    }),
    new ScatterplotLayer<ResultMarker>({
      id: 'finder-results',
      data: ordered,
      getPosition: (m) => m.position,
      radiusUnits: 'pixels',
      getRadius: (m) => (isSelected(m) ? SELECTED_RADIUS : RESULT_RADIUS),
      getFillColor: (m) => rgb(isSelected(m) ? finderColors.selected : finderColors.result),
      stroked: true,
      getLineColor: rgb(finderColors.outline),
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      pickable: true,
      updateTriggers: { getRadius: selected, getFillColor: selected },
    }),
    new TextLayer<ResultMarker>({
      id: 'finder-result-numbers',
      data: ordered,
      getPosition: (m) => m.position,
      getText: (m) => String(m.number),
      getSize: (m) => (isSelected(m) ? 16 : 14),
      getColor: [255, 255, 255],
      fontFamily: '"Noto Sans", "DejaVu Sans", sans-serif',
      fontWeight: 600,
      characterSet: '0123456789',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      updateTriggers: { getSize: selected },
    }),
  ];
}
