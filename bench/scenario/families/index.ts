import { backfillFamily } from "./backfill.js";
import { chainedFamily } from "./chained.js";
import { compoundFamily } from "./compound.js";
import { distinctEntitiesFamily } from "./distinct-entities.js";
import type { FamilyName, FamilyOptions, FamilyScenario } from "./kit.js";
import { multiValuedFamily } from "./multi-valued.js";
import { roleSwapsFamily } from "./role-swaps.js";

export { FamilyName, type FamilyOptions, type FamilyScenario } from "./kit.js";

const GENERATORS: Record<FamilyName, (options: FamilyOptions) => FamilyScenario> = {
  "multi-valued": multiValuedFamily,
  "role-swaps": roleSwapsFamily,
  "distinct-entities": distinctEntitiesFamily,
  compound: compoundFamily,
  backfill: backfillFamily,
  chained: chainedFamily,
};

/** Generates a resolution family's scenario. Deterministic: the same options always give the same scenario. */
export function generateFamily(family: FamilyName, options: FamilyOptions): FamilyScenario {
  return GENERATORS[family](options);
}
