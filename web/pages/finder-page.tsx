import { useT } from '../i18n/index.ts';
import { MapLayout } from './map-layout.tsx';
import { PageHeading } from './page-heading.tsx';

/** `/finder`: residents look for services near them. */
export default function FinderPage() {
  const t = useT();
  return (
    <MapLayout
      panel={
        <>
          <PageHeading title={t('finder.title')}>{t('finder.title')}</PageHeading>
          <p>{t('finder.intro')}</p>
        </>
      }
    />
  );
}
