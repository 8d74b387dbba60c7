/** Short messages at the bottom of the screen (a refused move, a failed action, a confirmation). */
import { useCallback, useRef, useState } from 'react';

export interface ToastItem {
  id: number;
  message: string;
  tone: 'info' | 'error';
}

export function useToasts() {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(0);
  const toast = useCallback((message: string, tone: 'info' | 'error' = 'info') => {
    const id = ++next.current;
    setItems((list) => [...list.slice(-3), { id, message, tone }]);
    setTimeout(() => setItems((list) => list.filter((t) => t.id !== id)), tone === 'error' ? 7000 : 3500);
  }, []);
  return { items, toast };
}

export function Toasts({ items }: { items: ToastItem[] }) {
  return (
    <div className="toasts" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
          {t.message}
        </div>
      ))}
    </div>
  );
}
