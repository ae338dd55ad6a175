/**
 * Coordinate reference systems, boxes and times of the OGC API – Features service (/ogc). Pure functions.
 *
 * - CRS by reference (OGC API – Features Part 2): CRS84 (longitude, latitude), EPSG:4326 (latitude, longitude:
 *   the axis order its definition gives) and EPSG:25832 (ETRS89 / UTM 32N, easting and northing in metres).
 * - Coordinates are written to a millimetre in metres (3 decimals) and to a tenth of a millimetre in degrees
 *   (9 decimals: 8 would round by up to 0.56 mm, which with the metric form's 0.5 mm exceeds a millimetre): a GIS
 *   that reprojects the degrees lands within a millimetre of the metric form (tests/e2e/ogc.test.ts, with GDAL).
 */

export interface Crs {
  uri: string;
  /** The SRID PostGIS transforms to (CRS84 and EPSG:4326 are both 4326, with other axis orders). */
  srid: number;
  /** EPSG:4326: coordinates are written latitude first. */
  latLon: boolean;
  /** Decimals of a coordinate written in this CRS. */
  decimals: number;
  title: string;
}

export const CRS84: Crs = {
  uri: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
  srid: 4326,
  latLon: false,
  decimals: 9,
  title: 'WGS 84, longitude and latitude (CRS84)',
};
export const EPSG_4326: Crs = {
  uri: 'http://www.opengis.net/def/crs/EPSG/0/4326',
  srid: 4326,
  latLon: true,
  decimals: 9,
  title: 'WGS 84, latitude and longitude (EPSG:4326)',
};
export const EPSG_25832: Crs = {
  uri: 'http://www.opengis.net/def/crs/EPSG/0/25832',
  srid: 25832,
  latLon: false,
  decimals: 3,
  title: 'ETRS89 / UTM zone 32N, metres (EPSG:25832)',
};

export const SUPPORTED_CRS: readonly Crs[] = [CRS84, EPSG_4326, EPSG_25832];

/** The short names accepted beside the URIs: `[OGC:CRS84]`, `EPSG:4326`, `urn:ogc:def:crs:EPSG::25832`. */
const ALIASES: Record<string, Crs> = {
  'ogc:crs84': CRS84,
  crs84: CRS84,
  'urn:ogc:def:crs:ogc:1.3:crs84': CRS84,
  'epsg:4326': EPSG_4326,
  'urn:ogc:def:crs:epsg::4326': EPSG_4326,
  'epsg:25832': EPSG_25832,
  'urn:ogc:def:crs:epsg::25832': EPSG_25832,
};

/** The CRS a parameter names, or null when it names none this service offers. */
export function parseCrs(value: string): Crs | null {
  const v = value.trim();
  const byUri = SUPPORTED_CRS.find((c) => c.uri === v || c.uri === v.replace(/^https:/, 'http:'));
  if (byUri) return byUri;
  return ALIASES[v.replace(/^\[|\]$/g, '').toLowerCase()] ?? null;
}

/** x, y in the CRS's own units and axis order as written. */
export type Box = [number, number, number, number];

/**
 * A `bbox` parameter: four numbers (lower corner, upper corner) in the order of `crs`, or six with heights (the
 * heights are ignored: the data have none). Returns [minX, minY, maxX, maxY] with x the longitude or easting, or
 * a message saying what is wrong.
 */
export function parseBbox(value: string, crs: Crs): { box: Box } | { error: string } {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 4 && parts.length !== 6)
    return { error: 'must be 4 numbers (or 6 with heights), comma separated' };
  const n = parts.map(Number);
  if (parts.some((p) => p === '') || n.some((x) => !Number.isFinite(x))) return { error: 'must be numbers' };
  const [a, b, c, d] = (parts.length === 4 ? n : [n[0], n[1], n[3], n[4]]) as Box;
  // EPSG:4326 writes latitude first: the lower corner is (minLat, minLon).
  const [minX, minY, maxX, maxY]: Box = crs.latLon ? [b, a, d, c] : [a, b, c, d];
  if (minY > maxY) return { error: `the lower corner's ${crs.latLon ? 'latitude' : 'y'} is above the upper corner's` };
  if (crs.srid === 4326 && (Math.abs(minY) > 90 || Math.abs(maxY) > 90 || Math.abs(minX) > 180 || Math.abs(maxX) > 180))
    return { error: 'lies outside the range of longitude and latitude' };
  if (minX > maxX) return { error: 'boxes across the antimeridian are not supported' };
  return { box: [minX, minY, maxX, maxY] };
}

