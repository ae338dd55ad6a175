import type { Queryable } from '../server/db/index.ts';
import type { Manifest } from './manifest.ts';

/**
 * The manifest's `aliases`: colloquial names of areas that residents type ("Nordstadt", "Kreuzviertel"), each
 * mapped to one or more district or quarter codes, optionally with a note (e.g. that the name covers only a
 * part of the quarter). Loaded into area_alias; a code the package does not have fails the import, naming it.
 */
export interface AliasRow {
  alias: string;
  level: 'district' | 'quarter';
  code: string;
  note: string | null;
}

export function aliasRows(m: Manifest): AliasRow[] {
  const rows: AliasRow[] = [];
  for (const [alias, target] of Object.entries(m.aliases ?? {})) {
    for (const level of ['district', 'quarter'] as const) {
      const codes = target[level];
      for (const code of codes === undefined ? [] : Array.isArray(codes) ? codes : [codes])
        rows.push({ alias, level, code, note: target.note ?? null });
    }
  }
  return rows;
}

export async function loadAliases(tx: Queryable, m: Manifest, manifestPath: string): Promise<number> {
  const rows = aliasRows(m);
  if (rows.length === 0) return 0;
  const known = new Set(
    (
      await tx.query<{ level: string; code: string }>(
        "SELECT level, code FROM area WHERE level IN ('district', 'quarter')",
      )
    ).map((a) => `${a.level}/${a.code}`),
  );
  for (const r of rows)
    if (!known.has(`${r.level}/${r.code}`))
      throw new Error(`${manifestPath}: field aliases.${r.alias}.${r.level}: no ${r.level} with code "${r.code}"`);
  await tx.query(
    `INSERT INTO area_alias (alias, level, code, note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.alias), rows.map((r) => r.level), rows.map((r) => r.code), rows.map((r) => r.note)],
  );
  return rows.length;
}
