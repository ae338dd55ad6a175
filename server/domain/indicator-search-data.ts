/**
 * The search words of the indicators and the topics the data lack, as the catalogue file states them
 * (geodata/indicator-catalogue.json): data, not code. Read once, when the server starts.
 */
import catalogue from '../../geodata/indicator-catalogue.json' with { type: 'json' };
import type { KeywordCatalogue, MissingTopic } from './indicators.ts';

export const KEYWORDS: KeywordCatalogue = catalogue.keywords;
export const MISSING_TOPICS: readonly MissingTopic[] = catalogue.missing;
