import { describe, expect, it } from 'vitest';
import { attributionLines } from '../../server/domain/attribution.ts';
import { toCsv } from './csv.ts';

/** Issue 17: a CSV download carries its sources' attribution as comment lines above the header, and stays safe. */
describe('CSV attribution and formula protection', () => {
  const source = {
    title: 'Schulen 2024/25',
    publisher: 'IT.NRW',
    licence: 'dl-de/by-2-0',
    attribution: 'IT.NRW / MSB NRW, dl-de/by-2-0',
    url: null,
  };

  it('writes the attribution as comment lines before the header, one field each', () => {
    const csv = toCsv(['Gebiet', 'Wert'], [['Nordmarkt', 1.5]], 'de', attributionLines([source], true, 'de'));
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('# Quellen und Lizenzen:');
    // A separator in the text is quoted, so the line stays one field.
    expect(lines[1]).toBe(
      '# Quelle: IT.NRW / MSB NRW, dl-de/by-2-0 – Datensatz: Schulen 2024/25 (IT.NRW) – Lizenz: dl-de/by-2-0 (https://www.govdata.de/dl-de/by-2-0)',
    );
    expect(lines[2]).toMatch(/^"# Die Werte wurden von Quartiersatlas .* berechnet.*"$/);
    expect(lines[3]).toBe('Gebiet;Wert');
    expect(lines[4]).toBe('Nordmarkt;1,5');
  });

  it('keeps a cell that would be a formula from being one', () => {
    const csv = toCsv(['name'], [['=HYPERLINK("x")'], ['+1'], ['@SUM(A1)'], [-3]], 'intl', ['a, b']);
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('"# a, b"');
    expect(lines.slice(2, 6)).toEqual(['"\'=HYPERLINK(""x"")"', '"\'+1"', '"\'@SUM(A1)"', '-3']);
  });
});
