import { describe, expect, it } from 'vitest';
import {
  type CityClock,
  dateOf,
  isTimeZone,
  openAt,
  readHours,
  readWallClock,
  wallClockAt,
} from '../../server/domain/opening-hours.ts';

const NRW: CityClock = {
  timeZone: 'Europe/Berlin',
  holidays: { country: 'de', state: 'Nordrhein-Westfalen' },
  point: [7.46, 51.51],
};
const at = (text: string, clock = NRW) => {
  const w = readWallClock(text, clock.timeZone);
  if (!w) throw new Error(`not a time: ${text}`);
  return w;
};

describe('openAt', () => {
  const club = 'Mo-Th 15:00-20:00; Fr 18:00-02:00; PH off';

  it('is open on a Friday evening and after midnight into Saturday, closed before and after', () => {
    expect(openAt(club, at('2026-12-11T19:30'), NRW)).toBe(true);
    expect(openAt(club, at('2026-12-12T01:30'), NRW)).toBe(true);
    expect(openAt(club, at('2026-12-12T02:30'), NRW)).toBe(false);
    expect(openAt(club, at('2026-12-11T17:00'), NRW)).toBe(false);
    expect(openAt(club, at('2026-12-13T19:30'), NRW)).toBe(false); // Sunday
  });

  it('is closed on a public holiday of NRW (Christmas; Corpus Christi, which Lower Saxony does not keep)', () => {
    const weekdays = 'Mo-Fr 10:00-18:00; PH off';
    expect(openAt(weekdays, at('2026-12-25T12:00'), NRW)).toBe(false); // Friday, Christmas Day
    expect(openAt(weekdays, at('2026-12-18T12:00'), NRW)).toBe(true); // the Friday before
    expect(openAt(weekdays, at('2026-06-04T12:00'), NRW)).toBe(false); // Thursday, Fronleichnam
    const lowerSaxony = { ...NRW, holidays: { country: 'de', state: 'Niedersachsen' } };
    expect(openAt(weekdays, at('2026-06-04T12:00'), lowerSaxony)).toBe(true);
  });

  it('evaluates an instant on the city’s wall clock, not the server’s', () => {
    // 17:30 UTC on a Friday in December is 18:30 in Dortmund: the club has opened.
    expect(openAt(club, at('2026-12-11T17:30Z'), NRW)).toBe(true);
    const utc = { ...NRW, timeZone: 'UTC' };
    expect(openAt(club, at('2026-12-11T17:30Z', utc), utc)).toBe(false);
    // Summer time: 16:30 UTC on a Friday in June is 18:30 in Dortmund.
    expect(openAt(club, at('2026-06-12T16:30+00:00'), NRW)).toBe(true);
  });

  it('answers null for hours it cannot read or that are unknown then, and for none', () => {
    expect(openAt('Mo-Fr 25:99', at('2026-12-11T12:00'), NRW)).toBeNull();
    expect(openAt('Mo-Fr 10:00+', at('2026-12-11T12:00'), NRW)).toBeNull(); // open end: unknown
    expect(openAt(null, at('2026-12-11T12:00'), NRW)).toBeNull();
    expect(openAt('24/7', at('2026-12-25T03:00'), NRW)).toBe(true);
  });
});

describe('readHours', () => {
  it('names what is wrong with hours it cannot read', () => {
    const r = readHours('Mo-Fr 25:99', NRW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/59|minute/i);
  });
});

describe('readWallClock and wallClockAt', () => {
  it('reads a local time of the city as its wall clock and an instant with offset into it', () => {
    expect(readWallClock('2026-12-11T19:00', 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 12,
      day: 11,
      hour: 19,
      minute: 0,
      second: 0,
    });
    expect(readWallClock('2026-12-11T23:30Z', 'Europe/Berlin')).toMatchObject({ day: 12, hour: 0, minute: 30 });
    expect(dateOf(wallClockAt(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin'))).toBe('2027-01-01');
  });

  it.each([['2026-02-30T10:00'], ['2026-12-11T24:00'], ['2026-12-11'], ['tomorrow'], ['2026-12-11T19:00+25:00']])(
    'refuses %j',
    (text) => {
      expect(readWallClock(text, 'Europe/Berlin')).toBeNull();
    },
  );

  it('knows time zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Dortmund')).toBe(false);
  });
});
