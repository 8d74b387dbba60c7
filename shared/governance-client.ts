/**
 * The client calls of costs, budgets, approval policies and formulas, spread into `createClient`.
 */
import type { FormulaDto, FormulaListDto, SetBudgetBody, SetPolicyBody } from './api.js';
import type { BudgetDto, CostReport, PolicyEntryDto } from './governance-dto.js';
import { query, type Request } from './client-http.js';

export type CostGrouping = NonNullable<CostReport['by']>;

export function governanceMethods(request: Request) {
  return {
    costs: (by?: CostGrouping) => request<CostReport>('GET', `/api/costs${query({ by })}`),
    budgets: () => request<BudgetDto[]>('GET', '/api/budgets'),
    setBudget: (body: SetBudgetBody) => request<BudgetDto>('PUT', '/api/budgets', body),
    removeBudget: (id: string) => request<void>('DELETE', `/api/budgets/${encodeURIComponent(id)}`),
    policies: () => request<PolicyEntryDto[]>('GET', '/api/policies'),
    setPolicy: (body: SetPolicyBody) => request<PolicyEntryDto>('PUT', '/api/policies', body),
    removePolicy: (scope: 'workspace' | 'project', name: string) =>
      request<void>('DELETE', `/api/policies/${scope}/${encodeURIComponent(name)}`),
    /** Formulas visible from `project` (a name or id); without one, the user's and the built-ins. */
    listFormulas: (project?: string) => request<FormulaListDto>('GET', `/api/formulas${query({ project })}`),
    getFormula: (name: string, project?: string) =>
      request<FormulaDto>('GET', `/api/formulas/${encodeURIComponent(name)}${query({ project })}`),
  };
}
