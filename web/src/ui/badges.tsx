/** Small markers on cards and headers: profile, health, status, input required. */
import type { Health, Profile, TaskDto } from '../../../shared/api.js';

const PROFILE: Record<Profile, { icon: string; label: string }> = {
  quick: { icon: '⚡', label: 'Quick' },
  standard: { icon: '◆', label: 'Standard' },
  deep: { icon: '◈', label: 'Deep' },
  planning: { icon: '☰', label: 'Planning' },
};

export function ProfileIcon({ profile, model }: { profile: Profile; model?: string }) {
  const p = PROFILE[profile];
  return (
    <span
      className={`profile profile-${profile}`}
      title={`${p.label}${model ? ` · ${model}` : ''}`}
      aria-label={`profile ${p.label}`}
    >
      {p.icon}
    </span>
  );
}

export function HealthDot({ health, reason }: { health: Health; reason: string | null }) {
  const text =
    reason ?? { green: 'events flowing', yellow: 'slow: no event for a while', red: 'stuck' }[health];
  return (
    <span className={`dot dot-${health}`} title={text} aria-label={`health ${health}: ${text}`} role="img" />
  );
}

export function StatusPill({ status }: { status: TaskDto['status'] }) {
  return <span className={`pill pill-${status}`}>{status}</span>;
}

export function InputBadge() {
  return <span className="badge badge-input">Input Required</span>;
}
