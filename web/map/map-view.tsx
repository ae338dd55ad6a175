import 'maplibre-gl/dist/maplibre-gl.css';
import type { DeckProps, LayersList, PickingInfo } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type RefObject, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { type BBox, useConfig } from '../config.ts';
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
  fitBounds(bounds: BBox, options?: { maxZoom?: number; padding?: number }): void;
  /** A copy of the map as drawn now, basemap and deck.gl layers, at device pixels (for the PNG export). */
  snapshot(): Promise<HTMLCanvasElement>;
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

/** The only React component that talks to MapLibre and deck.gl. */
export function MapView({
  label,
  layers,
  bounds,
  initialView,
  onViewChange,
  controllerRef,
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
  const config = useConfig();
  const initialBounds = useRef(bounds ?? config.city.bounds);
  const settings = useRef(config);
  const initialCamera = useRef(initialView);
  const viewChange = useRef(onViewChange);
  viewChange.current = onViewChange;

  // The map lives as long as the component: created once, removed on unmount.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const [w, s, e, n] = initialBounds.current;
    const camera = initialCamera.current;
    let created: maplibregl.Map;
    try {
      created = new maplibregl.Map({
        container: element,
        style: basemapStyle({ origin: window.location.origin, config: settings.current }),
        ...(camera
          ? { center: [camera.lon, camera.lat] as [number, number], zoom: camera.zoom }
          : { bounds: [w, s, e, n] as [number, number, number, number], fitBoundsOptions: { padding: 16 } }),
        maxBounds: [...settings.current.basemap.maxBounds],
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
    const reportView = () => {
      const center = created.getCenter();
      const b = created.getBounds();
      viewChange.current?.({
        lon: center.lng,
        lat: center.lat,
        zoom: created.getZoom(),
        bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
      });
    };
    created.on('moveend', reportView);
    created.once('load', reportView);

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
    if (!overlay || !map) return;
    overlay.setProps({
      layers: layers ?? [],
      getTooltip,
      onHover: (info, event) => {
        // A hand over anything that can be clicked.
        map.getCanvas().style.cursor = info.picked ? 'pointer' : '';
        onHover?.(info, event);
      },
    });
  }, [overlay, map, layers, getTooltip, onHover]);

  // Clicks: MapLibre says what a click is, deck.gl what lies under it. deck.gl's own tap recognizer drops a
  // press that lasts longer than 250 ms, which a busy main thread (a slow phone, software WebGL) makes of an
  // ordinary click. Layers' own onClick props are not called; pass one handler here.
  useEffect(() => {
    if (!overlay || !map || !onClick) return;
    const handle = (event: maplibregl.MapMouseEvent) => {
      const { x, y } = event.point;
      const picked = overlay.pickObject({ x, y, radius: 2 });
      const info =
        picked ??
        ({
          x,
          y,
          pixel: [x, y],
          coordinate: [event.lngLat.lng, event.lngLat.lat],
          picked: false,
          object: undefined,
          layer: null,
          index: -1,
          color: null,
        } as unknown as PickingInfo);
      onClick(info, {
        type: 'click',
        srcEvent: event.originalEvent,
        offsetCenter: { x, y },
        tapCount: 1,
      } as unknown as Parameters<NonNullable<DeckProps['onClick']>>[1]);
    };
    map.on('click', handle);
    return () => {
      map.off('click', handle);
    };
  }, [overlay, map, onClick]);

  useImperativeHandle<MapController | null, MapController | null>(
    controllerRef,
    () =>
      map && {
        flyTo: ({ lon, lat, zoom }) => {
          const center = map.getCenter();
          map.flyTo({ center: [lon ?? center.lng, lat ?? center.lat], zoom: zoom ?? map.getZoom(), essential: false });
        },
        fitBounds: ([west, south, east, north], options) =>
          map.fitBounds([west, south, east, north], {
            padding: options?.padding ?? 32,
            // MapLibre takes an explicit undefined as NaN.
            ...(options?.maxZoom === undefined ? {} : { maxZoom: options.maxZoom }),
          }),
        snapshot: () =>
          new Promise<HTMLCanvasElement>((resolve) => {
            // Read the drawing buffer in the same task it was drawn in (no preserveDrawingBuffer needed).
            map.once('render', () => {
              const source = map.getCanvas();
              const copy = document.createElement('canvas');
              copy.width = source.width;
              copy.height = source.height;
              copy.getContext('2d')?.drawImage(source, 0, 0);
              resolve(copy);
            });
            map.triggerRepaint();
          }),
      },
    [map],
  );

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
