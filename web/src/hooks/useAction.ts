/**
 * A user's action on the server from a panel of buttons: busy while it runs, a toast when it is done or
 * why it failed. `act` starts it and returns at once; `then` receives the result of one that succeeded.
 */
import { useState } from 'react';
import { useGluon } from './useGluon.js';

export function useAction() {
  const { toast } = useGluon();
  const [busy, setBusy] = useState(false);
  const showFailure = (err: unknown) => toast((err as Error).message, 'error');

  async function perform<T>(call: () => Promise<T>, done: string, then?: (result: T) => void) {
    setBusy(true);
    try {
      const result = await call();
      toast(done);
      then?.(result);
    } finally {
      setBusy(false);
    }
  }

  return {
    busy,
    act<T>(call: () => Promise<T>, done: string, then?: (result: T) => void): void {
      perform(call, done, then).catch(showFailure);
    },
  };
}
