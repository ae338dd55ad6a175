import { ApiError } from '../api/client.ts';
import { useT } from '../i18n/index.ts';

export function Loading() {
  const t = useT();
  return (
    <p className="council-status" role="status">
      {t('council.loading')}
    </p>
  );
}

/** A failed request: what went wrong in a sentence, and a way to try again. */
export function LoadError({ error, retry }: { error: unknown; retry(): void }) {
  const t = useT();
  const detail = error instanceof ApiError ? error.message : null;
  return (
    <div className="council-status council-status--error" role="alert">
      <p>
        {t('council.error')}
        {detail ? ` (${detail})` : ''}
      </p>
      <button type="button" className="council-button" onClick={retry}>
        {t('council.retry')}
      </button>
    </div>
  );
}
