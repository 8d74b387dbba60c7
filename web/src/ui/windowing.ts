/**
 * The arithmetic of a virtualised list with rows of different heights: a Fenwick tree of row heights
 * (unmeasured rows count as an estimate) answers "where does row i start" and "which row is at offset y"
 * in O(log n), so a list of 100,000 rows scrolls and grows without touching every row.
 */
export class HeightIndex {
  private tree: Float64Array;
  private heights: Float64Array;
  private count = 0;

  constructor(
    private readonly estimate: number,
    capacity = 1024,
  ) {
    this.tree = new Float64Array(capacity + 1);
    this.heights = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Total height of all rows. */
  get total(): number {
    return this.prefix(this.count);
  }

  /** Grows or shrinks to `n` rows; new rows get the estimated height. */
  resize(n: number): void {
    if (n < this.count) {
      // Shrinking is rare (a filter changed): rebuild rather than unwind the tree.
      const kept = this.heights.slice(0, n);
      this.count = 0;
      this.tree.fill(0);
      this.heights.fill(0);
      for (let i = 0; i < n; i += 1) this.push(kept[i]!);
      return;
    }
    while (this.count < n) this.push(this.estimate);
  }

  heightOf(i: number): number {
    return this.heights[i] ?? this.estimate;
  }

  /** Records a measured height; returns whether it changed. */
  setHeight(i: number, height: number): boolean {
    if (i < 0 || i >= this.count) return false;
    const delta = height - this.heights[i]!;
    if (Math.abs(delta) < 0.5) return false;
    this.heights[i] = height;
    this.add(i, delta);
    return true;
  }

  /** Offset of the top of row `i` (the sum of the heights before it). */
  offsetOf(i: number): number {
    return this.prefix(Math.max(0, Math.min(i, this.count)));
  }

  /** The row that contains offset `y` (clamped to the rows that exist; 0 when empty). */
  indexAt(y: number): number {
    if (this.count === 0 || y <= 0) return 0;
    let index = 0;
    let remaining = y;
    let step = 1;
    while (step * 2 <= this.count) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = index + step;
      if (next <= this.count && this.tree[next]! <= remaining) {
        index = next;
        remaining -= this.tree[next]!;
      }
    }
    return Math.min(index, this.count - 1);
  }

  private push(height: number): void {
    if (this.count === this.heights.length) this.grow();
    const i = this.count;
    this.count += 1;
    this.heights[i] = height;
    // A Fenwick node covers (i+1 - lowbit, i+1]; fill it from the nodes below it.
    const node = i + 1;
    let sum = height;
    const low = node & -node;
    for (let k = 1; k < low; k <<= 1) sum += this.tree[node - k]!;
    this.tree[node] = sum;
  }

  private grow(): void {
    const heights = new Float64Array(this.heights.length * 2);
    heights.set(this.heights);
    const tree = new Float64Array(heights.length + 1);
    tree.set(this.tree);
    this.heights = heights;
    this.tree = tree;
  }

  private add(i: number, delta: number): void {
    for (let node = i + 1; node <= this.count; node += node & -node) this.tree[node]! += delta;
  }

  private prefix(n: number): number {
    let sum = 0;
    for (let node = n; node > 0; node -= node & -node) sum += this.tree[node]!;
    return sum;
  }
}

export interface ListWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Space above the first rendered row. */
  before: number;
  /** Space below the last rendered row. */
  after: number;
}

/**
 * The rows to render for a viewport.
 * Rules: the rows that intersect [scrollTop, scrollTop + viewport] plus `overscan` rows on each side;
 * spacer heights make the scroll height equal the total height.
 */
export function computeWindow(
  index: HeightIndex,
  scrollTop: number,
  viewport: number,
  overscan: number,
): ListWindow {
  const n = index.length;
  if (n === 0) return { start: 0, end: 0, before: 0, after: 0 };
  const first = index.indexAt(scrollTop);
  const last = index.indexAt(scrollTop + Math.max(viewport, 1));
  const start = Math.max(0, first - overscan);
  const end = Math.min(n, last + 1 + overscan);
  const before = index.offsetOf(start);
  return { start, end, before, after: Math.max(0, index.total - index.offsetOf(end)) };
}

/** Whether a scroll position counts as "at the bottom" (auto-scroll follows new rows only there). */
export function isAtBottom(scrollTop: number, viewport: number, scrollHeight: number, slack = 24): boolean {
  return scrollTop + viewport >= scrollHeight - slack;
}
