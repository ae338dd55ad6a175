/**
 * The colours of the "which quarters would qualify?" map and its legend (issue 18), apart from the layers
 * (deck.gl) so that the legend is drawn before the map's code arrives. Orange and purple tell entering from
 * leaving for most forms of colour blindness too; the quarters in both sets are the dark purple.
 */
export const QUALIFY_COLORS = {
  both: '#542788',
  entering: '#e66101',
  leaving: '#b2abd2',
  other: '#f7f7f7',
} as const;

export type QualifySet = keyof typeof QUALIFY_COLORS;
