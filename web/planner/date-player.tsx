import { useEffect, useRef, useState } from 'react';
import { formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { nextDate } from './change.ts';

/** How long each date stays on the map while playing. */
const STEP_MS = 1500;

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
}

/**
 * Plays through an indicator's dates on the map (issue 15), oldest to newest, one every 1.5 s, and stops at the
 * newest. Where the visitor asks for reduced motion nothing moves by itself: the button steps one date per press.
 * The date shown is announced.
 */
export function DatePlayer({
  dates,
  current,
  onChange,
}: {
  /** The dates, newest first (the catalogue's order). */
  dates: readonly string[];
  /** The date shown; null: the newest. */
  current: string | null;
  onChange: (date: string) => void;
}) {
  const { t, lang } = useI18n();
  const [playing, setPlaying] = useState(false);
  const reduced = prefersReducedMotion();
  const shown = current ?? dates[0] ?? null;
  // The latest handler, so that a new one from a render does not restart the step's timer.
  const change = useRef(onChange);
  change.current = onChange;
  useEffect(() => {
    if (!playing) return;
    const timer = window.setTimeout(() => {
      const next = nextDate(dates, shown);
      if (next === null) setPlaying(false);
      else change.current(next);
    }, STEP_MS);
    return () => window.clearTimeout(timer);
  }, [playing, dates, shown]);
  const start = () => {
    // From the oldest date when the newest is shown.
    const first = shown === dates[0] ? dates[dates.length - 1] : nextDate(dates, shown);
    if (first) onChange(first);
    if (!reduced) setPlaying(true);
  };
  return (
    <div className="date-player">
      {playing ? (
        <button type="button" onClick={() => setPlaying(false)} data-player="stop">
          {t('planner.play.stop')}
        </button>
      ) : (
        <button type="button" onClick={start} data-player={reduced ? 'step' : 'play'}>
          {reduced ? t('planner.play.step') : t('planner.play.start')}
        </button>
      )}
      <span className="planner__note" role="status" aria-live="polite">
        {playing && shown ? t('planner.play.showing', { date: formatDate(shown, lang) }) : ''}
      </span>
    </div>
  );
}
