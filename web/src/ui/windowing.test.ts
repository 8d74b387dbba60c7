import { describe, expect, it } from 'vitest';
import { computeWindow, HeightIndex, isAtBottom } from './windowing.js';

describe('HeightIndex', () => {
  it('sums estimated and measured heights and finds the row at an offset', () => {
    const h = new HeightIndex(10, 2);
    h.resize(5); // grows past its initial capacity
    expect(h.total).toBe(50);
    expect(h.setHeight(1, 30)).toBe(true);
    expect(h.setHeight(1, 30)).toBe(false);
    expect(h.total).toBe(70);
    expect(h.offsetOf(0)).toBe(0);
    expect(h.offsetOf(2)).toBe(40);
    expect(h.indexAt(0)).toBe(0);
    expect(h.indexAt(9)).toBe(0);
    expect(h.indexAt(10)).toBe(1);
    expect(h.indexAt(39)).toBe(1);
    expect(h.indexAt(40)).toBe(2);
    expect(h.indexAt(10_000)).toBe(4);
  });

  it('agrees with a plain running sum over many random rows', () => {
    const n = 3000;
    const h = new HeightIndex(20);
    h.resize(n);
    const plain = Array.from({ length: n }, () => 20);
    for (let k = 0; k < 2000; k += 1) {
      const i = (k * 7919) % n;
      const height = 5 + ((k * 31) % 90);
      h.setHeight(i, height);
      plain[i] = height;
    }
    let sum = 0;
    for (let i = 0; i < n; i += 1) {
      expect(h.offsetOf(i)).toBe(sum);
      expect(h.indexAt(sum)).toBe(i);
      sum += plain[i]!;
    }
    expect(h.total).toBe(sum);
  });

  it('shrinks, keeping the heights of the rows that stay', () => {
    const h = new HeightIndex(10);
    h.resize(4);
    h.setHeight(0, 25);
    h.resize(2);
    expect(h.length).toBe(2);
    expect(h.total).toBe(35);
  });
});

describe('computeWindow', () => {
  it('renders the rows in view plus overscan, with spacers for the rest', () => {
    const h = new HeightIndex(20);
    h.resize(100_000);
    const w = computeWindow(h, 20 * 50_000, 400, 5);
    expect(w.start).toBe(49_995);
    expect(w.end).toBe(50_026);
    expect(w.before).toBe(49_995 * 20);
    expect(w.before + (w.end - w.start) * 20 + w.after).toBe(h.total);
  });

  it('is empty for no rows and clamps at both ends', () => {
    expect(computeWindow(new HeightIndex(20), 0, 500, 3)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
    const h = new HeightIndex(20);
    h.resize(10);
    expect(computeWindow(h, 0, 1000, 3)).toMatchObject({ start: 0, end: 10, before: 0, after: 0 });
  });

  it('knows when the user is at the bottom', () => {
    expect(isAtBottom(980, 20, 1000)).toBe(true);
    expect(isAtBottom(500, 20, 1000)).toBe(false);
  });
});
