/**
 * What a `beforeAll` hook of a helper such as useAppServer sets, as its tests read it: the value, or an error naming
 * the helper when it is read before the hook ran (at the top of a `describe`, outside any test).
 */
export function setUp<T>(helper: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`${helper}: not set up yet (read outside a test?)`);
  return value;
}
