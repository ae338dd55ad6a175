/**
 * The council maps' colours, also their legends': here, apart from the layers (council-layers.ts, deck.gl), so that
 * the pages draw their legends and cards before the map's code arrives.
 */

/** Fill of the numbered action areas and of the small unnumbered ones (legend colours as well). */
export const NUMBERED_FILL = '#9ecae1';
export const UNNUMBERED_FILL = '#fdb863';
/** The outline of the action area a page is about. */
export const AREA_LINE = '#1d5f8a';
