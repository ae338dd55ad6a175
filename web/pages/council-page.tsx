import '../council/council.css';
import '../council/print.css';
import { ActionAreaPage } from '../council/area-page.tsx';
import { councilAreaCode, QUALIFY_SEGMENT } from '../council/council-route.ts';
import { CouncilOverview } from '../council/overview.tsx';
import { QualifyPage } from '../council/qualify-page.tsx';
import { useLocation } from '../router.tsx';

/**
 * `/council`: the city's action areas (Aktionsräume) for council members, on screen, on paper and in a session;
 * `/council/{code}`: the page of one action area; `/council/qualify`: which quarters would qualify (issue 18).
 */
export default function CouncilPage() {
  const { pathname } = useLocation();
  const code = councilAreaCode(pathname);
  if (code === QUALIFY_SEGMENT) return <QualifyPage />;
  return code === null ? <CouncilOverview /> : <ActionAreaPage key={code} code={code} />;
}
