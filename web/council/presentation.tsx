import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/index.ts';

/**
 * Presentation mode for a council session: one section of the page per screen, in large type, without the
 * app's header; the keyboard moves on and back (→, ↓, PageDown, Space · ←, ↑, PageUp · Home, End) and Escape
 * leaves. The page keeps its sections; this only decides which one shows.
 */

export interface Presentation {
  active: boolean;
  index: number;
  count: number;
  start(): void;
  stop(): void;
  go(index: number): void;
}

const NEXT = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter']);
const PREVIOUS = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace']);

/**
 * What the focused element does with keys: a text field or list box needs the arrows itself, a button or link
 * needs Enter and Space; elsewhere every key is the presentation's.
 */
export type FocusKind = 'text' | 'activate' | null;

function focusKind(target: EventTarget | null): FocusKind {
  if (!(target instanceof HTMLElement)) return null;
  if (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return 'text';
  if (['BUTTON', 'A', 'SUMMARY'].includes(target.tagName)) return 'activate';
  return null;
}

/** The step a key asks for: +1, -1, 'first', 'last', 'exit', or null for a key presentation mode leaves alone. */
export function keyAction(key: string, shift: boolean, focus: FocusKind): 1 | -1 | 'first' | 'last' | 'exit' | null {
  if (key === 'Escape') return 'exit';
  if (focus === 'text' && key !== 'PageDown' && key !== 'PageUp') return null;
  if (focus === 'activate' && (key === ' ' || key === 'Enter')) return null;
  if (key === ' ' && shift) return -1;
  if (NEXT.has(key)) return 1;
  if (PREVIOUS.has(key)) return -1;
  if (key === 'Home') return 'first';
  if (key === 'End') return 'last';
  return null;
}

export function usePresentation(count: number): Presentation {
  const [active, setActive] = useState(false);
  const [index, setIndex] = useState(0);
  const go = useCallback((i: number) => setIndex(Math.max(0, Math.min(count - 1, i))), [count]);

  const start = useCallback(() => {
    setIndex(0);
    setActive(true);
    // Full screen where the browser allows it; the mode works without it too.
    document.documentElement.requestFullscreen?.().catch(() => {});
  }, []);
  const stop = useCallback(() => {
    setActive(false);
    if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  }, []);

  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const action = keyAction(event.key, event.shiftKey, focusKind(event.target));
      if (action === null) return;
      event.preventDefault();
      if (action === 'exit') stop();
      else if (action === 'first') go(0);
      else if (action === 'last') go(count - 1);
      else setIndex((i) => Math.max(0, Math.min(count - 1, i + action)));
    };
    // Leaving full screen with the browser's own key ends the presentation as well.
    const onFullscreen = () => {
      if (!document.fullscreenElement) setActive(false);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, [active, count, go, stop]);

  return { active, index: Math.min(index, Math.max(0, count - 1)), count, start, stop, go };
}

/** The bar at the foot of the screen in presentation mode: back, where we are, on, and leave. */
export function PresentationBar({ presentation, titles }: { presentation: Presentation; titles: readonly string[] }) {
  const t = useT();
  const { index, count, go, stop } = presentation;
  return (
    <nav className="presentation-bar" aria-label={t('council.present.nav')}>
      <button type="button" className="council-button" onClick={() => go(index - 1)} disabled={index === 0}>
        <span aria-hidden="true">‹ </span>
        {t('council.present.previous')}
      </button>
      <p className="presentation-bar__where" aria-live="polite">
        {t('council.present.position', { n: index + 1, count })}: {titles[index] ?? ''}
      </p>
      <button type="button" className="council-button" onClick={() => go(index + 1)} disabled={index >= count - 1}>
        {t('council.present.next')}
        <span aria-hidden="true"> ›</span>
      </button>
      <button type="button" className="council-button council-button--quiet" onClick={stop}>
        {t('council.present.exit')}
      </button>
    </nav>
  );
}

/**
 * A section of a council page: a slide in presentation mode (hidden unless current, its heading focused when
 * it comes up so that a screen reader reads it), a plain section otherwise.
 */
export function Slide({
  id,
  index,
  title,
  presentation,
  className,
  children,
}: {
  id: string;
  index: number;
  title: ReactNode;
  presentation: Presentation;
  className?: string;
  children: ReactNode;
}) {
  const current = presentation.active && presentation.index === index;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (current) heading.current?.focus({ preventScroll: true });
  }, [current]);
  return (
    <section
      id={id}
      aria-labelledby={`${id}-title`}
      className={['council-section', className].filter(Boolean).join(' ')}
      hidden={presentation.active && !current}
    >
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}
