import { describe, expect, it } from 'vitest';
import { ReadingWindow } from './reading-window.js';

describe('ReadingWindow', () => {
  it('keeps the newest readings, oldest first', () => {
    const window = new ReadingWindow(3);

    for (const grams of [5, 1, 9, 4]) window.push(grams);

    expect(window.length).toBe(3);
    expect(window.mean(0, 3)).toBe((1 + 9 + 4) / 3);
    expect(window.mean(0, 1)).toBe(1);
    expect(window.mean(2, 1)).toBe(4);
  });

  it('spans a range from its lowest to its highest reading', () => {
    const window = new ReadingWindow(5);

    for (const grams of [350, 352, 349, 351]) window.push(grams);

    expect(window.length).toBe(4);
    expect(window.span(0, 4)).toBe(3);
    expect(window.span(1, 2)).toBe(3);
    expect(window.span(3, 1)).toBe(0);
  });

  it('sums oldest first, as a list of the same readings would', () => {
    const readings = [0.1, 0.2, 0.3, 1e16, -1e16, 0.7];
    const window = new ReadingWindow(readings.length);

    readings.forEach((grams) => window.push(grams));

    expect(window.mean(0, readings.length)).toBe(
      readings.reduce((sum, grams) => sum + grams, 0) / readings.length,
    );
  });

  it('wraps round many times without losing its order', () => {
    const window = new ReadingWindow(4);

    for (let grams = 1; grams <= 1003; grams++) window.push(grams);

    expect(window.mean(0, 1)).toBe(1000);
    expect(window.mean(3, 1)).toBe(1003);
    expect(window.span(0, 4)).toBe(3);
  });
});
