import { createInMemoryAdapter, runAdapterConformance } from "@nocturne/core/testing";

runAdapterConformance("memory", () => ({ adapter: createInMemoryAdapter() }));
