/**
 * What every screen needs once logged in: the API client, the live connection, the board's tasks and
 * what the server says about itself (demo mode, credentials).
 */
import { createContext, useContext } from 'react';
import type { HealthDto } from '../../../shared/api.js';
import type { WebApi } from '../api/http.js';
import type { LiveConnection } from '../api/live.js';
import type { BoardStore } from '../stores/board-store.js';

export interface Gluon {
  api: WebApi;
  live: LiveConnection;
  board: BoardStore;
  health: HealthDto | null;
  /** Forgets the token and shows the login page. */
  logout(): void;
  /** Shows a short message at the bottom of the screen. */
  toast(message: string, tone?: 'info' | 'error'): void;
}

export const GluonContext = createContext<Gluon | null>(null);

export function useGluon(): Gluon {
  const value = useContext(GluonContext);
  if (!value) throw new Error('useGluon outside of the logged-in app');
  return value;
}
