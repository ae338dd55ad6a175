import type { Manifest } from '../../geodata/manifest.ts';

/**
 * What the web app learns about its city at start (/api/config): name, extent, attribution, the basemap's extent
 * and zoom range, and the editorial choices of the manifest. Pure: the manifest and the basemap's tile range in,
 * the settings out.
 */

/** [west, south, east, north] in degrees (WGS 84). */
export type Bounds = [west: number, south: number, east: number, north: number];

/** The tiles the basemap folder has at its highest zoom (XYZ numbering, inclusive). */
export interface TileRange {
  z: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export interface WebConfigBody {
  routeUrlTemplate: string | null;
  accessibilityContact: ContactLink | null;
  city: { name: string; code: string; bounds: Bounds };
  basemap: {
    /** The extent of the basemap's tiles, or null without tiles. */
    bounds: Bounds | null;
    /** How far the map may be panned: the tiles' extent with a third of its size around it. */
    maxBounds: Bounds;
    /** The highest zoom of the tiles; the map overzooms beyond it. */
    maxZoom: number;
    attribution: { text: string; url: string | null }[];
  };
  planner: Manifest['web']['planner'];
  council: Manifest['web']['council'];
}

/** The bounds of a range of XYZ tiles (Web Mercator). */
export function tileRangeBounds({ z, minX, maxX, minY, maxY }: TileRange): Bounds {
  const n = 2 ** z;
  const lon = (x: number) => (x / n) * 360 - 180;
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon(minX), lat(maxY + 1), lon(maxX + 1), lat(minY)];
}

/** Bounds grown by `share` of their width and height on every side. */
export function padBounds([w, s, e, n]: Bounds, share: number): Bounds {
  const dx = (e - w) * share;
  const dy = (n - s) * share;
  return [w - dx, s - dy, e + dx, n + dy];
}

/** The route link template when it makes an http(s) URL, else null. */
export function routeTemplate(value: string): string | null {
  const template = value.trim();
  return /^https?:\/\/\S+$/i.test(template) ? template : null;
}

/** A contact as a link: the text shown and where it leads. */
export interface ContactLink {
  text: string;
  href: string;
}

/**
 * The feedback contact of the accessibility statement (ACCESSIBILITY_CONTACT) as a link: an e-mail address
 * becomes a mailto: link, an http(s) address (a contact form) links to itself; anything else, or nothing, is null.
 */
export function contactLink(value: string): ContactLink | null {
  const contact = value.trim();
  if (/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(contact)) return { text: contact, href: `mailto:${contact}` };
  if (/^https?:\/\/[^\s<>]+$/i.test(contact)) return { text: contact, href: contact };
  return null;
}

/** Highest zoom of the basemap when the package has no tiles (the map then shows the data without a basemap). */
export const DEFAULT_BASEMAP_MAX_ZOOM = 14;

export function buildWebConfig(
  manifest: Pick<Manifest, 'city' | 'sources' | 'web'>,
  tiles: TileRange | null,
  routeUrlTemplate: string,
  accessibilityContact = '',
): WebConfigBody {
  const { city, sources, web } = manifest;
  const bounds = city.bbox as Bounds;
  const tileBounds = tiles ? tileRangeBounds(tiles) : null;
  const basemapSource = web.basemapSource ? sources.find((s) => s.id === web.basemapSource) : undefined;
  if (web.basemapSource && !basemapSource) {
    throw new Error(`manifest: web.basemapSource "${web.basemapSource}" is not one of the sources`);
  }
  return {
    routeUrlTemplate: routeTemplate(routeUrlTemplate),
    accessibilityContact: contactLink(accessibilityContact),
    city: { name: city.name, code: city.code, bounds },
    basemap: {
      bounds: tileBounds,
      maxBounds: padBounds(tileBounds ?? bounds, 1 / 3),
      maxZoom: tiles?.z ?? DEFAULT_BASEMAP_MAX_ZOOM,
      attribution: basemapSource ? [{ text: basemapSource.attribution, url: basemapSource.url }] : [],
    },
    planner: web.planner,
    council: web.council,
  };
}
