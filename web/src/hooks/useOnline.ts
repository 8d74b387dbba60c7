/**
 * Whether the dashboard is connected: the browser is online and the live connection is open. A short
 * grace keeps the banner from flashing during an ordinary reconnect.
 */
import { useEffect, useState } from 'react';
import { useGluon } from './useGluon.js';

export function useOnline(graceMs = 1500): { online: boolean; browserOnline: boolean } {
  const { live } = useGluon();
  const [browserOnline, setBrowserOnline] = useState(() => navigator.onLine);
  const [socketOpen, setSocketOpen] = useState(() => live.state === 'open');
  useEffect(() => {
    const up = () => {
      setBrowserOnline(true);
      live.reconnectNow();
    };
    const down = () => setBrowserOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = live.onState((s) => {
      clearTimeout(timer);
      if (s === 'open') setSocketOpen(true);
      else timer = setTimeout(() => setSocketOpen(false), graceMs);
    });
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      clearTimeout(timer);
      off();
    };
  }, [live, graceMs]);
  return { online: browserOnline && socketOpen, browserOnline };
}
