/**
 * Applies the results of concurrent tasks in task order, whatever order they finish in: task `i`'s `apply` runs once
 * every task before it has applied (or given up), so what they add to shared state comes out the same on every run.
 * A task that fails calls `apply(index)` with nothing, so the tasks after it still apply.
 */
export function inOrder(): (index: number, apply?: () => void) => void {
  const waiting = new Map<number, () => void>();
  let next = 0;
  return (index, apply = () => {}) => {
    waiting.set(index, apply);
    for (let ready = waiting.get(next); ready !== undefined; ready = waiting.get(next)) {
      waiting.delete(next);
      next++;
      ready();
    }
  };
}
