/**
 * Animation frames for deck.gl's render loop that stop while nothing happens on the map.
 *
 * deck.gl's loop asks for a frame 60 times a second for as long as the page is open, only to see whether anything
 * changed (deck.gl issue 6961). Every such frame keeps the browser's compositor at work: on an idle planner page in
 * headless Chromium, 0.9 s of CPU in every 5 s where a page without a map used none (measured 2026-12-07), and on a
 * phone a steady drain of its battery. With these frames the loop runs while something may change (the map renders,
 * the pointer or a key acts on it, the layers or the fonts change) and for `awakeMs` after; then its next request
 * is held until `wake()`. In interleaved mode MapLibre draws deck.gl's layers in its own frames, so a held loop
 * never holds back a drawing the map asked for.
 */
export interface FrameProvider {
  requestAnimationFrame(callback: FrameRequestCallback): number;
  cancelAnimationFrame(id: number): void;
}

export interface IdleFrames {
  /** deck.gl's `animationFrameProvider` (a luma.gl AnimationLoop prop that Deck passes on). */
  provider: FrameProvider;
  /** Lets the loop run for `awakeMs` from now, and runs a held request. */
  wake: () => void;
}

/** The id of a request that is held, not scheduled. Real ids are positive. */
const HELD = -1;

export function idleFrames(
  awakeMs = 1500,
  frames: FrameProvider = window,
  now: () => number = () => performance.now(),
): IdleFrames {
  let awakeUntil = now() + awakeMs;
  let held: FrameRequestCallback | null = null;
  /** The real frame a held request was given by `wake`, which deck.gl still knows as HELD. */
  let resumed = 0;
  return {
    provider: {
      requestAnimationFrame(callback) {
        if (now() < awakeUntil) return frames.requestAnimationFrame(callback);
        held = callback;
        return HELD;
      },
      cancelAnimationFrame(id) {
        if (id !== HELD) return frames.cancelAnimationFrame(id);
        held = null;
        if (resumed) frames.cancelAnimationFrame(resumed);
        resumed = 0;
      },
    },
    wake() {
      awakeUntil = now() + awakeMs;
      if (!held) return;
      const callback = held;
      held = null;
      resumed = frames.requestAnimationFrame((time) => {
        resumed = 0;
        callback(time);
      });
    },
  };
}
