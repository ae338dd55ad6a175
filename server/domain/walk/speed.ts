/** Walking speed for every walking time of the app, and the bands of the isochrones and coverage indicators. */
export const WALK_SPEED_KMH = 4.8;
export const WALK_BANDS_MIN = [5, 10, 15] as const;
/** Metres walked in so many minutes at WALK_SPEED_KMH. */
export const metresIn = (minutes: number) => (minutes * WALK_SPEED_KMH * 1000) / 60;
/** Whole minutes (rounded up) to walk so many metres. */
export const minutesFor = (m: number) => Math.ceil(m / ((WALK_SPEED_KMH * 1000) / 60));
