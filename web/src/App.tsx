/**
 * The app: without a token, the login page; with one, the live connection, the board store and the
 * pages. A 401 from any request means the token is wrong or was changed: back to the login page.
 */
import { QueryCache, QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, createWebApi } from './api/http.js';
import { createLiveConnection } from './api/live.js';
import { clearToken, readToken, saveToken, takeTokenFromHash } from './api/token.js';
import { BoardStore } from './stores/board-store.js';
import { HealthBanners, OfflineBanner } from './features/shell/Banners.js';
import { Header } from './features/shell/Header.js';
import { Toasts, useToasts } from './features/shell/Toasts.js';
import { GluonContext, type Gluon } from './hooks/useGluon.js';
import { useNotifications } from './hooks/useNotifications.js';
import { navigate, useRoute } from './hooks/useRoute.js';
import { BoardPage } from './pages/BoardPage.js';
import { CostsPage } from './pages/CostsPage.js';
import { AuditPage } from './pages/AuditPage.js';
import { csrfOf, sessionCredential } from './api/session.js';
import { LoginPage } from './pages/LoginPage.js';
import { RunPage } from './pages/RunPage.js';
import type { MeDto } from '../../shared/team.js';

export function App() {
  const [token, setToken] = useState<string | null>(() => {
    const fromLink = takeTokenFromHash(window.location, window.history);
    if (fromLink) saveToken(fromLink);
    return fromLink ?? readToken();
  });
  const [reason, setReason] = useState<string | undefined>();
  // Without a saved token, a session cookie may already sign this browser in (single sign-on lands here).
  const [checking, setChecking] = useState(token === null);
  useEffect(() => {
    if (!checking) return;
    createWebApi(sessionCredential(''))
      .me()
      .then((me) => {
        if (me.csrf) setToken(sessionCredential(me.csrf));
      })
      .catch(() => {})
      .finally(() => setChecking(false));
  }, [checking]);
  const logout = (why?: string) => {
    if (token && csrfOf(token) !== null)
      void createWebApi(token)
        .logout()
        .catch(() => {});
    clearToken();
    setReason(why);
    setToken(null);
  };
  const queryClient = useMemo(
    () =>
      new QueryClient({
        queryCache: new QueryCache({
          onError: (err) => {
            if (err instanceof ApiError && err.status === 401)
              logout('The server no longer accepts the saved token.');
          },
        }),
        defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
      }),
    [token],
  );
  if (!token && checking) return null;
  if (!token)
    return (
      <LoginPage
        reason={reason}
        onToken={(t) => {
          if (csrfOf(t) === null) saveToken(t);
          setToken(t);
          if (window.location.pathname === '/login') navigate('/', true);
        }}
      />
    );
  return (
    <QueryClientProvider client={queryClient}>
      <Shell key={token} token={token} onLogout={() => logout()} />
    </QueryClientProvider>
  );
}

function Shell({ token, onLogout }: { token: string; onLogout: () => void }) {
  const route = useRoute();
  const { items, toast } = useToasts();
  const core = useMemo(() => {
    const api = createWebApi(token);
    const live = createLiveConnection(window.location.origin, token);
    return { api, live, board: new BoardStore() };
  }, [token]);
  useEffect(() => {
    core.live.start();
    const off = core.live.watchBoard(core.board.apply);
    return () => {
      off();
      core.live.stop();
    };
  }, [core]);
  const health = useQuery({ queryKey: ['health'], queryFn: () => core.api.health(), staleTime: 60_000 });
  const me = useQuery({ queryKey: ['me'], queryFn: () => core.api.me(), staleTime: 60_000 });
  const gluon: Gluon = useMemo(
    () => ({ ...core, health: health.data ?? null, logout: onLogout, toast }),
    [core, health.data, onLogout, toast],
  );
  return (
    <GluonContext.Provider value={gluon}>
      <Frame route={route} me={me.data ?? null} onLogout={onLogout} />
      <Toasts items={items} />
    </GluonContext.Provider>
  );
}

function Frame({
  route,
  me,
  onLogout,
}: {
  route: ReturnType<typeof useRoute>;
  me: MeDto | null;
  onLogout: () => void;
}) {
  const notifications = useNotifications();
  return (
    <GluonContext.Consumer>
      {(g) => (
        <div className="app">
          <Header
            route={route}
            me={me}
            notifications={notifications.permission}
            onEnableNotifications={notifications.enable}
            onLogout={onLogout}
          />
          <OfflineBanner />
          <HealthBanners health={g?.health ?? null} />
          {route.page === 'costs' ? (
            <CostsPage />
          ) : route.page === 'audit' ? (
            <AuditPage />
          ) : route.page === 'task' ? (
            <RunPage taskId={route.taskId} />
          ) : (
            <BoardPage openTaskId={route.page === 'board' ? route.taskId : null} />
          )}
        </div>
      )}
    </GluonContext.Consumer>
  );
}
