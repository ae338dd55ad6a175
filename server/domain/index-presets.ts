/**
 * The presets of the composite index as the catalogue file states them (geodata/indicator-catalogue.json
 * `index_presets`): data, not code. `presetSummary` says which of a preset's indicators the data can fill at a
 * level and names the others with the reason. Pure apart from reading the file once, when the server starts.
 */

import type { z } from 'zod';
import catalogue from '../../geodata/indicator-catalogue.json' with { type: 'json' };
import type { Catalogue } from '../db/queries/indicators.ts';
import type { PresetSummary } from './analysis-schema.ts';
import type { Text, ValueLevel } from './indicators.ts';

export interface IndexPreset {
  id: string;
  title: Text;
  description: Text;
  indicators: { id: string; weight: number }[];
  /** Topics the preset would want that no indicator of the data stands for. */
  lacking: Text[];
}

export const INDEX_PRESETS_ABOUT: string = catalogue.index_presets.about;
export const INDEX_PRESETS: readonly IndexPreset[] = catalogue.index_presets.presets;

/** An indicator can take part in an index at a level when at least this share of the level's areas has a value. */
export const MIN_COVERAGE = 0.5;

/** Why an indicator cannot take part in an index at `level`, or null when it can. */
export function unfillable(cat: Catalogue, id: string, level: ValueLevel): Text | null {
  const ind = cat.byId.get(id);
  if (!ind) return { de: 'Die Daten enthalten diesen Indikator nicht.', en: 'The data do not hold this indicator.' };
  if (ind.direction === 'neutral')
    return {
      de: 'Der Indikator hat keine Richtung (weder Bedarf noch Angebot): der Index kann ihn nicht einordnen.',
      en: 'The indicator has no direction (neither need nor strength): the index cannot turn it.',
    };
  const of = cat.areaCounts?.get(level) ?? 0;
  const have = cat.levels.find((l) => l.indicator_id === id && l.level === level)?.with_value ?? 0;
  if (of === 0 || have < of * MIN_COVERAGE)
    return {
      de: `Werte für nur ${have} von ${of} Gebieten dieser Ebene (weniger als die Hälfte).`,
      en: `Values for only ${have} of ${of} areas of this level (fewer than half).`,
    };
  return null;
}

export function presetSummary(preset: IndexPreset, cat: Catalogue, level: ValueLevel): z.infer<typeof PresetSummary> {
  const filled: { id: string; weight: number }[] = [];
  const unfilled: z.infer<typeof PresetSummary>['unfilled'] = [];
  for (const item of preset.indicators) {
    const reason = unfillable(cat, item.id, level);
    if (reason === null) filled.push(item);
    else unfilled.push({ id: item.id, topic: cat.byId.get(item.id)?.title ?? { de: item.id, en: item.id }, reason });
  }
  for (const topic of preset.lacking)
    unfilled.push({
      id: null,
      topic,
      reason: { de: 'Kein Indikator der Daten steht dafür.', en: 'No indicator of the data stands for it.' },
    });
  return { id: preset.id, title: preset.title, description: preset.description, indicators: filled, unfilled };
}
