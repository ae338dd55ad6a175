/** Text repairs the importer applies to every name and street it reads. */

const MISDECODED: [RegExp, string][] = [
  // A replacement character where an ß or umlaut was lost in a wrong decoding: repair the frequent words.
  [/Stra\uFFFDe/g, 'Straße'],
  [/stra\uFFFDe/g, 'straße'],
  [/Gro\uFFFD/g, 'Groß'],
  [/gro\uFFFD/g, 'groß'],
  [/\uFFFD/g, '?'],
  // UTF-8 read as Latin-1.
  [/Ã¤/g, 'ä'],
  [/Ã¶/g, 'ö'],
  [/Ã¼/g, 'ü'],
  [/ÃŸ/g, 'ß'],
  [/Ã„/g, 'Ä'],
  [/Ã–/g, 'Ö'],
  [/Ãœ/g, 'Ü'],
];

export function repairText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of MISDECODED) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim();
}

export function hasMisdecoding(text: string): boolean {
  return /\uFFFD|Ã[¤¶¼Ÿ„–œ]/.test(text);
}

const LOWER_WORDS = new Set([
  'am',
  'an',
  'auf',
  'im',
  'in',
  'der',
  'die',
  'das',
  'dem',
  'den',
  'zum',
  'zur',
  'und',
  'von',
  'vom',
  'bei',
]);

/** "KIRCHHÖRDE-LÖTTRINGHAUSEN" → "Kirchhörde-Löttringhausen"; "AN DER GOLDKUHLE" → "An der Goldkuhle". */
export function properCase(text: string): string {
  return repairText(text)
    .toLowerCase()
    .split(' ')
    .map((word, i) =>
      i > 0 && LOWER_WORDS.has(word)
        ? word
        : word.replace(/(^|[-/(.])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase()),
    )
    .join(' ');
}
