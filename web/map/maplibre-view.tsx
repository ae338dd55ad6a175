import 'maplibre-gl/dist/maplibre-gl.css';
import type { DeckProps, PickingInfo } from '@deck.gl/core';
import type { MapLibreOverlay, MapLibreOverlayProps } from '@deck.gl/maplibre';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useConfig } from '../config.ts';
import { basemapStyle } from './basemap-style.ts';
import { type IdleFrames, idleFrames } from './idle-frames.ts';
import type { MapController, MapViewProps } from './map-types.ts';

// maplibre-gl 6 is ESM only and Vite does not pick up its worker: hand it the bundled file's URL.
maplibregl.setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** The map of the page, for tests and debugging. */
    __map?: maplibregl.Map;
    /** True once the map has been idle once with its deck.gl overlay: style, tiles, fonts and layers drawn. */
    __mapReady?: boolean;
  }
}

/** Maps already removed: controls must not be taken off them again. */
const removed = new WeakSet<maplibregl.Map>();

/** A 2D copy of the map's WebGL canvas, taken in the task it was drawn in. */
function copyOf(source: HTMLCanvasElement): HTMLCanvasElement {
  const copy = document.createElement('canvas');
  copy.width = source.width;
  copy.height = source.height;
  copy.getContext('2d')?.drawImage(source, 0, 0);
  return copy;
}

/**
 * The only React component that talks to MapLibre and deck.gl, loaded on demand by map-view.tsx. deck.gl comes
 * in a chunk of its own after the basemap's: the basemap paints while it loads.
 */
export function LiveMapView({
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
  const frames = useRef<IdleFrames | null>(null);
  /** Settled once deck.gl's overlay is on the map (or failed to load): only then is a picture of the map whole. */
  const layersIn = useRef<Promise<void>>(Promise.resolve());
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
    let disposed = false;
    // deck.gl's render loop runs only while something may change (idle-frames.ts).
    const loop = idleFrames();
    frames.current = loop;
    let layersAdded = () => {};
    layersIn.current = new Promise((done) => {
      layersAdded = done;
    });
    const wakeOn = ['pointermove', 'pointerdown', 'pointerup', 'wheel', 'keydown', 'touchstart', 'touchmove'];
    for (const type of wakeOn) element.addEventListener(type, loop.wake, { passive: true });
    document.fonts?.addEventListener('loadingdone', loop.wake);
    created.on('render', loop.wake);
    const ready = () => {
      layersAdded();
      created.once('idle', () => {
        if (window.__map === created) window.__mapReady = true;
      });
      created.triggerRepaint();
    };
    // The overlay must come after `load`, or deck.gl's `beforeId` layer ordering is ignored. deck.gl loads
    // meanwhile; the map is ready once it has been idle with the overlay (or without it, when deck.gl failed).
    const deck = import('@deck.gl/maplibre');
    deck.catch(() => {}); // reported once the map has loaded
    created.once('load', () => {
      deck.then(
        ({ MapLibreOverlay }) => {
          if (disposed) return;
          const props = { interleaved: true, layers: [], animationFrameProvider: loop.provider };
          added = new MapLibreOverlay(props as MapLibreOverlayProps);
          created.addControl(added);
          setOverlay(added);
          ready();
        },
        (err: unknown) => {
          if (disposed) return;
          console.warn('The map layers could not be loaded:', err);
          ready();
        },
      );
    });
    setMap(created);
    return () => {
      disposed = true;
      for (const type of wakeOn) element.removeEventListener(type, loop.wake);
      document.fonts?.removeEventListener('loadingdone', loop.wake);
      frames.current = null;
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
    frames.current?.wake();
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
        snapshot: async () => {
          await layersIn.current;
          return new Promise<HTMLCanvasElement>((resolve) => {
            // MapLibre fires `idle` in the task of the frame that drew the last tile, label and fade: the drawing
            // buffer is read there (no preserveDrawingBuffer needed).
            map.once('idle', () => resolve(copyOf(map.getCanvas())));
            map.triggerRepaint();
          });
        },
        snapshotNow: () => {
          map.redraw();
          const source = map.getCanvas();
          return source.width === 0 || source.height === 0 ? null : copyOf(source);
        },
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
