import { CITY } from '../config.ts';
import { useT } from '../i18n/index.ts';
import { MapLayout } from './map-layout.tsx';
import { PageHeading } from './page-heading.tsx';

/** `/`: the planners' map of needs and services. Panel and layers are placeholders for now. */
export default function PlannerPage() {
  const t = useT();
  return (
    <MapLayout
      panel={
        <>
          <PageHeading title={t('planner.title')}>{t('planner.title')}</PageHeading>
          <p>{t('planner.intro', { city: CITY.name })}</p>
          <p className="placeholder">{t('planner.panelPlaceholder')}</p>
        </>
      }
    />
  );
}
