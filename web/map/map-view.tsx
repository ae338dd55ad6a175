import {
  type ComponentType,
  type RefObject,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useT } from '../i18n/index.ts';
import type { MapController, MapViewProps } from './map-types.ts';

export type { MapCamera, MapController, MapViewChange, MapViewProps } from './map-types.ts';

/**
 * The map as pages use it. MapLibre and deck.gl (about half a megabyte gzip) are not part of any page's code: they
 * load here, on demand, while a light stand-in of the same size holds the map's place. A page whose map is its
 * purpose (planner, council) loads them at once; the finder defers them (`defer`) until its list is usable.
 */

type LiveMap = ComponentType<MapViewProps>;

let live: Promise<LiveMap> | null = null;
const requested = new Set<() => void>();
let mapWanted = false;

/** Starts loading the map's code (once; again after a failure) and resolves with the live component. */
export function loadMapCode(): Promise<LiveMap> {
  if (!mapWanted) {
    mapWanted = true;
    for (const listener of requested) listener();
    requested.clear();
  }
  live ??= import('./maplibre-view.tsx').then(
    (module) => module.LiveMapView,
    (err: unknown) => {
      live = null;
      throw err;
    },
  );
  return live;
}

/** Calls `listener` once the map's code has been asked for (at once when it has been already). */
export function onMapCodeRequested(listener: () => void): () => void {
  if (mapWanted) {
    listener();
    return () => {};
  }
  requested.add(listener);
  return () => requested.delete(listener);
}

/** Runs `work` when the browser has nothing more urgent to do (after at most `timeout` ms). */
function whenIdle(work: () => void, timeout: number): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(work, { timeout });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(work, 200);
  return () => window.clearTimeout(id);
}

/** How long a deferred map waits for an idle moment before it loads anyway. */
const DEFER_TIMEOUT_MS = 3000;

export type LazyMapViewProps = MapViewProps & {
  /**
   * Load the map's code only once the page around it has been drawn and the browser is idle, or as soon as the
   * resident touches or focuses the map's place. Default false: load at once. The controller is there at once
   * then: a move asked for before the map has loaded (the results of a search) is made when it has.
   */
  defer?: boolean;
};

/**
 * For a deferred map: a controller at once, whose last move waits for the live map's controller (its ref, handed to
 * the live map, makes it on arrival). A picture asked for before the map is there fails.
 */
function useWaitingController(): { controller: MapController; liveRef: RefObject<MapController | null> } {
  return useMemo(() => {
    let live: MapController | null = null;
    let pending: ((map: MapController) => void) | null = null;
    const liveRef = {
      get current() {
        return live;
      },
      set current(map: MapController | null) {
        live = map;
        const move = pending;
        pending = null;
        if (map && move) move(map);
      },
    };
    const controller: MapController = {
      flyTo(camera) {
        if (live) live.flyTo(camera);
        else pending = (map) => map.flyTo(camera);
      },
      fitBounds(bounds, options) {
        if (live) live.fitBounds(bounds, options);
        else pending = (map) => map.fitBounds(bounds, options);
      },
      snapshot() {
        return live ? live.snapshot() : Promise.reject(new Error('The map has not loaded yet'));
      },
      snapshotNow() {
        return live ? live.snapshotNow() : null;
      },
    };
    return { controller, liveRef };
  }, []);
}

/** The map of a page: MapLibre and deck.gl load on demand (see above); until then a light stand-in. */
export function MapView({ defer = false, controllerRef, ...props }: LazyMapViewProps) {
  const t = useT();
  const waiting = useWaitingController();
  useImperativeHandle(defer ? controllerRef : undefined, () => waiting.controller, [waiting]);
  const [wanted, setWanted] = useState(!defer);
  const [Live, setLive] = useState<LiveMap | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (wanted) return;
    // After this commit, the page is on screen: wait for a calm moment, then fetch the map.
    return whenIdle(() => setWanted(true), DEFER_TIMEOUT_MS);
  }, [wanted]);

  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const load = useCallback(() => {
    setFailed(false);
    loadMapCode().then(
      (component) => {
        if (mounted.current) setLive(() => component);
      },
      (err: unknown) => {
        console.warn('The map could not be loaded:', err);
        if (mounted.current) setFailed(true);
      },
    );
  }, []);
  useEffect(() => {
    if (wanted) load();
  }, [wanted, load]);

  const want = useCallback(() => setWanted(true), []);

  if (Live) return <Live {...props} controllerRef={defer ? waiting.liveRef : controllerRef} />;
  return (
    <section
      className={['map-view', 'map-view--waiting', props.className].filter(Boolean).join(' ')}
      aria-label={props.label}
      aria-busy={!failed}
      onPointerDown={want}
      onFocus={want}
    >
      <div className="map-view__canvas" dir="ltr" />
      {failed ? (
        <div className="map-view__unavailable" role="alert">
          <p>{t('map.loadFailed')}</p>
          <button type="button" onClick={load}>
            {t('app.retry')}
          </button>
        </div>
      ) : (
        <p className="map-view__waiting">{t('map.loading')}</p>
      )}
    </section>
  );
}
