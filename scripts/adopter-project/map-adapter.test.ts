import { runAdapterConformance } from "@nocturne/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MapAdapter } from "./map-adapter.js";

runAdapterConformance({ describe, it, expect, beforeEach, afterEach }, "map (adopter project)", async () => ({
  adapter: new MapAdapter(),
}));
