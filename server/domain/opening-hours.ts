/**
 * Opening hours in OpenStreetMap's syntax ("Mo-Fr 14:00-20:00; Fr 18:00-02:00; PH off"), read with the maintained
 * `opening_hours` library (public and school holidays of the city's country and state, from its own tables), and
 * evaluated on the city's wall clock: the time zone and the holiday region come from the manifest (city.timeZone,
 * city.holidays), never from the server's own clock settings.
 */
import OpeningHours from 'opening_hours';

/** Where the offers are: the city's time zone (IANA), its holiday region and a point for the library's context. */
export interface CityClock {
  timeZone: string;
  /** The holidays' country (ISO 3166-1, lower case: "de") and state as the library names it ("Nordrhein-Westfalen"). */
  holidays: { country: string; state: string } | null;
  /** A point in the city [lon, lat] (sunrise and sunset, if an offer's hours name them). */
  point: [number, number];
}

function context(clock: CityClock) {
  return clock.holidays
    ? {
        lat: clock.point[1],
        lon: clock.point[0],
        address: { country_code: clock.holidays.country, state: clock.holidays.state },
      }
    : null;
}

/** The hours read, or why they cannot be read (the library's message, for the row's finding). */
export function readHours(
  text: string,
  clock: CityClock,
): { ok: true; hours: OpeningHours; warnings: string[] } | { ok: false; error: string } {
  try {
    const hours = new OpeningHours(text, context(clock) as never);
    return { ok: true, hours, warnings: hours.getWarnings() as string[] };
  } catch (err) {
    return {
      ok: false,
      error: String(err instanceof Error ? err.message : err)
        .replace(/\s+/g, ' ')
        .trim(),
    };
  }
}

/** True when `timeZone` is a time zone the runtime knows ("Europe/Berlin"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `timeZone` at `instant`: year, month (1-12), day, hour, minute, second. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
  };
}

/** The wall clock's date, "YYYY-MM-DD". */
export function dateOf(w: WallClock): string {
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * The library reads a Date's local fields (getDay, getHours): a Date whose local fields are the city's wall clock
 * makes it evaluate on the city's clock whatever the server's time zone is.
 */
function asLocal(w: WallClock): Date {
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A point in time as a parameter gives it: a local date and time of the city ("2026-12-11T19:00", its wall clock)
 * or an instant with its offset ("2026-12-11T18:00Z"). Null when it is neither, or no such day or hour exists.
 */
export function readWallClock(text: string, timeZone: string): WallClock | null {
  const m = LOCAL.exec(text);
  if (m) {
    const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
    const w = { year, month, day, hour, minute, second } as WallClock;
    const check = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
    const valid =
      check.getUTCFullYear() === w.year &&
      check.getUTCMonth() === w.month - 1 &&
      check.getUTCDate() === w.day &&
      check.getUTCHours() === w.hour &&
      check.getUTCMinutes() === w.minute;
    return valid ? w : null;
  }
  if (WITH_OFFSET.test(text)) {
    const instant = new Date(text);
    return Number.isNaN(instant.getTime()) ? null : wallClockAt(instant, timeZone);
  }
  return null;
}

/**
 * Whether hours written in OSM syntax are open at a wall-clock time of the city: true or false, or null when
 * they cannot be read or the hours say "unknown" for that time (a comment only, "open end").
 */
export function openAt(text: string | null | undefined, at: WallClock, clock: CityClock): boolean | null {
  if (!text) return null;
  const read = readHours(text, clock);
  if (!read.ok) return null;
  const when = asLocal(at);
  if (read.hours.getUnknown(when)) return null;
  return read.hours.getState(when);
}
