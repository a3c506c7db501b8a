/** A dream's runtime budget: its length, and the moment (epoch milliseconds) it runs out. */
export interface DreamBudget {
  timeoutMs: number;
  deadline: number;
}

/** True once the dream's budget has run out. */
export function overBudget(budget: DreamBudget): boolean {
  return Date.now() >= budget.deadline;
}
