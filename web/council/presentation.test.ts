import { describe, expect, it } from 'vitest';
import { keyAction } from './presentation.tsx';

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
