/**
 * The key that address, offer and area search match on: lower case, umlauts spelt out, common street-type
 * abbreviations unified, everything but letters and digits removed. "Friedensplatz 1", "friedensplatz1" and
 * "Friedenspl. 1" all become "friedenspl1".
 */
export function searchKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFC')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/(str\.|strasse|str\b)/g, 'str')
    .replace(/(pl\.|platz)/g, 'pl')
    .replace(/[^a-z0-9]/g, '');
}
