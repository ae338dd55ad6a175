import type { BBox } from '../config.ts';

/**
 * Keeping the selected area clear of the card over the map (its profile): where on the map a point is drawn, whether
 * the card covers it, the part of the map the card leaves free, and the pan that moves the area into it (a pan of
 * the centre, not a camera padding: MapLibre keeps a padding for every later move). Pure functions; the map is Web
 * Mercator, as MapLibre draws it.
 */

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Padding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/** Where [lon, lat] is drawn on a map of `size` pixels showing `view` (west, south, east, north). */
export function projectPoint(
  view: BBox,
  size: { width: number; height: number },
  [lon, lat]: readonly [number, number],
): { x: number; y: number } {
  const [west, south, east, north] = view;
  const top = mercatorY(north);
  const bottom = mercatorY(south);
  return {
    x: ((lon - west) / (east - west)) * size.width,
    y: ((top - mercatorY(lat)) / (top - bottom)) * size.height,
  };
}

/** Whether a point (map pixels) lies under the card, or within `margin` pixels of it. */
export function isCovered(point: { x: number; y: number }, card: Rect, margin = 24): boolean {
  return (
    point.x >= card.left - margin &&
    point.x <= card.left + card.width + margin &&
    point.y >= card.top - margin &&
    point.y <= card.top + card.height + margin
  );
}

/**
 * The padding that leaves the card's side of the map free: a card along one side (beside the map on wide screens,
 * at the bottom on phones) takes that side, plus a margin; the other sides keep `margin`.
 */
export function paddingBeside(map: { width: number; height: number }, card: Rect, margin = 24): Padding {
  const padding: Padding = { top: margin, bottom: margin, left: margin, right: margin };
  const spaceLeft = card.left;
  const spaceRight = map.width - (card.left + card.width);
  const spaceAbove = card.top;
  const spaceBelow = map.height - (card.top + card.height);
  // The largest free strip beside the card is where the area goes.
  const best = Math.max(spaceLeft, spaceRight, spaceAbove, spaceBelow);
  if (best === spaceLeft) padding.right = map.width - card.left + margin;
  else if (best === spaceRight) padding.left = card.left + card.width + margin;
  else if (best === spaceAbove) padding.bottom = map.height - card.top + margin;
  else padding.top = card.top + card.height + margin;
  return padding;
}

/** The bounds of an area's polygon or multipolygon. */
export function geometryBounds(geometry: { type: string; coordinates: unknown }): BBox | null {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  const visit = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      west = Math.min(west, c[0]);
      east = Math.max(east, c[0]);
      south = Math.min(south, c[1]);
      north = Math.max(north, c[1]);
      return;
    }
    for (const inner of c) visit(inner);
  };
  visit(geometry.coordinates);
  return Number.isFinite(west) ? [west, south, east, north] : null;
}

/** The rectangle (map pixels) an area's bounds are drawn in. */
export function projectBounds(view: BBox, size: { width: number; height: number }, bounds: BBox): Rect {
  const a = projectPoint(view, size, [bounds[0], bounds[3]]);
  const b = projectPoint(view, size, [bounds[2], bounds[1]]);
  return { left: a.x, top: a.y, width: b.x - a.x, height: b.y - a.y };
}

/** Whether two rectangles overlap. */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

/** The place [lon, lat] drawn at a point (map pixels) of a map of `size` showing `view`. */
export function unprojectPoint(
  view: BBox,
  size: { width: number; height: number },
  { x, y }: { x: number; y: number },
): [number, number] {
  const [west, south, east, north] = view;
  const top = mercatorY(north);
  const bottom = mercatorY(south);
  const my = top - (y / size.height) * (top - bottom);
  const lat = ((2 * Math.atan(Math.exp(my)) - Math.PI / 2) * 180) / Math.PI;
  return [west + (x / size.width) * (east - west), lat];
}

/** The part of the map the card leaves free, beside it (see paddingBeside). */
export function freeRegion(map: { width: number; height: number }, card: Rect, margin = 24): Rect {
  const p = paddingBeside(map, card, margin);
  return { left: p.left, top: p.top, width: map.width - p.left - p.right, height: map.height - p.top - p.bottom };
}

/**
 * How far (pixels) to move what the map shows so that `rect` lies inside `free`: along each axis the least move
 * that brings it in, or (where it is larger than the free part) its middle to the free part's middle.
 */
export function panInto(rect: Rect, free: Rect): { dx: number; dy: number } {
  const axis = (start: number, size: number, freeStart: number, freeSize: number) => {
    if (size > freeSize) return freeStart + freeSize / 2 - (start + size / 2);
    if (start < freeStart) return freeStart - start;
    if (start + size > freeStart + freeSize) return freeStart + freeSize - (start + size);
    return 0;
  };
  return {
    dx: axis(rect.left, rect.width, free.left, free.width),
    dy: axis(rect.top, rect.height, free.top, free.height),
  };
}

/**
 * The card's place mirrored to the other side of the map: left ↔ right where it stands beside the map (wide
 * screens), bottom ↔ top where it lies across it (phones).
 */
export function mirrored(map: { width: number; height: number }, card: Rect): Rect {
  const beside = card.width < map.width * 0.7;
  return beside
    ? { ...card, left: map.width - card.left - card.width }
    : { ...card, top: map.height - card.top - card.height };
}

/** Where the card goes: its side, and on phones the height it may take (null: its own). */
export type CardPlace = { place: 'keep' | 'dock'; maxHeight: number | null } | { place: 'pan'; dx: number; dy: number };

/**
 * Where the card goes so that it does not cover the area (`rect`): where it is (`keep`), on the other side
 * (`dock`); on a phone, where the card lies across the map, also shortened to end before the area (on the side
 * with more room, at least `minHeight`); else where it is, with the map panned by (dx, dy).
 */
export function clearCard(
  map: { width: number; height: number },
  card: Rect,
  rect: Rect,
  { margin = 12, minHeight = 160 } = {},
): CardPlace {
  if (!overlaps(rect, card)) return { place: 'keep', maxHeight: null };
  const other = mirrored(map, card);
  if (!overlaps(rect, other)) return { place: 'dock', maxHeight: null };
  const across = card.width >= map.width * 0.7;
  if (across) {
    // The card at the bottom keeps its lower edge; docked at the top, its upper edge.
    const keep = card.top + card.height - (rect.top + rect.height) - margin;
    const dock = rect.top - margin - other.top;
    if (Math.max(keep, dock) >= minHeight)
      return keep >= dock
        ? { place: 'keep', maxHeight: Math.floor(keep) }
        : { place: 'dock', maxHeight: Math.floor(dock) };
  }
  return { place: 'pan', ...panInto(rect, freeRegion(map, card)) };
}
