/**
 * The top bar: the app's name, navigation (the Audit page only for those who may read it: an admin of
 * every workspace, as the route says), notifications switch and sign-out.
 */
import type { MeDto } from '../../../../shared/team.js';
import type { Route } from '../../hooks/useRoute.js';
import { navigate } from '../../hooks/useRoute.js';

/** Whether the caller may read the audit log: `GET /api/audit` needs admin in every workspace (`*`). */
export const readsAudit = (me: Pick<MeDto, 'roles'> | null | undefined): boolean =>
  me?.roles['*'] === 'admin';

export function Header(props: {
  route: Route;
  /** The caller (null until known: then the Audit link waits). */
  me: Pick<MeDto, 'roles'> | null;
  notifications: NotificationPermission | 'unsupported';
  onEnableNotifications: () => void;
  onLogout: () => void;
}) {
  const link = (to: string, label: string, on: boolean) => (
    <a
      href={to}
      className={on ? 'nav nav-on' : 'nav'}
      aria-current={on ? 'page' : undefined}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {label}
    </a>
  );
  return (
    <header className="top">
      <span className="brand">◉ Gluon</span>
      <nav>
        {link('/', 'Board', props.route.page === 'board' || props.route.page === 'task')}
        {link('/costs', 'Costs', props.route.page === 'costs')}
        {readsAudit(props.me) ? link('/audit', 'Audit', props.route.page === 'audit') : null}
      </nav>
      <span className="spacer" />
      {props.notifications === 'default' ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={props.onEnableNotifications}
          title="Be told when a task needs input, finishes or fails"
        >
          Notify<span className="notify-long"> me</span>
        </button>
      ) : null}
      <button type="button" className="btn btn-small" onClick={props.onLogout}>
        Sign out
      </button>
    </header>
  );
}
