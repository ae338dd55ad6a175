import type { IndexQuery } from '../api/client.ts';

/**
 * The index builder's choice on the "which quarters would qualify?" page (issue 18), as plain data that
 * round-trips through the URL: a preset or indicators, their weights, the method and the rule. Pure.
 */
export interface QualifyChoice {
  preset: string | null;
  indicators: string[];
  /** One per indicator; empty: the preset's weights, or equal ones. */
  weights: number[];
  method: 'z' | 'rank';
  rule: { kind: 'top' | 'threshold'; value: number };
}

export const DEFAULT_RULE: QualifyChoice['rule'] = { kind: 'top', value: 10 };

const ID = /^[a-z0-9_-]{1,80}$/;

export function choiceFromSearch(search: string): QualifyChoice {
  const params = new URLSearchParams(search);
  const list = (name: string) =>
    (params.get(name) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  const indicators = list('ind').filter((id) => ID.test(id));
  const weights = list('w').map(Number);
  const preset = params.get('preset');
  const [kind, value] = (params.get('rule') ?? '').split(':');
  const number = Number(value);
  const rule =
    (kind === 'top' && Number.isInteger(number) && number >= 1) || (kind === 'threshold' && Number.isFinite(number))
      ? { kind: kind as 'top' | 'threshold', value: number }
      : DEFAULT_RULE;
  const usePreset = !!preset && ID.test(preset) && indicators.length === 0;
  const positive = weights.length > 0 && weights.every((w) => Number.isFinite(w) && w > 0);
  return {
    preset: usePreset ? preset : null,
    indicators,
    // With a preset, one weight per indicator it could fill (the server checks the count).
    weights: positive && (usePreset || weights.length === indicators.length) ? weights : [],
    method: params.get('method') === 'rank' ? 'rank' : 'z',
    rule,
  };
}

/** The page's query parameters for a choice (null removes one). */
export function searchOfChoice(choice: QualifyChoice): Record<string, string | null> {
  return {
    preset: choice.preset,
    ind: choice.preset ? null : choice.indicators.join(',') || null,
    w: choice.weights.length ? choice.weights.join(',') : null,
    method: choice.method === 'z' ? null : choice.method,
    rule: `${choice.rule.kind}:${choice.rule.value}`,
  };
}

/** The designation request of a choice, or null while it names nothing to compute. */
export function designationQuery(choice: QualifyChoice): (IndexQuery & { rule: string }) | null {
  if (!choice.preset && choice.indicators.length === 0) return null;
  return {
    preset: choice.preset,
    indicators: choice.preset ? null : choice.indicators,
    weights: choice.weights.length ? choice.weights : null,
    method: choice.method,
    rule: `${choice.rule.kind}:${choice.rule.value}`,
  };
}
