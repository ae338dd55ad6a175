import type { DeckProps, LayersList } from '@deck.gl/core';
import { type ReactNode, type RefObject, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { type BBox, useConfig } from '../config.ts';
import { useT } from '../i18n/index.ts';
import { type MapController, MapView } from '../map/map-view.tsx';

/**
 * The map of a council page, and its stand-in on paper. Browsers print a WebGL canvas blank, so the figure
 * keeps a picture of the map as drawn (basemap and layers, on a 2D canvas) that the print stylesheet shows
 * instead of the live map. The picture is taken once the map has stopped changing: after every move and every
 * change of layers, when MapLibre next says it is idle (tiles, labels and fades all drawn). Whatever the browser
 * prints from (its own print command, Ctrl+P, included), `beforeprint` draws the map again and copies it into the
 * picture in the same task, so that a print started at once shows the map too.
 */

export interface CouncilMapProps {
  label: string;
  layers: LayersList;
  bounds: BBox;
  /** Changes whenever the layers draw something else, so that a new picture is taken. */
  layersKey: string;
  attributions?: readonly string[];
  getTooltip?: DeckProps['getTooltip'];
  onClick?: DeckProps['onClick'];
  /** Legend and notes under the map, on screen and on paper. */
  caption?: ReactNode;
  /** When this changes, the map fits `bounds` again (after its size changed, say for a presentation). */
  fitKey?: string;
  /** Filled with a function that takes a fresh picture of the map now (call it before printing). */
  refreshRef?: RefObject<(() => Promise<void>) | null>;
  className?: string;
}

/** How often to look whether the live map is there and on screen, before a picture of it can be taken. */
const LOOK_INTERVAL_MS = 250;
const SNAPSHOT_TIMEOUT_MS = 5000;
/** How long a change may take to be drawn whole (software WebGL on a busy machine is slow). */
const SETTLE_TIMEOUT_MS = 60_000;

/** Whether the live map is on screen at a size (not hidden, not in the print layout). */
function shown(figure: HTMLElement | null): boolean {
  const live = figure?.querySelector<HTMLElement>('.council-map__live');
  return !!live && live.clientWidth > 0 && live.clientHeight > 0 && !window.matchMedia('print').matches;
}

/** Copies `source` into the picture canvas (at its size), synchronously. */
function paint(target: HTMLCanvasElement | null, source: HTMLCanvasElement) {
  if (!target) return;
  target.width = source.width;
  target.height = source.height;
  target.getContext('2d')?.drawImage(source, 0, 0);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([work, new Promise<null>((done) => setTimeout(() => done(null), ms))]);
}

/** Text of the basemap attribution without its links, for paper. */
function plain(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

export function CouncilMap({
  label,
  layers,
  bounds,
  layersKey,
  attributions,
  getTooltip,
  onClick,
  caption,
  refreshRef,
  fitKey,
  className,
}: CouncilMapProps) {
  const t = useT();
  const { basemap } = useConfig();
  const controller = useRef<MapController | null>(null);
  const image = useRef<HTMLCanvasElement>(null);
  const figure = useRef<HTMLElement>(null);
  /** Whether the picture holds the map yet (it is drawn into the canvas, outside React). */
  const [picture, setPicture] = useState(false);
  const [changes, setChanges] = useState(0);
  /** The view and layers the pictures are of, and the one they last stood still for. */
  const pictured = `${layersKey}#${changes}`;
  const [settledFor, setSettledFor] = useState<string | null>(null);
  const settled = settledFor === pictured;
  const onViewChange = useCallback(() => setChanges((n) => n + 1), []);

  useImperativeHandle(
    refreshRef,
    () => async () => {
      if (!controller.current || !shown(figure.current)) return;
      const canvas = await withTimeout(controller.current.snapshot(), SNAPSHOT_TIMEOUT_MS);
      if (!canvas || canvas.width === 0 || canvas.height === 0) return;
      // Into the page at once, so that a print right after shows it.
      paint(image.current, canvas);
      flushSync(() => setPicture(true));
    },
    [],
  );

  // The browser's own print command: the map drawn and copied now, before the print layout hides it.
  useEffect(() => {
    const beforePrint = () => {
      const live = figure.current?.querySelector<HTMLElement>('.council-map__live');
      if (!controller.current || !live || live.clientWidth === 0 || live.clientHeight === 0) return;
      const canvas = controller.current.snapshotNow();
      if (!canvas || canvas.width === 0 || canvas.height === 0) return;
      paint(image.current, canvas);
      flushSync(() => setPicture(true));
    };
    window.addEventListener('beforeprint', beforePrint);
    return () => window.removeEventListener('beforeprint', beforePrint);
  }, []);

  // The map resizes itself with its box; once it has, fit the area in again.
  const fitted = useRef(fitKey);
  useEffect(() => {
    if (fitted.current === fitKey) return;
    fitted.current = fitKey;
    // maxZoom given: MapView passes it on even when undefined, and MapLibre then computes NaN.
    const timer = setTimeout(() => controller.current?.fitBounds(bounds, { padding: 24, maxZoom: 17 }), 300);
    return () => clearTimeout(timer);
  }, [fitKey, bounds]);

  // A change of view or of layers: a picture once the map stands still. Not while the live map is hidden (print
  // preview, presentation slides): it is drawn at no size then, and the picture taken before stays.
  useEffect(() => {
    let cancelled = false;
    const settle = async () => {
      const until = Date.now() + SETTLE_TIMEOUT_MS;
      while (!cancelled && Date.now() < until) {
        const map = controller.current;
        if (map && shown(figure.current)) {
          const canvas = await withTimeout(map.snapshot(), SETTLE_TIMEOUT_MS);
          if (cancelled || !canvas || canvas.width === 0 || canvas.height === 0 || !shown(figure.current)) return;
          paint(image.current, canvas);
          setPicture(true);
          setSettledFor(pictured);
          return;
        }
        await new Promise((done) => setTimeout(done, LOOK_INTERVAL_MS));
      }
    };
    settle();
    return () => {
      cancelled = true;
    };
  }, [pictured]);

  return (
    <figure
      ref={figure}
      className={['council-map', className].filter(Boolean).join(' ')}
      data-picture={settled ? 'ready' : picture ? 'drawing' : 'none'}
    >
      <MapView
        className="council-map__live"
        label={label}
        unavailableText={t('map.unavailable')}
        layers={layers}
        bounds={bounds}
        attributions={attributions}
        getTooltip={getTooltip}
        onClick={onClick}
        onViewChange={onViewChange}
        controllerRef={controller}
      />
      <canvas
        ref={image}
        className="council-map__picture"
        role="img"
        aria-label={label}
        width={0}
        height={0}
        hidden={!picture}
      />
      <figcaption className="council-map__caption">
        {caption}
        {/* On screen the map's own attribution control says this; on paper the picture has none. */}
        <span className="council-map__attribution council-print-only">
          {t('council.map.basemap')}:{' '}
          {[...basemap.attribution.map((a) => a.text), ...(attributions ?? []).map(plain)].join(', ')}
        </span>
      </figcaption>
    </figure>
  );
}

/** Prints the page (or saves it as PDF, as the browser offers) with a fresh picture of the map. */
export function PrintButton({ refreshRef }: { refreshRef: RefObject<(() => Promise<void>) | null> }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="council-button"
      aria-busy={busy}
      disabled={busy}
      onClick={async () => {
        // Says it is working while the picture of the map is taken (software WebGL takes a while).
        flushSync(() => setBusy(true));
        try {
          await refreshRef.current?.();
          window.print();
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? t('council.print.preparing') : t('council.print')}
    </button>
  );
}
