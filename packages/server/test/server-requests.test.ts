import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerFixture, startFixture } from "./support/server-fixture.js";

let fixture: ServerFixture;

beforeAll(async () => {
  fixture = await startFixture({ limits: { maxBodyBytes: 64 * 1024, maxMemoryStoresPerWorkspace: 3 } });
});
afterAll(async () => {
  await fixture.close();
});

async function errorOf(response: Response): Promise<{ status: number; type: string; message: string }> {
  const body = (await response.json()) as { type: string; error: { type: string; message: string } };
  expect(body.type).toBe("error");
  return { status: response.status, type: body.error.type, message: body.error.message };
}

const post = (path: string, body: string, workspace = "acme") =>
  fixture.fetchAs(workspace, path, { method: "POST", body });

describe("nocturne serve: request checking", () => {
  it("malformed JSON is a 400 invalid_request_error", async () => {
    expect(await errorOf(await post("/v1/memory_stores", "{not json"))).toMatchObject({
      status: 400,
      type: "invalid_request_error",
    });
  });

  it("unknown fields and wrong types are a 400 naming the field", async () => {
    const unknown = await errorOf(await post("/v1/memory_stores", JSON.stringify({ name: "a", colour: "red" })));
    expect(unknown).toMatchObject({ status: 400, type: "invalid_request_error" });
    expect(unknown.message).toContain("colour");
    const wrong = await errorOf(await post("/v1/dreams", JSON.stringify({ inputs: "x", model: "offline" })));
    expect(wrong).toMatchObject({ status: 400, type: "invalid_request_error" });
    expect(wrong.message).toContain("body.inputs");
    const nested = await errorOf(
      await post(
        "/v1/dreams",
        JSON.stringify({
          inputs: [
            { type: "memory_store", memory_store_id: "memstore_x", colour: "red" },
            { type: "sessions", session_ids: ["sesn_x"] },
          ],
          model: "offline",
        }),
      ),
    );
    expect(nested).toMatchObject({ status: 400, type: "invalid_request_error" });
    expect(nested.message).toContain("colour");
    const query = await errorOf(await fixture.fetchAs("acme", "/v1/dreams?colour=red"));
    expect(query).toMatchObject({ status: 400, type: "invalid_request_error" });
    const limit = await errorOf(await fixture.fetchAs("acme", "/v1/dreams?limit=0"));
    expect(limit).toMatchObject({ status: 400, type: "invalid_request_error" });
  });

  it("a body over the limit is a 413 request_too_large", async () => {
    const big = JSON.stringify({ name: "a", description: "x".repeat(100 * 1024) });
    expect(await errorOf(await post("/v1/memory_stores", big))).toMatchObject({
      status: 413,
      type: "request_too_large",
    });
  });

  it("a cursor that is not one of this list's is a 400", async () => {
    for (const page of ["garbage", Buffer.from('{"list":"sessions","at":1}').toString("base64url")]) {
      const response = await fixture.fetchAs("acme", `/v1/dreams?page=${page}`);
      expect(await errorOf(response)).toMatchObject({ status: 400, type: "invalid_request_error" });
    }
    const store = (await (await post("/v1/memory_stores", JSON.stringify({ name: "c" }))).json()) as { id: string };
    const response = await fixture.fetchAs("acme", `/v1/memory_stores/${store.id}/memories?page=garbage`);
    expect(await errorOf(response)).toMatchObject({ status: 400, type: "invalid_request_error" });
  });

  it("a broken transcript is a 400 naming the problem; nothing is stored", async () => {
    const response = await post("/v1/sessions/import", JSON.stringify({ transcript: "{broken" }));
    expect(await errorOf(response)).toMatchObject({ status: 400, type: "invalid_request_error" });
    const sessions = (await (await fixture.fetchAs("acme", "/v1/sessions")).json()) as { data: unknown[] };
    expect(sessions.data).toEqual([]);
  });

  it("a workspace past its memory store cap gets memory_store_org_limit_exceeded", async () => {
    const results: number[] = [];
    for (let i = 0; i < 4; i++) {
      results.push((await post("/v1/memory_stores", JSON.stringify({ name: `s${i}` }), "capped")).status);
    }
    expect(results).toEqual([200, 200, 200, 400]);
    const over = await errorOf(await post("/v1/memory_stores", JSON.stringify({ name: "over" }), "capped"));
    expect(over.type).toBe("invalid_request_error");
    expect(over.message).toContain("memory_store_org_limit_exceeded");
  });

  it("concurrent creates cannot pass the memory store cap together", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post("/v1/memory_stores", JSON.stringify({ name: `r${i}` }), "racing").then((response) => response.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 400)).toHaveLength(5);
  });

  it("an unknown route is a 404 in the hosted envelope", async () => {
    expect(await errorOf(await fixture.fetchAs("acme", "/v1/nothing-here"))).toMatchObject({
      status: 404,
      type: "not_found_error",
    });
  });

  it("accepts the SDK's anthropic-beta and anthropic-version headers", async () => {
    const response = await fixture.fetchAs("acme", "/v1/dreams", {
      headers: { "anthropic-beta": "dreaming-2026-04-21,agent-memory-2026-07-22", "anthropic-version": "2023-06-01" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: [], next_page: null });
  });
});

describe("nocturne serve: rate limit", () => {
  it("answers 429 rate_limit_error with retry-after once a key's bucket is empty", async () => {
    const limited = await startFixture({ limits: { requestsPerSecond: 0.01, burst: 3 } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await limited.fetchAs("acme", "/v1/dreams");
        statuses.push(response.status);
        if (response.status === 429) {
          retryAfter = response.headers.get("retry-after");
          expect(await errorOf(response)).toMatchObject({ type: "rate_limit_error" });
        }
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another key has its own bucket.
      expect((await limited.fetchAs("globex", "/v1/dreams")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
