/**
 * The new task dialog's run options: the mode (a git worktree, a Ralph loop, the approval policy) and the
 * caps (a loop's maximum iterations, the maximum cost).
 */
import type { ApprovalPolicy } from '../../../../shared/api.js';
import type { RunOptions } from './task-body.js';

interface Props {
  value: RunOptions;
  onChange: (value: RunOptions) => void;
}

export function ModeFields({ value, onChange }: Props) {
  return (
    <div className="row">
      <label className="toggle">
        <input
          type="checkbox"
          checked={value.worktree}
          onChange={(e) => onChange({ ...value, worktree: e.target.checked })}
        />{' '}
        Git worktree
      </label>
      <label className="toggle">
        <input
          type="checkbox"
          checked={value.ralph}
          onChange={(e) => onChange({ ...value, ralph: e.target.checked })}
        />{' '}
        Ralph loop
      </label>
      <label className="field-inline">
        Approval
        <select
          value={value.approval}
          onChange={(e) => onChange({ ...value, approval: e.target.value as ApprovalPolicy })}
        >
          <option value="auto">auto</option>
          <option value="careful">careful</option>
          <option value="strict">strict</option>
        </select>
      </label>
    </div>
  );
}

export function CapFields({ value, onChange }: Props) {
  return (
    <div className="row">
      {value.ralph ? (
        <label className="field-inline">
          Max iterations
          <input
            type="number"
            min={1}
            max={1000}
            value={value.maxIterations}
            onChange={(e) => onChange({ ...value, maxIterations: e.target.value })}
          />
        </label>
      ) : null}
      <label className="field-inline">
        {value.ralph ? 'Cost cap $' : 'Max cost $'}
        <input
          type="number"
          min={0}
          step="0.01"
          placeholder="none"
          value={value.maxCost}
          onChange={(e) => onChange({ ...value, maxCost: e.target.value })}
        />
      </label>
    </div>
  );
}
