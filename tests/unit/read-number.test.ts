import { describe, expect, it } from 'vitest';
import { numberOrNull } from '../../geodata/read.ts';

describe('numberOrNull', () => {
  it('reads decimals with a point or a comma, and blanks as missing', () => {
    expect(numberOrNull('f.csv', 'row 2', 'value', '12,5')).toBe(12.5);
    expect(numberOrNull('f.csv', 'row 2', 'value', ' ')).toBeNull();
    expect(numberOrNull('f.csv', 'row 2', 'value', '0')).toBe(0);
  });

  it('refuses, naming file, row and field, a number PostgreSQL cannot store (subnormal)', () => {
    expect(() => numberOrNull('f.csv', 'row 2', 'value', '7e-323')).toThrow(/f\.csv.*row 2.*value|too close to zero/);
    expect(() => numberOrNull('f.csv', 'row 2', 'value', 'x')).toThrow(/not a number/);
  });
});
