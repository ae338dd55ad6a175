import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readCsv, readTableFile, readXlsx, tableFormat } from '../../server/uploads/table-file.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

async function xlsx(fill: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('Tabelle'));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('readCsv', () => {
  it('finds the separator in the header, drops a BOM and keeps the row numbers of the file', () => {
    const t = readCsv(utf8('\uFEFFlevel;code;value\r\nquarter;010;1,5\r\n\r\nquarter;011;"2"\r\n'), 10);
    expect(t.header).toEqual(['level', 'code', 'value']);
    expect(t.rows).toEqual([
      { row: 2, cells: ['quarter', '010', '1,5'] },
      { row: 4, cells: ['quarter', '011', '2'] },
    ]);
    expect(t.findings).toEqual([]);
    expect(readCsv(utf8('a,b\n1,2\n'), 10).rows[0]?.cells).toEqual(['1', '2']);
  });

  it('refuses more rows than the limit, and text that is not UTF-8', () => {
    const t = readCsv(utf8(`a;b\n${'1;2\n'.repeat(5)}`), 3);
    expect(t.rows).toHaveLength(3);
    expect(t.findings[0]?.reason).toMatch(/more than 3 rows/);
    expect(readCsv(new Uint8Array([0x61, 0xff, 0xfe, 0x0a]), 3).findings[0]?.reason).toMatch(/not UTF-8/);
  });
});

describe('readXlsx', () => {
  it('takes stored formula results without evaluating, refuses formulas without one and merged cells, writes dates as ISO', async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(['code', 'date', 'value', 'note']);
      ws.addRow(['010', new Date(Date.UTC(2023, 11, 31)), { formula: 'A2*0+3', result: 3 }, 'ok']);
      ws.addRow(['011', new Date(Date.UTC(2022, 11, 31)), { formula: 'SUM(1,1)' }, 'x']);
      ws.addRow(['012', '2021', 4, 'merged']);
      ws.addRow(['013', '2021', 5, '']);
      ws.mergeCells('D4:D5');
    });
    expect(tableFormat('t.bin', bytes)).toBe('xlsx');
    const t = await readXlsx(bytes, 100);
    expect(t.header).toEqual(['code', 'date', 'value', 'note']);
    expect(t.rows[0]).toEqual({ row: 2, cells: ['010', '2023-12-31', '3', 'ok'] });
    expect(t.rows[1]?.cells.slice(0, 3)).toEqual(['011', '2022-12-31', '']);
    expect(t.findings).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'value',
        severity: 'error',
        reason: expect.stringMatching(/not evaluated/),
      }),
      expect.objectContaining({ row: 5, column: 'note', reason: expect.stringMatching(/merged with D4/) }),
    ]);
  });

  it('reads a damaged file as a finding, not a crash', async () => {
    const t = await readTableFile('x.xlsx', utf8('PK not a zip'), 10);
    expect(t.findings[0]?.reason).toMatch(/cannot be read/);
    expect((await readTableFile('x.pdf', utf8('%PDF'), 10)).findings[0]?.reason).toMatch(/neither CSV nor XLSX/);
  });
});
