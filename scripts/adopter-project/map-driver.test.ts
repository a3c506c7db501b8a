import { runAdapterConformance } from "@nocturne/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMapDriverAdapter } from "./map-driver.js";

runAdapterConformance(
  { describe, it, expect, beforeEach, afterEach },
  "map driver (adopter project)",
  async () => ({ adapter: createMapDriverAdapter() }),
  { memoryVersions: true },
);
