// A module resolution hook that adds the @nocturne/source export condition, so workspace packages resolve to their
// TypeScript sources when the CLI runs from a checkout without a build.
const CONDITION = "@nocturne/source";

export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes(CONDITION) ? context.conditions : [...context.conditions, CONDITION];
  return nextResolve(specifier, { ...context, conditions });
}
