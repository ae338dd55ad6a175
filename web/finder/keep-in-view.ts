/**
 * Keeps an element where it is on the screen, as content above it grows or shrinks, until the user moves on. On a phone
 * the map sits below the results: a tap on it fills the list above, which would push the map (and the tap's
 * answer on it) out of view. Browsers' scroll anchoring does not help when its anchor is above the change.
 */
export function keepInView(element: HTMLElement, ms = 10_000): () => void {
  const scroller = scrollParent(element);
  if (!scroller) return () => {};
  const top = element.getBoundingClientRect().top;
  const observer = new ResizeObserver(() => {
    const delta = element.getBoundingClientRect().top - top;
    if (Math.abs(delta) >= 1) scroller.scrollBy({ top: delta, behavior: 'instant' });
  });
  for (let node = element.previousElementSibling; node; node = node.previousElementSibling) observer.observe(node);
  // Until the user moves on (scrolls, taps, types) or for `ms` at most.
  const events = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;
  const stop = () => {
    window.clearTimeout(timer);
    observer.disconnect();
    for (const type of events) window.removeEventListener(type, stop, true);
  };
  const timer = window.setTimeout(stop, ms);
  for (const type of events) window.addEventListener(type, stop, { capture: true, passive: true });
  return stop;
}

function scrollParent(element: HTMLElement): HTMLElement | null {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if ((overflowY === 'auto' || overflowY === 'scroll') && node.scrollHeight > node.clientHeight) return node;
  }
  return document.scrollingElement instanceof HTMLElement ? document.scrollingElement : null;
}
