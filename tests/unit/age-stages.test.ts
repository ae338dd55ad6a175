import { describe, expect, it } from 'vitest';
import { countByAgeStage, STAGE_AGES } from '../../server/domain/age-stages.ts';

const text = (de: string) => ({ de, en: de });
/** The chain's stages as the catalogue gives them: main stages, a school type under secondary, the library. */
const STAGES = [
  { stage: 'kita', label: text('Kita'), parent: null },
  { stage: 'primary', label: text('Grundschule'), parent: null },
  { stage: 'secondary', label: text('weiterführende Schule'), parent: null },
  { stage: 'gymnasium', label: text('Gymnasium'), parent: 'secondary' },
  { stage: 'vocational', label: text('Berufskolleg'), parent: null },
  { stage: 'library', label: text('Bibliothek'), parent: null },
];

describe('offers per age stage of the education chain', () => {
  it('counts an offer in every main stage its ages meet, and offers without ages apart', () => {
    const counts = countByAgeStage(STAGES, [
      { age_min: 12, age_max: 21 }, // a youth club: secondary and vocational
      { age_min: 0, age_max: 3 }, // a baby group: Kita
      { age_min: 6, age_max: null }, // from 6 on: every stage from primary
      { age_min: null, age_max: 5 }, // up to 5: Kita
      { age_min: null, age_max: null }, // no ages
    ]);
    expect(counts.stages.map((s) => [s.stage, s.offers])).toEqual([
      ['kita', 2],
      ['primary', 1],
      ['secondary', 2],
      ['vocational', 2],
    ]);
    expect(counts.age_not_given).toBe(1);
    expect(counts.stages[0]).toMatchObject({ age_min: STAGE_AGES.kita?.min, age_max: STAGE_AGES.kita?.max });
  });

  it('gives zero offers per stage only where offers were counted, and no stage for the library or sub-stages', () => {
    const none = countByAgeStage(STAGES, []);
    expect(none).toEqual({ stages: expect.any(Array), age_not_given: 0 });
    expect(none.stages.map((s) => s.stage)).toEqual(['kita', 'primary', 'secondary', 'vocational']);
    // Only ages given: no stage is counted, and they are not zeros of a stage but "age not given".
    expect(countByAgeStage(STAGES, [{ age_min: null, age_max: null }]).age_not_given).toBe(1);
  });

  it('touches a stage at its ends (both ages included)', () => {
    const [kita, primary] = countByAgeStage(STAGES, [{ age_min: 5, age_max: 6 }]).stages;
    expect([kita?.offers, primary?.offers]).toEqual([1, 1]);
  });
});
