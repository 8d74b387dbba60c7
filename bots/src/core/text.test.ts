import { describe, expect, it } from 'vitest';
import { fitHead, fitTail } from './text.js';

describe('text helpers', () => {
  it('fitHead keeps the head and cuts at a line break', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const fitted = fitHead(text, 120);
    expect(fitted.length).toBeLessThanOrEqual(120);
    expect(fitted.startsWith('line 0\nline 1\n')).toBe(true);
    expect(fitted.endsWith('\n… (cut)')).toBe(true);
    expect(fitHead('small', 120)).toBe('small');
  });

  it('fitTail keeps the header, the footer and the newest lines, and counts the rest', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `event number ${i}`);
    for (const limit of [200, 2000, 4096]) {
      const text = fitTail('HEADER', lines, 'FOOTER', limit, 7);
      expect(text.length).toBeLessThanOrEqual(limit);
      expect(text.startsWith('HEADER\n… ')).toBe(true);
      expect(text.endsWith('event number 499\nFOOTER')).toBe(true);
      const hidden = Number(/… (\d+) earlier lines/.exec(text)![1]);
      const shown = text.split('\n').filter((l) => l.startsWith('event')).length;
      expect(hidden + shown).toBe(507);
    }
  });

  it('fitTail shows everything when it fits, and truncates one giant line', () => {
    expect(fitTail('H', ['a', 'b'], 'F', 100)).toBe('H\na\nb\nF');
    const giant = fitTail('H', ['x'.repeat(10_000)], 'F', 300);
    expect(giant.length).toBeLessThanOrEqual(300);
    expect(giant).toMatch(/^H\nx+…\nF$/);
  });
});
