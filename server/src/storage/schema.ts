/**
 * Table types for Kysely. Columns are snake_case here and nowhere else: repositories map rows to camelCase
 * records at this boundary.
 */
export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ProjectsTable {
  id: string;
  workspace_id: string;
  name: string;
  path: string;
  default_branch: string;
  remote_url: string | null;
  github: string | null;
  settings: string;
  created_at: string;
}

export interface TasksTable {
  id: string;
  project_id: string;
  title: string;
  prompt: string;
  status: string;
  profile: string;
  agent: string;
  model: string;
  approval: string;
  use_worktree: number;
  branch: string | null;
  base_branch: string;
  base_sha: string | null;
  worktree_path: string | null;
  cost_usd: number;
  max_cost_usd: number | null;
  input_required: number;
  pending_input: string | null;
  stop_reason: string | null;
  error: string | null;
  iterations: number;
  session_id: string | null;
  health: string | null;
  health_reason: string | null;
  next_prompt: string | null;
  options: string;
  last_seq: number;
  mode_state: string | null;
  queued_at: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  worker: string | null;
  dispatch_job: string | null;
}

export interface WorkersTable {
  name: string;
  host: string;
  pid: number;
  capacity: number;
  projects: string | null;
  started_at: string;
  heartbeat_at: string;
  lost_at: string | null;
  stopped_at: string | null;
}

export interface RunsTable {
  id: string;
  task_id: string;
  kind: string;
  model: string;
  prompt: string;
  session_id: string | null;
  status: string;
  stop_reason: string | null;
  cost_usd: number;
  sdk_total_usd: number | null;
  error: string | null;
  pid: number | null;
  label: string | null;
  started_at: string;
  ended_at: string | null;
}

export interface RunCostsTable {
  run_id: string;
  task_id: string;
  model: string;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  final: number;
  day: string;
}

export interface EventsTable {
  task_id: string;
  seq: number;
  run_id: string | null;
  type: string;
  ts: string;
  data: string;
}

export interface Database {
  workspaces: WorkspacesTable;
  projects: ProjectsTable;
  tasks: TasksTable;
  runs: RunsTable;
  run_costs: RunCostsTable;
  events: EventsTable;
  workers: WorkersTable;
}
