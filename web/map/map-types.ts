import type { DeckProps, LayersList } from '@deck.gl/core';
import type { RefObject } from 'react';
import type { BBox } from '../config.ts';

/** What pages know of the map: its props and its controller, without MapLibre or deck.gl code. */

/** A map position: centre and zoom. */
export interface MapCamera {
  lon: number;
  lat: number;
  zoom: number;
}

/** The view after the map moved: its position and the bounds in sight. */
export interface MapViewChange extends MapCamera {
  bounds: BBox;
}

/** What a page may ask of the map without touching MapLibre itself. */
export interface MapController {
  flyTo(camera: Partial<MapCamera>): void;
  /** `padding` in pixels, the same on every side or per side (e.g. to keep clear of a card over the map). */
  fitBounds(
    bounds: BBox,
    options?: { maxZoom?: number; padding?: number | { top: number; bottom: number; left: number; right: number } },
  ): void;
  /**
   * A copy of the map, basemap and deck.gl layers, at device pixels, once it stands still: every tile, label and
   * fade drawn (for the PNG export and the council pages' printed picture).
   */
  snapshot(): Promise<HTMLCanvasElement>;
  /** The same at once: the map drawn again and copied in one task (for a print that starts now); null at no size. */
  snapshotNow(): HTMLCanvasElement | null;
}

export interface MapViewProps {
  /** Accessible name of the map region, e.g. t('map.label', { city }). */
  label: string;
  /** deck.gl layers drawn on the basemap; build them with pure functions elsewhere (web/layers/). */
  layers?: LayersList;
  /** The first view fits these bounds; later changes do not move the map. */
  bounds?: BBox;
  /** The first view at this position instead of `bounds` (a restored permalink); later changes are ignored. */
  initialView?: MapCamera;
  /** Called once the map is loaded and after every move or zoom. */
  onViewChange?: (view: MapViewChange) => void;
  /** Filled with a controller while the map exists. */
  controllerRef?: RefObject<MapController | null>;
  /** Attributions of the data shown, added to the basemap's (e.g. from /api/sources). HTML allowed. */
  attributions?: readonly string[];
  getTooltip?: DeckProps['getTooltip'];
  onClick?: DeckProps['onClick'];
  onHover?: DeckProps['onHover'];
  /** Shown while the map cannot be drawn (no WebGL). */
  unavailableText?: string;
  className?: string;
}
