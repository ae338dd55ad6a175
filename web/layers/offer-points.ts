/**
 * Offers as plain points and the colours of their categories: what pages need of the offers before the map's code
 * (deck.gl) arrives. The layers that draw them are in offer-layers.ts.
 */

export interface OfferPoint {
  id: string;
  category: string;
  name: string | null;
  lon: number;
  lat: number;
}

/** The API's /api/offers FeatureCollection as plain points. */
export function offerPoints(collection: {
  features: {
    properties: { id: string; category: string; name: string | null };
    geometry: { coordinates: number[] };
  }[];
}): OfferPoint[] {
  return collection.features.map((f) => ({
    id: f.properties.id,
    category: f.properties.category,
    name: f.properties.name,
    lon: f.geometry.coordinates[0] as number,
    lat: f.geometry.coordinates[1] as number,
  }));
}

/**
 * Colours for offer categories, from the Okabe–Ito set (distinguishable with every common colour-vision
 * deficiency), darkened where needed to stand out on light and mid-tone choropleths; a white ring does the rest.
 */
export const CATEGORY_COLORS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#8a6d00',
  '#56b4e9',
  '#5b3a8c',
  '#e69f00',
  '#3b3b3b',
  '#9c2f2f',
  '#2f6b3a',
  '#7a7a7a',
] as const;

/** The colour of each category, by its position in the vocabulary (stable across filters). */
export function categoryColors(codes: readonly string[]): Map<string, string> {
  return new Map(codes.map((code, i) => [code, CATEGORY_COLORS[i % CATEGORY_COLORS.length] as string]));
}
