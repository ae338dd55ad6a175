import { describe, expect, it } from 'vitest';
import { askedKinds, KIND_FILTERS, kindLabel } from './subcategories.ts';

describe('kinds of offer', () => {
  it('names a doctor by the speciality where known, else by the sub-category', () => {
    expect(kindLabel('doctor', 'paediatrics', 'de')).toBe('Kinderarzt');
    expect(kindLabel('doctor', 'general', 'en')).toBe('General practitioner');
    expect(kindLabel('doctor', null, 'de')).toBe('Arztpraxis');
    expect(kindLabel('doctor', 'cardiology', 'de')).toBe('Arztpraxis');
    expect(kindLabel(null, null, 'de')).toBeNull();
  });

  it('asks for kinds only while the one category that has them is chosen alone', () => {
    const health = KIND_FILTERS.health ?? [];
    expect(health).toContain('doctor:paediatrics');
    expect(askedKinds(['health'], ['doctor:general', 'pharmacy'])).toEqual(['doctor:general', 'pharmacy']);
    expect(askedKinds(['health', 'childcare'], ['doctor:general'])).toEqual([]);
    expect(askedKinds([], ['doctor:general'])).toEqual([]);
    expect(askedKinds(['childcare'], ['kita'])).toEqual([]);
    expect(askedKinds(['health'], ['bus', 'dentist'])).toEqual(['dentist']);
  });
});
