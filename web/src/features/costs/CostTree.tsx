/** The drill-down: workspaces that open into projects that open into tasks (with model and cost). */
import { useState } from 'react';
import { navigate } from '../../hooks/useRoute.js';
import { formatUsd } from '../../../../shared/text.js';
import type { TreeNode } from './cost-data.js';

function Node({ node, depth }: { node: TreeNode; depth: number }) {
  const [open, setOpen] = useState(depth === 0);
  const leaf = node.children.length === 0;
  return (
    <li className={`tree-node depth-${depth}`}>
      <button
        type="button"
        className="tree-row"
        aria-expanded={leaf ? undefined : open}
        onClick={() => (leaf ? navigate(`/?task=${node.key}`) : setOpen(!open))}
      >
        <span className="caret">{leaf ? '·' : open ? '▾' : '▸'}</span>
        <span className="tree-label">{node.label}</span>
        {node.model ? <span className="hint">{node.model}</span> : null}
        <span className="tree-cost">{formatUsd(node.costUsd)}</span>
      </button>
      {open && !leaf ? (
        <ul>
          {node.children.map((c) => (
            <Node key={c.key} node={c} depth={depth + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function CostTree({ nodes }: { nodes: TreeNode[] }) {
  if (!nodes.length) return <p className="empty">No spend yet.</p>;
  return (
    <ul className="tree" data-testid="cost-tree">
      {nodes.map((n) => (
        <Node key={n.key} node={n} depth={0} />
      ))}
    </ul>
  );
}
