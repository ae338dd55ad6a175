import { routes } from '../router.tsx';

/**
 * The council pages' paths: `/council` is the overview of all action areas, `/council/022` the page of one.
 * The shell's router matches both to the council page; this reads the action area's code from the path.
 */

/**
 * The code a council path names (`/council/022` → '022'), or null for the overview. Whether an action area
 * has that code is for the page to find out from the list of areas.
 */
export function councilAreaCode(pathname: string): string | null {
  const path = pathname.replace(/\/+$/, '');
  if (!path.startsWith(`${routes.council}/`)) return null;
  const segment = path.slice(routes.council.length + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The page "which quarters would qualify?" (issue 18) lives at `/council/qualify`: its segment is not an action
 * area's code (codes are numbers or names of places; the page checks the segment before the list of areas).
 */
export const QUALIFY_SEGMENT = 'qualify';
export const councilQualifyPath = `${routes.council}/${QUALIFY_SEGMENT}`;

/** The path of an action area's page, or of the overview without a code. */
export function councilPath(code?: string): string {
  return code ? `${routes.council}/${encodeURIComponent(code)}` : routes.council;
}
