/**
 * The metadata JSON of an upload (issues 15, 21), as the editors' page edits it. The JSON text is the one
 * source of truth: the form's fields read from it and write into it, so whatever the form does not show
 * (descriptions, `covers`, a second indicator) stays as the editor wrote it. Pure, unit-tested.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type UploadKind = 'tables' | 'offer-lists';

/** A starting point for each kind: the fields the API asks for, empty. */
export function emptyMeta(kind: UploadKind): JsonObject {
  if (kind === 'tables')
    return {
      indicators: {
        '': {
          title: { de: '', en: '' },
          unit: '',
          direction: 'need',
          visibility: 'internal',
          source: { title: '', url: '', licence: '', attribution: '' },
        },
      },
    };
  return {
    id: '',
    title: '',
    publisher: '',
    date: '',
    licence: '',
    attribution: '',
    visibility: 'internal',
    categories: {},
  };
}

/** The JSON text as an object, or null when it is not a JSON object. */
export function parseMeta(text: string): JsonObject | null {
  try {
    const value = JSON.parse(text) as Json;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export function formatMeta(meta: JsonObject): string {
  return JSON.stringify(meta, null, 2);
}

/**
 * A field's path in the metadata. For a table the form edits its first indicator: the path `indicator.title.de`
 * stands for `indicators.<first id>.title.de`, and `indicatorId` is that id itself.
 */
export type FieldPath = string;

function firstIndicator(meta: JsonObject): [string, JsonObject] | null {
  const indicators = meta.indicators;
  if (!indicators || typeof indicators !== 'object' || Array.isArray(indicators)) return null;
  const [entry] = Object.entries(indicators);
  if (!entry) return null;
  const [id, value] = entry;
  return value && typeof value === 'object' && !Array.isArray(value) ? [id, value] : null;
}

function resolve(meta: JsonObject, path: FieldPath): { base: JsonObject; parts: string[] } | null {
  if (path.startsWith('indicator.')) {
    const first = firstIndicator(meta);
    return first ? { base: first[1], parts: path.split('.').slice(1) } : null;
  }
  return { base: meta, parts: path.split('.') };
}

/** The text of a field ('' where it is missing or not a string). */
export function readField(meta: JsonObject, path: FieldPath): string {
  if (path === 'indicatorId') return firstIndicator(meta)?.[0] ?? '';
  const at = resolve(meta, path);
  if (!at) return '';
  let value: Json | undefined = at.base;
  for (const part of at.parts) {
    value = value && typeof value === 'object' && !Array.isArray(value) ? value[part] : undefined;
  }
  return typeof value === 'string' ? value : '';
}

/** A copy of the metadata with one field set (objects on the way are made as needed). */
export function writeField(meta: JsonObject, path: FieldPath, text: string): JsonObject {
  const copy = structuredClone(meta);
  if (path === 'indicatorId') {
    const first = firstIndicator(copy);
    const rest = first
      ? Object.entries(copy.indicators as JsonObject).filter(([id]) => id !== first[0])
      : Object.entries((copy.indicators as JsonObject | undefined) ?? {});
    copy.indicators = Object.fromEntries([[text, first?.[1] ?? {}], ...rest]);
    return copy;
  }
  if (path.startsWith('indicator.') && !firstIndicator(copy)) copy.indicators = { '': {} };
  const at = resolve(copy, path);
  if (!at) return copy;
  let node = at.base;
  for (const part of at.parts.slice(0, -1)) {
    const next = node[part];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as JsonObject;
  }
  node[at.parts[at.parts.length - 1] as string] = text;
  return copy;
}

/** The list's category mapping as lines `word = category`, for a text area. */
export function categoriesText(meta: JsonObject): string {
  const map = meta.categories;
  if (!map || typeof map !== 'object' || Array.isArray(map)) return '';
  return Object.entries(map)
    .map(([word, code]) => `${word} = ${typeof code === 'string' ? code : ''}`)
    .join('\n');
}

/** A copy with the category mapping read from lines `word = category` (lines without `=` are left out). */
export function writeCategories(meta: JsonObject, text: string): JsonObject {
  const categories: JsonObject = {};
  for (const line of text.split('\n')) {
    const i = line.lastIndexOf('=');
    if (i < 0) continue;
    const word = line.slice(0, i).trim();
    if (word) categories[word] = line.slice(i + 1).trim();
  }
  return { ...structuredClone(meta), categories };
}

/** A correction of an unmatched row: another address, or a position (a candidate picked). */
export type Fix = { street: string; house_number: string } | { lon: number; lat: number };

/** A copy with `fixes[row]` set, as the offer-list API reads them. */
export function withFix(meta: JsonObject, row: number, fix: Fix): JsonObject {
  const copy = structuredClone(meta);
  const fixes = copy.fixes && typeof copy.fixes === 'object' && !Array.isArray(copy.fixes) ? copy.fixes : {};
  copy.fixes = { ...fixes, [String(row)]: fix };
  return copy;
}

/**
 * "Marktstraße 2a" → street and house number: the house number is the last word when it starts with a digit.
 * An address without one is a street alone.
 */
export function splitAddress(text: string): { street: string; house_number: string } {
  const t = text.trim().replace(/\s+/g, ' ');
  const m = /^(.*\S)\s+(\d[\w/-]*(?:\s?[a-zA-Z])?)$/.exec(t);
  return m ? { street: m[1] as string, house_number: m[2] as string } : { street: t, house_number: '' };
}
