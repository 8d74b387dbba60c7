/** Renders a component inside the app's providers with a stubbed API (for component tests). */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { WebApi } from '../api/http.js';
import { createLiveConnection } from '../api/live.js';
import { BoardStore } from '../stores/board-store.js';
import { GluonContext, type Gluon } from '../hooks/useGluon.js';

export function renderWithGluon(ui: ReactNode, api: Partial<WebApi> = {}) {
  const toasts: string[] = [];
  const gluon: Gluon = {
    api: api as WebApi,
    live: createLiveConnection('http://127.0.0.1:1', 't', {
      createSocket: () => {
        throw new Error('no socket in tests');
      },
    }),
    board: new BoardStore(),
    health: null,
    logout: () => {},
    toast: (m) => toasts.push(m),
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const result = render(
    <QueryClientProvider client={client}>
      <GluonContext.Provider value={gluon}>{ui}</GluonContext.Provider>
    </QueryClientProvider>,
  );
  return { ...result, toasts, gluon };
}
