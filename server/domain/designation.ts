/**
 * Which areas a rule on the composite index would designate, compared with today's designation (the quarters
 * of today's Aktionsräume): in both, entering, leaving, each with its margin to the rule, and how many
 * addresses and residents each set covers. Pure, no I/O.
 *
 * - `top:N`: the N areas with the highest index (most need); areas tied with the N-th are all taken, and the
 *   answer says so. The cut is the N-th highest index.
 * - `threshold:X`: every area whose index is X or more. The cut is X.
 * - Margin: index − cut. An area taken has a margin ≥ 0; an area leaving says how far below the cut it lies.
 * - An area without an index (a value missing) is neither taken nor compared: it is listed as undetermined.
 */

export type Rule = { kind: 'top'; n: number } | { kind: 'threshold'; x: number };

export const RULE_PATTERN = /^(top:[1-9]\d{0,3}|threshold:[+-]?(\d+(\.\d*)?|\.\d+))$/;

export class RuleError extends Error {}

/** `top:5` or `threshold:0.8`; throws RuleError naming what is wrong. */
export function parseRule(text: string): Rule {
  const t = text.trim();
  if (!RULE_PATTERN.test(t))
    throw new RuleError('must be top:N (a whole number from 1) or threshold:X (a number on the index’s scale)');
  const [kind, arg] = t.split(':') as [string, string];
  return kind === 'top' ? { kind: 'top', n: Number(arg) } : { kind: 'threshold', x: Number(arg) };
}

export interface DesignationArea {
  code: string;
  index: number | null;
  /** Share of the area's addresses inside today's designated areas (0 when none). */
  todayShare: number;
  addresses: number;
  residents: number | null;
  residentsMethod: 'published' | 'modelled' | 'computed' | null;
}

export interface SetTotals {
  areas: number;
  addresses: number;
  residents: number;
  /** Of `residents`: from published figures, and modelled (estimated) ones. */
  residents_published: number;
  residents_modelled: number;
  /** Areas of the set without a residents figure. */
  residents_missing: number;
}

export interface Member {
  code: string;
  index: number;
  margin: number;
  today_share: number;
}

export interface Designation {
  cut: number;
  /** top:N only: how many more than N were taken because they tie with the N-th. */
  ties: number;
  selected: Member[];
  both: Member[];
  entering: Member[];
  leaving: Member[];
  undetermined: { code: string; today: boolean }[];
  totals: { selected: SetTotals; today: SetTotals; both: SetTotals; entering: SetTotals; leaving: SetTotals };
}

/** Today's designation: a quarter with at least half of its addresses in an Aktionsraum. */
export const TODAY_SHARE = 0.5;

function totals(areas: readonly DesignationArea[]): SetTotals {
  const t: SetTotals = {
    areas: areas.length,
    addresses: 0,
    residents: 0,
    residents_published: 0,
    residents_modelled: 0,
    residents_missing: 0,
  };
  for (const a of areas) {
    t.addresses += a.addresses;
    if (a.residents === null) {
      t.residents_missing++;
      continue;
    }
    t.residents += a.residents;
    if (a.residentsMethod === 'published') t.residents_published += a.residents;
    else t.residents_modelled += a.residents;
  }
  return t;
}

export function designate(areas: readonly DesignationArea[], rule: Rule): Designation {
  const known = areas.filter((a): a is DesignationArea & { index: number } => a.index !== null);
  const sorted = [...known].sort((a, b) => b.index - a.index || a.code.localeCompare(b.code));
  let cut: number;
  if (rule.kind === 'top') {
    const nth = sorted[Math.min(rule.n, sorted.length) - 1];
    cut = nth ? nth.index : Number.POSITIVE_INFINITY;
  } else cut = rule.x;
  const isToday = (a: DesignationArea) => a.todayShare >= TODAY_SHARE;
  const member = (a: DesignationArea & { index: number }): Member => ({
    code: a.code,
    index: a.index,
    margin: a.index - cut,
    today_share: a.todayShare,
  });
  const taken = sorted.filter((a) => a.index >= cut);
  const today = areas.filter(isToday);
  const both = taken.filter(isToday);
  const entering = taken.filter((a) => !isToday(a));
  const leaving = sorted.filter((a) => isToday(a) && a.index < cut);
  return {
    cut,
    ties: rule.kind === 'top' ? Math.max(0, taken.length - rule.n) : 0,
    selected: taken.map(member),
    both: both.map(member),
    entering: entering.map(member),
    // The ones closest to the cut first: they would stay with the smallest change of the rule.
    leaving: leaving.map(member),
    undetermined: areas.filter((a) => a.index === null).map((a) => ({ code: a.code, today: isToday(a) })),
    totals: {
      selected: totals(taken),
      today: totals(today),
      both: totals(both),
      entering: totals(entering),
      leaving: totals(leaving),
    },
  };
}
