import { type ReactNode, useEffect, useRef } from 'react';
import { useT } from '../i18n/index.ts';
import { takeHeadingFocus } from '../router.tsx';

/**
 * A page's <h1>: it names the page in the document title and, after an in-app navigation,
 * takes the focus so that screen readers announce the new page.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const t = useT();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (takeHeadingFocus()) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
