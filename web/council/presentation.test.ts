import { describe, expect, it } from 'vitest';
import { keyAction, splitParts } from './presentation.tsx';

describe('keyAction', () => {
  it('moves on and back with the usual presenter keys', () => {
    for (const key of ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'])
      expect(keyAction(key, false, null)).toBe(1);
    for (const key of ['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace']) expect(keyAction(key, false, null)).toBe(-1);
    expect(keyAction(' ', true, null)).toBe(-1);
    expect(keyAction('Home', false, null)).toBe('first');
    expect(keyAction('End', false, null)).toBe('last');
    expect(keyAction('Escape', false, null)).toBe('exit');
    expect(keyAction('a', false, null)).toBeNull();
  });

  it('leaves a text field its arrows and a button its Enter and Space, but Escape always ends', () => {
    expect(keyAction('ArrowRight', false, 'text')).toBeNull();
    expect(keyAction('Backspace', false, 'text')).toBeNull();
    expect(keyAction('PageDown', false, 'text')).toBe(1);
    expect(keyAction('Enter', false, 'activate')).toBeNull();
    expect(keyAction(' ', false, 'activate')).toBeNull();
    expect(keyAction('ArrowRight', false, 'activate')).toBe(1);
    expect(keyAction('Escape', false, 'text')).toBe('exit');
  });
});

describe('splitParts', () => {
  it('keeps a section that fits in one part', () => {
    expect(splitParts([0, 100, 200], 300, 500)).toEqual([{ start: 0, end: 300 }]);
  });

  it('ends each part where a row begins, never inside one', () => {
    // Rows of 100 px from 50 px on; 320 px of screen take the heading block and two rows, then three rows.
    const rows = [50, 150, 250, 350, 450, 550];
    const parts = splitParts(rows, 650, 320);
    expect(parts).toEqual([
      { start: 0, end: 250 },
      { start: 250, end: 550 },
      { start: 550, end: 650 },
    ]);
    for (const p of parts) expect(p.end - p.start).toBeLessThanOrEqual(320);
    // Every row lies wholly inside one part.
    for (const [i, top] of rows.entries()) {
      const bottom = rows[i + 1] ?? 650;
      expect(parts.some((p) => p.start <= top && bottom <= p.end)).toBe(true);
    }
  });

  it('cuts a block taller than the screen where it must', () => {
    expect(splitParts([], 1000, 400)).toEqual([
      { start: 0, end: 400 },
      { start: 400, end: 800 },
      { start: 800, end: 1000 },
    ]);
  });
});
