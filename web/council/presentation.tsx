import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useT } from '../i18n/index.ts';

/**
 * Presentation mode for a council session: one section of the page per screen, in large type, without the
 * app's header; the keyboard moves on and back (→, ↓, PageDown, Space · ←, ↑, PageUp · Home, End) and Escape
 * leaves. The page keeps its sections; this only decides which one shows. A section taller than the screen is
 * split into slides that fit it, cut between rows, list entries and blocks (never through one): each of them
 * is a step of its own, so every row can be reached with the keyboard. Every slide names the area it is about.
 */

export interface Presentation {
  active: boolean;
  index: number;
  count: number;
  /** The part of the current section shown (0 = its first slide). */
  part: number;
  /** How many slides each section takes (1 until measured). */
  parts: readonly number[];
  start(): void;
  stop(): void;
  go(index: number): void;
  /** One step on (+1) or back (-1): through the parts of a section, then to the next section. */
  step(direction: 1 | -1): void;
  setParts(index: number, parts: number): void;
}

/** One slide of a split section: the content from `start` to `end` (px from the top of the section's body). */
export interface Part {
  start: number;
  end: number;
}

/**
 * Splits content `total` px tall into parts at most `available` px tall, each ending where a row, entry or block
 * begins (`breaks`, px from the top), so that no part cuts through one; a single block taller than the screen is
 * cut where it must be.
 */
export function splitParts(breaks: readonly number[], total: number, available: number): Part[] {
  const points = [...new Set(breaks.filter((b) => b > 0 && b < total))].sort((a, b) => a - b);
  const parts: Part[] = [];
  let start = 0;
  while (total - start > available && parts.length < 100) {
    const fitting = points.filter((b) => b > start && b - start <= available);
    const end = fitting.length ? (fitting[fitting.length - 1] as number) : start + available;
    parts.push({ start, end });
    start = end;
  }
  parts.push({ start, end: total });
  return parts;
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
  const [where, setWhere] = useState({ index: 0, part: 0 });
  const [parts, setPartsState] = useState<number[]>([]);
  const partsOf = useCallback((i: number) => parts[i] ?? 1, [parts]);
  const go = useCallback((i: number) => setWhere({ index: Math.max(0, Math.min(count - 1, i)), part: 0 }), [count]);
  const step = useCallback(
    (direction: 1 | -1) =>
      setWhere(({ index, part }) => {
        if (direction === 1) {
          if (part + 1 < partsOf(index)) return { index, part: part + 1 };
          return index + 1 < count ? { index: index + 1, part: 0 } : { index, part };
        }
        if (part > 0) return { index, part: part - 1 };
        return index > 0 ? { index: index - 1, part: partsOf(index - 1) - 1 } : { index, part };
      }),
    [count, partsOf],
  );
  const setParts = useCallback((i: number, n: number) => {
    setPartsState((old) => {
      if ((old[i] ?? 1) === n) return old;
      const next = [...old];
      next[i] = n;
      return next;
    });
    setWhere((w) => (w.index === i && w.part >= n ? { index: i, part: n - 1 } : w));
  }, []);

  const start = useCallback(() => {
    setWhere({ index: 0, part: 0 });
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
      else if (action === 'last') setWhere({ index: count - 1, part: partsOf(count - 1) - 1 });
      else step(action);
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
  }, [active, count, go, stop, step, partsOf]);

  const index = Math.min(where.index, Math.max(0, count - 1));
  return { active, index, part: where.part, parts, count, start, stop, go, step, setParts };
}

