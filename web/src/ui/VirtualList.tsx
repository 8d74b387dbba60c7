/**
 * A windowed list: only the rows in view (plus a few) are in the DOM, each measured once rendered, so
 * 100,000 rows of different heights scroll smoothly. With `follow`, the list sticks to the bottom as rows
 * arrive; scrolling up turns following off (through `onFollowChange`), scrolling back down turns it on.
 */
import { useCallback, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { computeWindow, HeightIndex, isAtBottom } from './windowing.js';

export interface VirtualListProps {
  count: number;
  /** Expected row height before a row is measured. */
  estimate: number;
  renderRow: (index: number) => ReactNode;
  rowKey: (index: number) => string;
  overscan?: number;
  follow?: boolean;
  onFollowChange?: (follow: boolean) => void;
  className?: string;
  /** Changes when rows change size for another reason than their count (e.g. one expanded). */
  revision?: number;
  label?: string;
}

export function VirtualList(props: VirtualListProps) {
  const { count, estimate, renderRow, rowKey, overscan = 8, follow = false, onFollowChange } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new HeightIndex(estimate));
  const [scroll, setScroll] = useState({ top: 0, viewport: 600 });
  const [, setMeasured] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const frame = useRef(0);

  if (heights.current.length !== count) heights.current.resize(count);

  // One observer for all rendered rows: a changed height moves everything below it.
  if (!observer.current && typeof ResizeObserver === 'function') {
    observer.current = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const index = Number((entry.target as HTMLElement).dataset.index);
        changed = heights.current.setHeight(index, (entry.target as HTMLElement).offsetHeight) || changed;
      }
      if (changed) setMeasured((n) => n + 1);
    });
  }
  useLayoutEffect(() => () => observer.current?.disconnect(), []);

  const measure = useCallback((el: HTMLDivElement | null) => {
    if (!el) return;
    heights.current.setHeight(Number(el.dataset.index), el.offsetHeight);
    const watcher = observer.current;
    watcher?.observe(el);
    return () => watcher?.unobserve(el);
  }, []);

  const onScroll = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scroller.current;
      if (!el) return;
      setScroll({ top: el.scrollTop, viewport: el.clientHeight });
      onFollowChange?.(isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight));
    });
  }, [onFollowChange]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (el.clientHeight !== scroll.viewport) setScroll({ top: el.scrollTop, viewport: el.clientHeight });
    if (follow && !isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight, 1)) {
      el.scrollTop = el.scrollHeight;
      setScroll({ top: el.scrollTop, viewport: el.clientHeight });
    }
  });

  const win = computeWindow(heights.current, scroll.top, scroll.viewport, overscan);
  const rows: ReactNode[] = [];
  for (let i = win.start; i < win.end; i += 1) {
    rows.push(
      <div key={rowKey(i)} data-index={i} ref={measure} className="vl-row">
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={scroller}
      className={`vl ${props.className ?? ''}`}
      onScroll={onScroll}
      role="list"
      aria-label={props.label}
      data-count={count}
    >
      <div style={{ height: win.before }} />
      {rows}
      <div style={{ height: win.after }} />
    </div>
  );
}
