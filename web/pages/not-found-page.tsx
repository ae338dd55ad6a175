import { useT } from '../i18n/index.ts';
import { Link, routes } from '../router.tsx';
import { PageHeading } from './page-heading.tsx';

export function NotFoundPage() {
  const t = useT();
  return (
    <div className="page page--narrow">
      <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to={routes.planner} className="button">
          {t('notFound.home')}
        </Link>
      </p>
    </div>
  );
}