/** The bar at the foot of the screen in presentation mode: back, where we are, on, and leave. */
export function PresentationBar({ presentation, titles }: { presentation: Presentation; titles: readonly string[] }) {
  const t = useT();
  const { index, count, part, parts, step, stop } = presentation;
  const partsHere = parts[index] ?? 1;
  const last = index >= count - 1 && part >= partsHere - 1;
  return (
    <nav className="presentation-bar" aria-label={t('council.present.nav')}>
      <button type="button" className="council-button" onClick={() => step(-1)} disabled={index === 0 && part === 0}>
        <span aria-hidden="true">‹ </span>
        {t('council.present.previous')}
      </button>
      <p className="presentation-bar__where" aria-live="polite">
        {t('council.present.position', { n: index + 1, count })}: {titles[index] ?? ''}
        {partsHere > 1 ? ` (${t('council.present.part', { n: part + 1, count: partsHere })})` : ''}
      </p>
      <button type="button" className="council-button" onClick={() => step(1)} disabled={last}>
        {t('council.present.next')}
        <span aria-hidden="true"> ›</span>
      </button>
      <button type="button" className="council-button council-button--quiet" onClick={stop}>
        {t('council.present.exit')}
      </button>
    </nav>
  );
}

/** Where a split section may end a slide: its blocks and theirs, table rows and list entries. */
const BREAKS = ':scope > *, :scope > * > *, tr, li';

/**
 * A section of a council page: in presentation mode a slide (hidden unless current, its heading focused when it
 * comes up so that a screen reader reads it, the area named above it), split into parts where it is taller than
 * the screen; a plain section otherwise.
 */
export function Slide({
  id,
  index,
  title,
  presentation,
  area,
  className,
  children,
}: {
  id: string;
  index: number;
  title: ReactNode;
  presentation: Presentation;
  /** What the page is about ("022 Nordmarkt"): named on every slide. */
  area?: string;
  className?: string;
  children: ReactNode;
}) {
  const t = useT();
  const { active, part, setParts } = presentation;
  const current = active && presentation.index === index;
  const heading = useRef<HTMLHeadingElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [split, setSplit] = useState<Part[] | null>(null);

  useEffect(() => {
    if (current) heading.current?.focus({ preventScroll: true });
  }, [current]);

  // Measured when it comes up, and again when the window or the content changes size.
  useLayoutEffect(() => {
    const el = body.current;
    if (!current || !el) {
      setSplit(null);
      return;
    }
    // The slide from its top: whatever scrolls around it (the page, the app's main area) back to the start.
    for (let up = el.parentElement; up; up = up.parentElement) if (up.scrollTop) up.scrollTop = 0;
    window.scrollTo(0, 0);
    let frame = 0;
    const measure = () => {
      const { height, overflow } = el.style;
      const scrolled = el.scrollTop;
      el.style.height = '';
      el.style.overflow = '';
      const top = el.getBoundingClientRect().top;
      const bar = document.querySelector('.presentation-bar')?.getBoundingClientRect().height ?? 0;
      const available = Math.max(120, Math.floor(window.innerHeight - bar - top - 8));
      const breaks = [...el.querySelectorAll<HTMLElement>(BREAKS)].map((n) => n.getBoundingClientRect().top - top);
      const parts = splitParts(breaks, el.scrollHeight, available);
      el.style.height = height;
      el.style.overflow = overflow;
      el.scrollTop = scrolled;
      setSplit((old) => (JSON.stringify(old) === JSON.stringify(parts) ? old : parts));
      setParts(index, parts.length);
    };
    const later = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    };
    measure();
    const observer = new ResizeObserver(later);
    for (const child of el.children) observer.observe(child);
    window.addEventListener('resize', later);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener('resize', later);
    };
  }, [current, index, setParts]);

  // Shows the current part: the body cut to its height and scrolled to its start.
  const shown = current && split && split.length > 1 ? (split[Math.min(part, split.length - 1)] ?? null) : null;
  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    el.style.height = shown ? `${shown.end - shown.start}px` : '';
    el.style.overflow = shown ? 'hidden' : '';
    el.scrollTop = shown ? shown.start : 0;
  }, [shown]);

  const parts = split?.length ?? 1;
  return (
    <section
      id={id}
      aria-labelledby={`${id}-title`}
      className={['council-section', className].filter(Boolean).join(' ')}
      hidden={active && !current}
    >
      {current && area ? <p className="slide-area">{area}</p> : null}
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {title}
        {current && parts > 1 ? (
          <span className="slide-part"> ({t('council.present.part', { n: part + 1, count: parts })})</span>
        ) : null}
      </h2>
      <div className="slide-body" ref={body}>
        {children}
      </div>
    </section>
  );
}
