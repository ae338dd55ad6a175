/** The finder's fixed numbers and colours, in one place (the tests read them too). */

/** How many results the finder lists, and how far away they may be. */
export const RESULT_COUNT = 10;
export const RESULT_MAX_M = 5000;

/** The markers: results in the accent colour, the open one in rust, the place searched from in ink. */
export const finderColors = {
  result: '#1d5f8a',
  selected: '#9a3412',
  place: '#1f2328',
  outline: '#ffffff',
  /** Walking (issue 16): the reachable bands, shortest walk darkest, and the walk to the open offer. */
  reach: '#2f7d4f',
  route: '#9a3412',
} as const;
