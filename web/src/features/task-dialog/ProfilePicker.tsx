/**
 * The new task dialog's profile: each with its model (the configured one in a tooltip) and relative cost.
 */
import type { Profile } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';

const PROFILES: { id: Profile; name: string; model: string; cost: string }[] = [
  { id: 'quick', name: 'Quick', model: 'Haiku', cost: '≈ ⅓×' },
  { id: 'standard', name: 'Standard', model: 'Sonnet', cost: '1×' },
  { id: 'deep', name: 'Deep', model: 'Opus', cost: '≈ 5×' },
  { id: 'planning', name: 'Planning', model: 'Opus, plan first', cost: '≈ 5×' },
];

export function ProfilePicker({ value, onChange }: { value: Profile; onChange: (profile: Profile) => void }) {
  const { health } = useGluon();
  return (
    <fieldset className="profiles">
      <legend>Profile</legend>
      {PROFILES.map((p) => (
        <label key={p.id} className={value === p.id ? 'profile-opt profile-opt-on' : 'profile-opt'}>
          <input
            type="radio"
            name="profile"
            value={p.id}
            checked={value === p.id}
            onChange={() => onChange(p.id)}
          />
          <strong>{p.name}</strong> <span title={health?.models?.[p.id] ?? undefined}>{p.model}</span>{' '}
          <span className="hint">{p.cost}</span>
        </label>
      ))}
    </fieldset>
  );
}
