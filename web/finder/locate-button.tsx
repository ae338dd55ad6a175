import { useRef, useState } from 'react';
import { type MessageKey, useT } from '../i18n/index.ts';
import type { Position } from './finder-state.ts';

/**
 * "Use my location": the browser asks for the position only when this button is pressed, never before.
 * A refusal or a failure is said in plain words, with what to do instead.
 */
export function LocateButton({ onLocate }: { onLocate(point: Position): void }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'locating' | MessageKey>('idle');
  const busy = useRef(false);

  const locate = () => {
    if (busy.current) return;
    if (!('geolocation' in navigator)) {
      setState('finder.locate.unsupported');
      return;
    }
    busy.current = true;
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        busy.current = false;
        setState('idle');
        onLocate([position.coords.longitude, position.coords.latitude]);
      },
      (error) => {
        busy.current = false;
        setState(error.code === error.PERMISSION_DENIED ? 'finder.locate.denied' : 'finder.locate.failed');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const message = state === 'idle' ? null : state === 'locating' ? t('finder.locating') : t(state);
  return (
    <div className="locate">
      <button type="button" className="finder-button locate__button" onClick={locate} aria-busy={state === 'locating'}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <circle cx="12" cy="12" r="4" fill="currentColor" />
          <circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M12 1v4M12 19v4M1 12h4M19 12h4" stroke="currentColor" strokeWidth="2" />
        </svg>
        {t('finder.locate')}
      </button>
      <p className={state === 'locating' ? 'locate__status' : 'locate__status finder-error'} role="status">
        {message ?? ''}
      </p>
    </div>
  );
}
