import { describe, expect, it } from 'vitest';
import { type FrameProvider, idleFrames } from './idle-frames.ts';

/** Frames that run when the test says so, on a clock the test sets. */
function fakeFrames() {
  let next = 1;
  const queued = new Map<number, FrameRequestCallback>();
  const frames: FrameProvider = {
    requestAnimationFrame(callback) {
      queued.set(next, callback);
      return next++;
    },
    cancelAnimationFrame(id) {
      queued.delete(id);
    },
  };
  const clock = { t: 0 };
  const tick = () => {
    const due = [...queued.values()];
    queued.clear();
    for (const callback of due) callback(clock.t);
  };
  return { frames, clock, tick, queued };
}

/** A loop like luma.gl's: each frame asks for the next. */
function startLoop(provider: FrameProvider) {
  const state = { frames: 0, id: 0 };
  const frame = () => {
    state.frames++;
    state.id = provider.requestAnimationFrame(frame);
  };
  state.id = provider.requestAnimationFrame(frame);
  return state;
}

describe('idleFrames', () => {
  it('passes frames on while awake, holds the next request once asleep, and runs it on wake', () => {
    const fake = fakeFrames();
    const { provider, wake } = idleFrames(1000, fake.frames, () => fake.clock.t);
    const loop = startLoop(provider);
    fake.tick();
    fake.tick();
    expect(loop.frames).toBe(2);
    fake.clock.t = 1000; // asleep: the request made in this frame is held
    fake.tick();
    expect(loop.frames).toBe(3);
    expect(fake.queued.size).toBe(0);
    fake.tick();
    expect(loop.frames).toBe(3);
    wake();
    expect(fake.queued.size).toBe(1);
    fake.tick();
    expect(loop.frames).toBe(4);
    expect(fake.queued.size).toBe(1); // awake again until 2000
  });

  it('cancels a held request, and the frame a wake gave it', () => {
    const fake = fakeFrames();
    const { provider, wake } = idleFrames(1000, fake.frames, () => fake.clock.t);
    fake.clock.t = 5000;
    const loop = startLoop(provider);
    wake();
    expect(fake.queued.size).toBe(1);
    provider.cancelAnimationFrame(loop.id);
    expect(fake.queued.size).toBe(0);
    fake.tick();
    expect(loop.frames).toBe(0);
  });

  it('a wake with nothing held only keeps the loop awake', () => {
    const fake = fakeFrames();
    const { provider, wake } = idleFrames(1000, fake.frames, () => fake.clock.t);
    fake.clock.t = 900;
    wake();
    fake.clock.t = 1500;
    const loop = startLoop(provider);
    expect(fake.queued.size).toBe(1);
    fake.tick();
    expect(loop.frames).toBe(1);
  });
});
