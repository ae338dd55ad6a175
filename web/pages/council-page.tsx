import { useT } from '../i18n/index.ts';
import { MapLayout } from './map-layout.tsx';
import { PageHeading } from './page-heading.tsx';

/** `/council`: the city's action areas (Aktionsräume) for council members. */
export default function CouncilPage() {
  const t = useT();
  return (
    <MapLayout
      panel={
        <>
          <PageHeading title={t('council.title')}>{t('council.title')}</PageHeading>
          <p>{t('council.intro')}</p>
        </>
      }
    />
  );
}
