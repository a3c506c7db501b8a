import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { createNocturne, type LanguageModel, type Nocturne, type StorageAdapter } from "@nocturne/core";
import { issueApiKey, type RunningServer, type ServerLimits, startServer, type TenancyStore } from "../../src/index.js";
import { openTenancyStore } from "../../src/tenancy-store.js";

/** A server on an ephemeral port over a fresh SQLite file in a temp folder, and what tests need around it. */
export interface ServerFixture {
  server: RunningServer;
  nocturne: Nocturne;
  tenancy: TenancyStore;
  dir: string;
  /** An SDK client with a new key of `workspace`. */
  client(workspace: string, options?: { readOnly?: boolean }): Promise<Anthropic>;
  /** A raw fetch against the server with a key of `workspace`. */
  fetchAs(workspace: string, path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a server; `storage` (given the temp folder) defaults to a SQLite file in the temp folder. */
export async function startFixture(
  options: {
    limits?: ServerLimits;
    model?: LanguageModel;
    storage?: (dir: string) => StorageAdapter | Promise<StorageAdapter>;
    /** The tenancy store; default a SQLite file in the temp folder. */
    tenancy?: () => Promise<TenancyStore>;
  } = {},
): Promise<ServerFixture> {
  const dir = mkdtempSync(join(tmpdir(), "nocturne-server-"));
  const storage = options.storage
    ? await options.storage(dir)
    : createSqliteAdapter({ file: join(dir, "nocturne.db") });
  const nocturne = createNocturne({ storage, ...(options.model === undefined ? {} : { model: options.model }) });
  const tenancy = options.tenancy ? await options.tenancy() : openTenancyStore(join(dir, "tenancy.db"));
  const server = await startServer({
    nocturne,
    tenancy,
    port: 0,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const keys = new Map<string, Promise<string>>();
  const keyOf = (workspace: string) => {
    let key = keys.get(workspace);
    if (key === undefined) {
      key = issueApiKey(tenancy, workspace).then((issued) => issued.key);
      keys.set(workspace, key);
    }
    return key;
  };
  return {
    server,
    nocturne,
    tenancy,
    dir,
    async client(workspace, clientOptions = {}) {
      const key = clientOptions.readOnly
        ? (await issueApiKey(tenancy, workspace, { readOnly: true })).key
        : await keyOf(workspace);
      return new Anthropic({ apiKey: key, baseURL: server.url, maxRetries: 0 });
    },
    async fetchAs(workspace, path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("x-api-key", await keyOf(workspace));
      if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
      return fetch(`${server.url}${path}`, { ...init, headers });
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A hosted Managed Agents transcript (`{"data": [events]}`) in which the user says each line. */
export function hostedTranscript(lines: string[], startMs = Date.now() + 60_000): string {
  const events = lines.flatMap((text, index) => [
    {
      id: `evt_u${index}`,
      type: "user.message",
      processed_at: new Date(startMs + index * 120_000).toISOString(),
      content: [{ type: "text", text }],
    },
    {
      id: `evt_a${index}`,
      type: "agent.message",
      processed_at: new Date(startMs + index * 120_000 + 60_000).toISOString(),
      content: [{ type: "text", text: "Noted." }],
    },
  ]);
  return JSON.stringify({ data: events });
}

/** A session imported through the server; returns its id. */
export async function importSession(fixture: ServerFixture, workspace: string, lines: string[]): Promise<string> {
  const response = await fixture.fetchAs(workspace, "/v1/sessions/import", {
    method: "POST",
    body: JSON.stringify({ transcript: hostedTranscript(lines) }),
  });
  if (response.status !== 200) throw new Error(`import failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
