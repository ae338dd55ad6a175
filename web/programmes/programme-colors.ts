/** The colours of the programme map (issue 21), apart from its layers so that the page needs no deck.gl code. */
export const REACHED_LINE = '#0072b2';
export const UNREACHED_LINE = '#d55e00';
