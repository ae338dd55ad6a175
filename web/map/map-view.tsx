import 'maplibre-gl/dist/maplibre-gl.css';
import type { DeckProps, LayersList } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { type BBox, CITY } from '../config.ts';
import { basemapStyle } from './basemap-style.ts';

// maplibre-gl 6 is ESM only and Vite does not pick up its worker: hand it the bundled file's URL.
maplibregl.setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** The map of the page, for tests and debugging. */
    __map?: maplibregl.Map;
    /** True once the map has been idle once: style, tiles and fonts loaded and drawn. */
    __mapReady?: boolean;
  }
}

/** Maps already removed: controls must not be taken off them again. */
const removed = new WeakSet<maplibregl.Map>();

export interface MapViewProps {
  /** Accessible name of the map region, e.g. t('map.label', { city }). */
  label: string;
  /** deck.gl layers drawn on the basemap; build them with pure functions elsewhere (web/layers/). */
  layers?: LayersList;
  /** The first view fits these bounds; later changes do not move the map. */
  bounds?: BBox;
  /** Attributions of the data shown, added to the basemap's (e.g. from /api/sources). HTML allowed. */
  attributions?: readonly string[];
  getTooltip?: DeckProps['getTooltip'];
  onClick?: DeckProps['onClick'];
  onHover?: DeckProps['onHover'];
  /** Shown while the map cannot be drawn (no WebGL). */
  unavailableText?: string;
  className?: string;
}

/** The only React component that talks to MapLibre and deck.gl. */
export function MapView({
  label,
  layers,
  bounds = CITY.bounds,
  attributions,
  getTooltip,
  onClick,
  onHover,
  unavailableText,
  className,
}: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [overlay, setOverlay] = useState<MapLibreOverlay | null>(null);
  const [failed, setFailed] = useState(false);
  const initialBounds = useRef(bounds);

  // The map lives as long as the component: created once, removed on unmount.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const [w, s, e, n] = initialBounds.current;
    let created: maplibregl.Map;
    try {
      created = new maplibregl.Map({
        container: element,
        style: basemapStyle({ origin: window.location.origin }),
        bounds: [w, s, e, n],
        fitBoundsOptions: { padding: 16 },
        maxBounds: [...CITY.maxBounds],
        minZoom: 8,
        maxZoom: 18,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
      });
    } catch (err) {
      console.warn('The map could not be created:', err);
      setFailed(true);
      return;
    }
    created.touchZoomRotate.disableRotation();
    created.keyboard.disableRotation();
    created.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    created.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    window.__mapReady = false;
    window.__map = created;
    created.once('idle', () => {
      if (window.__map === created) window.__mapReady = true;
    });

    let added: MapLibreOverlay | null = null;
    // The overlay must come after `load`, or deck.gl's `beforeId` layer ordering is ignored.
    created.once('load', () => {
      added = new MapLibreOverlay({ interleaved: true, layers: [] });
      created.addControl(added);
      setOverlay(added);
    });
    setMap(created);
    return () => {
      if (added) created.removeControl(added);
      removed.add(created);
      created.remove();
      if (window.__map === created) {
        window.__map = undefined;
        window.__mapReady = false;
      }
      setMap(null);
      setOverlay(null);
    };
  }, []);

  useEffect(() => {
    overlay?.setProps({ layers: layers ?? [], getTooltip, onClick, onHover });
  }, [overlay, layers, getTooltip, onClick, onHover]);

  // The attribution control takes its custom entries once, so a change replaces the control.
  const attributionKey = (attributions ?? []).join('\n');
  useEffect(() => {
    if (!map) return;
    const control = new maplibregl.AttributionControl({
      customAttribution: attributionKey ? attributionKey.split('\n') : undefined,
    });
    map.addControl(control, 'bottom-right');
    return () => {
      // On unmount the map's own cleanup (declared first, so run first) has removed it already.
      if (!removed.has(map)) map.removeControl(control);
    };
  }, [map, attributionKey]);

  useEffect(() => {
    map?.getCanvas().setAttribute('aria-label', label);
  }, [map, label]);

  return (
    <section className={['map-view', className].filter(Boolean).join(' ')} aria-label={label}>
      {/* Always ltr: MapLibre draws label glyphs one by one, and in an rtl page brackets come out mirrored. */}
      <div ref={container} className="map-view__canvas" dir="ltr" />
      {failed && unavailableText ? (
        <p className="map-view__unavailable" role="status">
          {unavailableText}
        </p>
      ) : null}
    </section>
  );
}
