/**
 * The request SQL of /api/programmes (issue 21): the offers of the city's lists that name a programme, valid on a
 * day, with their quarter, district and action area. Only public lists reach atlas, so no internal list is read.
 */
import type { ProgrammeOfferRow } from '../../domain/programmes.ts';
import type { Db } from '../index.ts';
import { validOn } from './offers.ts';

/** Every offer with a programme, valid on `day` (null: every one), by id. */
export function readProgrammeOffers(db: Db, day: string | null): Promise<ProgrammeOfferRow[]> {
  return db.query<ProgrammeOfferRow>(
    `SELECT o.id, o.name, o.category, o.attrs ->> 'programme' AS programme, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat,
            o.quarter_code, q.name AS quarter_name, o.district_code, d.name AS district_name,
            o.action_area_code, aa.name AS action_area_name, o.attrs -> 'list' AS list
     FROM atlas.offer o
     JOIN atlas.area q ON q.level = 'quarter' AND q.code = o.quarter_code
     JOIN atlas.area d ON d.level = 'district' AND d.code = o.district_code
     LEFT JOIN atlas.area aa ON aa.level = 'action-area' AND aa.code = o.action_area_code
     WHERE o.attrs ? 'programme' AND o.attrs ? 'list' AND ${validOn('o', '$1')}
     ORDER BY o.id`,
    [day],
  );
}
