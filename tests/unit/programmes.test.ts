import { describe, expect, it } from 'vitest';
import {
  listProgrammes,
  type ProgrammeOfferRow,
  programmeDetail,
  programmeId,
} from '../../server/domain/programmes.ts';

const list = { id: 'a', version: 1, title: 'Liste A', date: '2026-11-30' };
const row = (id: string, programme: string, over: Partial<ProgrammeOfferRow> = {}): ProgrammeOfferRow => ({
  id,
  name: id,
  category: 'youth',
  programme,
  lon: 7.1234567,
  lat: 51.7654321,
  quarter_code: '010',
  quarter_name: 'Q 010',
  district_code: '01',
  district_name: 'D 01',
  action_area_code: null,
  action_area_name: null,
  list,
  ...over,
});

describe('programmes of the offer lists', () => {
  it('makes ids from names: folded, umlauts spelt out, other characters one dash', () => {
    expect(programmeId('Sprachbrücke')).toBe('sprachbruecke');
    expect(programmeId('  Talente fördern – NRW! ')).toBe('talente-foerdern-nrw');
    expect(programmeId('…')).toBe('');
  });

  it('groups spellings of one programme, across categories, named as most offers spell it', () => {
    const rows = [
      row('o1', 'Sprachbrücke'),
      row('o2', 'sprachbrücke', { category: 'family', quarter_code: '020', quarter_name: 'Q 020' }),
      row('o3', 'Sprachbrücke', { list: { ...list, id: 'b', title: 'Liste B' } }),
      row('o4', 'Startklar'),
      row('o5', '--'),
    ];
    expect(listProgrammes(rows)).toEqual([
      {
        id: 'sprachbruecke',
        name: 'Sprachbrücke',
        offers: 3,
        quarters: 2,
        categories: ['family', 'youth'],
        lists: [
          { id: 'a', title: 'Liste A', date: '2026-11-30' },
          { id: 'b', title: 'Liste B', date: '2026-11-30' },
        ],
      },
      {
        id: 'startklar',
        name: 'Startklar',
        offers: 1,
        quarters: 1,
        categories: ['youth'],
        lists: [expect.any(Object)],
      },
    ]);
  });

  it('counts one programme by quarter and action area, offers outside every action area apart', () => {
    const rows = [
      row('o1', 'P', { action_area_code: '011', action_area_name: 'AR 011' }),
      row('o2', 'P', {
        action_area_code: '011',
        action_area_name: 'AR 011',
        quarter_code: '020',
        quarter_name: 'Q 020',
      }),
      row('o3', 'P'),
    ];
    const p = programmeDetail(rows, 'p');
    expect(p?.quarters).toEqual([
      { code: '010', name: 'Q 010', district: { code: '01', name: 'D 01' }, offers: 2 },
      { code: '020', name: 'Q 020', district: { code: '01', name: 'D 01' }, offers: 1 },
    ]);
    expect(p?.action_areas).toEqual([{ code: '011', name: 'AR 011', offers: 2 }]);
    expect(p?.outside_action_areas).toBe(1);
    expect(p?.offers[0]?.point).toEqual([7.12346, 51.76543]);
    expect(programmeDetail(rows, 'q')).toBeNull();
  });
});
