import { useState } from 'react';
import { useT } from '../i18n/index.ts';

/** Copies the page's address: place, categories and the open result are all in it. */
export function ShareButton() {
  const t = useT();
  const [said, setSaid] = useState<'' | 'copied' | 'failed'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setSaid('copied');
    } catch {
      setSaid('failed');
    }
  };
  return (
    <div className="share">
      <button type="button" className="finder-button finder-button--quiet" onClick={copy}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
          />
        </svg>
        {t('finder.share')}
      </button>
      <p className="share__status" role="status">
        {said === 'copied' ? t('finder.shared') : said === 'failed' ? t('finder.shareFailed') : ''}
      </p>
    </div>
  );
}
