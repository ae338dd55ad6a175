/**
 * Offers per age stage of the education chain (issue 21): the offers of the city's lists in an area, counted by the
 * stages of the education chain an offer's ages reach. Pure: the stages come from the catalogue (chainStages), the
 * offers from the lists (db/queries/offers.ts readListOfferAges).
 *
 * The ages of the stages are those of the school system in Germany: a Kita from birth to school entry (0–5), the
 * primary school (Grundschule, years 1–4: 6–9), the secondary school (years 5–13: 10–18) and the vocational college
 * (Berufskolleg: 16–21). The library is a stage of the chain for every age and is not an age stage. An offer counts
 * in every stage its age range meets (a youth club for 12 to 21 in secondary school and vocational college); an
 * offer whose list gives no age is counted as "age not given", never in a stage and never as a zero.
 */
import type { Text } from './indicators.ts';

/** Ages in whole years, both ends included, by the chain's stage (its facet member). */
export const STAGE_AGES: Readonly<Record<string, { min: number; max: number }>> = {
  kita: { min: 0, max: 5 },
  primary: { min: 6, max: 9 },
  secondary: { min: 10, max: 18 },
  vocational: { min: 16, max: 21 },
};

/** The oldest age an open age range ("from 12") reaches. */
const AGE_OPEN = 200;

export interface ListOfferAges {
  age_min: number | null;
  age_max: number | null;
}

export interface AgeStageCount {
  stage: string;
  label: Text;
  age_min: number;
  age_max: number;
  offers: number;
}

/** The stages with ages, in the chain's order, each with the number of offers whose ages meet it. */
export function countByAgeStage(
  stages: readonly { stage: string; label: Text; parent: string | null }[],
  offers: readonly ListOfferAges[],
): { stages: AgeStageCount[]; age_not_given: number } {
  const aged = offers.filter((o) => o.age_min !== null || o.age_max !== null);
  return {
    stages: stages.flatMap((s) => {
      const ages = STAGE_AGES[s.stage];
      if (s.parent !== null || !ages) return [];
      const offersMeeting = aged.filter((o) => (o.age_min ?? 0) <= ages.max && (o.age_max ?? AGE_OPEN) >= ages.min);
      return [{ stage: s.stage, label: s.label, age_min: ages.min, age_max: ages.max, offers: offersMeeting.length }];
    }),
    age_not_given: offers.length - aged.length,
  };
}

export const AGE_STAGE_NOTE: Text = {
  de:
    'Angebote aus den Angebotslisten der Stadt (nicht aus OpenStreetMap oder den amtlichen Kita- und Schuldaten) mit ' +
    'Standort im Gebiet, die heute gelten, gezählt nach den Altersstufen der Bildungskette: Kita 0–5 Jahre, ' +
    'Grundschule 6–9, weiterführende Schule 10–18, Berufskolleg 16–21. Ein Angebot zählt in jeder Stufe, die seine ' +
    'Altersspanne berührt; ohne Altersangabe zählt es unter „Alter nicht angegeben“, nicht in einer Stufe.',
  en:
    'Offers of the city’s offer lists (not OpenStreetMap or the official Kita and school data) located in the area ' +
    'and valid today, counted by the age stages of the education chain: Kita 0–5 years, primary school 6–9, ' +
    'secondary school 10–18, vocational college 16–21. An offer counts in every stage its age range meets; without ' +
    'ages it counts under “age not given”, not in a stage.',
};
