import type { RefObject } from 'react';
import { boundsOf } from '../map/bounds.ts';
import type { MapController } from '../map/map-view.tsx';
import type { Position } from './finder-state.ts';

/**
 * Moves the map to show the place and its results, through MapView's controller. The controller is there
 * only once the map exists (its code loads after the page): until then, and for at most ten seconds, this
 * tries again on each frame. The returned function cancels a move not made yet.
 */
export function showOnMap(
  controller: RefObject<MapController | null>,
  points: readonly Position[],
  options: { maxZoom?: number } = {},
): () => void {
  if (points.length === 0) return () => {};
  const bounds = boundsOf(points);
  let frame = 0;
  const started = performance.now();
  const attempt = () => {
    const map = controller.current;
    if (map) map.fitBounds(bounds, { maxZoom: options.maxZoom ?? 16, padding: 48 });
    else if (performance.now() - started < 10_000) frame = requestAnimationFrame(attempt);
  };
  attempt();
  return () => cancelAnimationFrame(frame);
}
