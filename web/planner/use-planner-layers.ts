import type { LayersList } from '@deck.gl/core';
import { useMemo } from 'react';
import { bivariateColor } from '../layers/bivariate.ts';
import type { CatchmentBand } from '../layers/catchment-layer.ts';
import { clusterColor } from '../layers/hot-spots.ts';
import type { OfferPoint } from '../layers/offer-points.ts';
import { isDiverging } from '../layers/palettes.ts';
import { basemapAnchors } from '../map/basemap-style.ts';
import { useLayerModule } from '../map/use-layer-module.ts';
import type { PlannerState } from '../state/planner-state.ts';
import { changeColors } from './change.ts';
import type { Symbology } from './symbology.ts';
import type { PlannerData } from './use-planner-data.ts';

/** From this zoom on, roads are drawn over the choropleth. */
export const STREETS_FROM_ZOOM = 13;

/** Layer ids the click and hover handlers tell apart. */
export const LAYER_IDS = {
  choropleth: 'planner',
  gap: 'gap',
  actionAreas: 'action-areas',
  offers: 'offers',
  catchment: 'catchment',
} as const;

/** The layer builders (deck.gl) load with the map's code, beside the planner's own: the basemap does not wait. */
const loadLayerKit = () => import('../layers/layer-kit.ts');

/**
 * The deck.gl layers of the planner's map, bottom to top: the choropleth (or the gap map) beneath the basemap's
 * labels, then the action areas' outlines and names, the open offer's walking catchment, then the offers.
 */
export function usePlannerLayers({
  state,
  data,
  symbology,
  offerPoints,
  offerColors,
  zoom,
  hovered,
  catchment = null,
  catchmentOrigin = null,
}: {
  state: PlannerState;
  data: PlannerData;
  symbology: Symbology | null;
  offerPoints: readonly OfferPoint[] | null;
  offerColors: ReadonlyMap<string, string>;
  zoom: number;
  hovered: string | null;
  /** The walking catchment of the open offer (issue 16), drawn over the areas. */
  catchment?: readonly CatchmentBand[] | null;
  /** The point a catchment was asked for (not an offer's): marked on the map. */
  catchmentOrigin?: readonly [number, number] | null;
}): LayersList {
  const areas = data.areas.data;
  const gaps = data.gaps.data;
  const lisa = data.lisa.data;
  const change = data.change.data;
  const actionAreas = state.actionAreas ? data.actionAreas.data : null;
  const zoomLevel = Math.floor(zoom);
  // Zoomed into a neighbourhood the streets matter: the fill goes beneath the roads there, still opaque, so its
  // colours stay the legend's.
  const beforeId = zoomLevel >= STREETS_FROM_ZOOM ? basemapAnchors.belowRoads : basemapAnchors.belowLabels;
  const selected = useMemo(
    () => [state.area, state.compare].filter((c): c is string => c !== null),
    [state.area, state.compare],
  );

  const kit = useLayerModule(loadLayerKit);

  const base = useMemo(() => {
    if (!kit || !areas || areas.meta.level !== state.level) return [];
    if (state.view === 'gap') {
      if (!gaps || gaps.level !== state.level) return [];
      const cells = new Map(gaps.areas.map((a) => [a.code, a.cell]));
      return kit.choroplethLayers({
        id: LAYER_IDS.gap,
        areas,
        colorOf: (code) => bivariateColor(cells.get(code) ?? null),
        colorKey: `${gaps.need.indicator.id}|${gaps.supply.indicator.id}|${gaps.level}`,
        // The light corner of the bivariate scheme is close to the basemap's land: grey boundaries keep it apart.
        lineColor: kit.GREY_BOUNDARY,
        zoom: zoomLevel,
        selected,
        hovered,
        beforeId,
      });
    }
    if (state.view === 'hotspots') {
      if (!lisa || lisa.level !== state.level) return [];
      const clusters = new Map(lisa.areas.map((a) => [a.code, a.cluster]));
      return kit.choroplethLayers({
        // The choropleth's id: a click opens the area's profile as on the indicator map.
        id: LAYER_IDS.choropleth,
        areas,
        colorOf: (code) => clusterColor(clusters.get(code)),
        colorKey: `lisa|${lisa.indicator.id}|${lisa.level}|${lisa.date}`,
        lineColor: kit.GREY_BOUNDARY,
        zoom: zoomLevel,
        selected,
        hovered,
        beforeId,
      });
    }
    if (state.view === 'change') {
      if (!change || change.level !== state.level) return [];
      const colors = changeColors(change.classification.breaks);
      const classes = new Map(change.values.map((v) => [v.code, v.class]));
      return kit.choroplethLayers({
        id: LAYER_IDS.choropleth,
        areas,
        colorOf: (code) => {
          const c = classes.get(code);
          return c === null || c === undefined ? null : (colors[c] ?? null);
        },
        colorKey: `change|${change.indicator.id}|${change.level}|${change.from}|${change.to}`,
        lineColor: kit.GREY_BOUNDARY,
        zoom: zoomLevel,
        selected,
        hovered,
        beforeId,
      });
    }
    if (!symbology) return [];
    return kit.choroplethLayers({
      id: LAYER_IDS.choropleth,
      areas,
      colorOf: symbology.colorOf,
      colorKey: symbology.key,
      // The neutral middle of a diverging scheme is close to the land, too.
      lineColor: isDiverging(symbology.palette) ? kit.GREY_BOUNDARY : undefined,
      zoom: zoomLevel,
      selected,
      hovered,
      beforeId,
    });
  }, [kit, areas, gaps, lisa, change, symbology, state.view, state.level, zoomLevel, selected, hovered, beforeId]);

  const outlines = useMemo(
    () => (kit && actionAreas ? kit.outlineLayers({ id: LAYER_IDS.actionAreas, areas: actionAreas }) : []),
    [kit, actionAreas],
  );

  const offers = useMemo(
    () =>
      kit && offerPoints?.length
        ? kit.offerLayers({
            id: LAYER_IDS.offers,
            points: offerPoints,
            zoom: zoomLevel,
            colors: offerColors,
            selected: state.offer,
          })
        : [],
    [kit, offerPoints, offerColors, zoomLevel, state.offer],
  );

  const reach = useMemo(
    () =>
      kit && catchment?.length
        ? kit.catchmentLayers({ id: LAYER_IDS.catchment, bands: catchment, origin: catchmentOrigin })
        : [],
    [kit, catchment, catchmentOrigin],
  );

  return useMemo(() => [...base, ...outlines, ...reach, ...offers], [base, outlines, reach, offers]);
}
