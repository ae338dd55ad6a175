import { describe, expect, it } from 'vitest';
import { choiceFromSearch, DEFAULT_RULE, designationQuery, searchOfChoice } from './qualify-choice.ts';

describe('the index builder’s choice in the URL', () => {
  it('round-trips indicators, weights, method and rule', () => {
    const choice = choiceFromSearch('?ind=a_b,c&w=2,1&method=rank&rule=threshold:0.5');
    expect(choice).toEqual({
      preset: null,
      indicators: ['a_b', 'c'],
      weights: [2, 1],
      method: 'rank',
      rule: { kind: 'threshold', value: 0.5 },
    });
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(searchOfChoice(choice))) if (v !== null) params.set(k, v);
    expect(choiceFromSearch(`?${params}`)).toEqual(choice);
    expect(designationQuery(choice)).toEqual({
      preset: null,
      indicators: ['a_b', 'c'],
      weights: [2, 1],
      method: 'rank',
      rule: 'threshold:0.5',
    });
  });

  it('falls back on what is broken: weights that do not fit, a bad rule, a preset beside indicators', () => {
    expect(choiceFromSearch('?ind=a,b&w=1').weights).toEqual([]);
    expect(choiceFromSearch('?ind=a&w=-1').weights).toEqual([]);
    expect(choiceFromSearch('?ind=a&rule=top:0').rule).toEqual(DEFAULT_RULE);
    expect(choiceFromSearch('?ind=a&rule=bottom:3').rule).toEqual(DEFAULT_RULE);
    expect(choiceFromSearch('?preset=p&ind=a').preset).toBeNull();
    expect(choiceFromSearch('?preset=p&w=2,1,1')).toMatchObject({ preset: 'p', weights: [2, 1, 1] });
    expect(designationQuery(choiceFromSearch(''))).toBeNull();
  });
});
