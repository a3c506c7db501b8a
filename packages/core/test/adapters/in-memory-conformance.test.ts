import { createInMemoryAdapter } from "@nocturne/core";
import { runAdapterConformance } from "@nocturne/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

runAdapterConformance({ describe, it, expect, beforeEach, afterEach }, "memory", () => ({
  adapter: createInMemoryAdapter(),
}));
