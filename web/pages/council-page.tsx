import '../council/council.css';
import '../council/print.css';
import { ActionAreaPage } from '../council/area-page.tsx';
import { councilAreaCode } from '../council/council-route.ts';
import { CouncilOverview } from '../council/overview.tsx';
import { useLocation } from '../router.tsx';

/**
 * `/council`: the city's action areas (Aktionsräume) for council members, on screen, on paper and in a session;
 * `/council/{code}`: the page of one action area.
 */
export default function CouncilPage() {
  const { pathname } = useLocation();
  const code = councilAreaCode(pathname);
  return code === null ? <CouncilOverview /> : <ActionAreaPage key={code} code={code} />;
}