/** Rounds to `decimals`, without writing -0. */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

type Coords = number[] | Coords[];

/** Coordinates rounded to the CRS's decimals, latitude first for EPSG:4326 (the input is x, y). */
export function writeCoordinates<C extends Coords>(coords: C, crs: Crs): C {
  const walk = (c: Coords): Coords => {
    if (typeof c[0] === 'number') {
      const [x, y, ...rest] = c as number[];
      const pair = crs.latLon ? [y as number, x as number] : [x as number, y as number];
      return [...pair.map((v) => roundTo(v, crs.decimals)), ...rest];
    }
    return (c as Coords[]).map(walk);
  };
  return walk(coords) as C;
}

export interface Geometry {
  type: string;
  coordinates: Coords;
}

/** A GeoJSON geometry in x, y order written in `crs` (axis order, decimals). */
export function writeGeometry(g: Geometry, crs: Crs): Geometry {
  return { type: g.type, coordinates: writeCoordinates(g.coordinates, crs) };
}

/** The x, y envelope of a geometry's coordinates, or null when it has none. */
export function envelope(g: Geometry): Box | null {
  let box: Box | null = null;
  const walk = (c: Coords) => {
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      if (x === undefined || y === undefined) return;
      if (!box) box = [x, y, x, y];
      else box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
      return;
    }
    for (const inner of c as Coords[]) walk(inner);
  };
  walk(g.coordinates);
  return box;
}

// ---------------------------------------------------------------------------------------------------------
// Time

/** A closed interval of days, as ISO dates (YYYY-MM-DD); null ends are open. */
export interface Interval {
  start: string | null;
  end: string | null;
}

/**
 * The days a reference date covers: an ISO date that day, a month its days, a year its days, a school year
 * ("2024/25") 1 August to 31 July. Null for a date of another form.
 */
export function referenceInterval(date: string): Interval | null {
  const d = date.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (m) return { start: `${m[1]}-${m[2]}-${m[3]}`, end: `${m[1]}-${m[2]}-${m[3]}` };
  m = /^(\d{4})-(\d{2})$/.exec(d);
  if (m) {
    const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    return { start: `${m[1]}-${m[2]}-01`, end: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}` };
  }
  m = /^(\d{4})\/(\d{2}|\d{4})$/.exec(d);
  if (m) return { start: `${m[1]}-08-01`, end: `${Number(m[1]) + 1}-07-31` };
  m = /^(\d{4})$/.exec(d);
  if (m) return { start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  return null;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * The `datetime` parameter (OGC API – Features Part 1, 7.15.4): an instant (`2024-12-31` or
 * `2024-12-31T00:00:00Z`) or an interval with `/`, an end open with `..` or left empty. Compared by day.
 */
export function parseDatetime(value: string): { interval: Interval } | { error: string } {
  const v = value.trim();
  const end = (part: string, name: string): string | null | { error: string } => {
    if (part === '..' || part === '') return null;
    const m = INSTANT.exec(part);
    if (!m || Number.isNaN(Date.parse(m[1] as string)))
      return { error: `${name} must be an RFC 3339 date or date-time` };
    return m[1] as string;
  };
  if (!v.includes('/')) {
    const one = end(v, 'the instant');
    if (one === null) return { error: 'must be a date, a date-time or an interval' };
    if (typeof one === 'object') return one;
    return { interval: { start: one, end: one } };
  }
  const [a = '', b = '', ...more] = v.split('/');
  if (more.length > 0) return { error: 'an interval has one /' };
  const start = end(a, 'the start');
  const stop = end(b, 'the end');
  if (start !== null && typeof start === 'object') return start;
  if (stop !== null && typeof stop === 'object') return stop;
  if (start === null && stop === null) return { error: 'an interval needs at least one end' };
  if (start !== null && stop !== null && start > stop) return { error: 'the start is after the end' };
  return { interval: { start, end: stop } };
}

/** Whether two intervals of days share a day. */
export function intersects(a: Interval, b: Interval): boolean {
  return (
    (a.end === null || b.start === null || b.start <= a.end) && (b.end === null || a.start === null || a.start <= b.end)
  );
}
