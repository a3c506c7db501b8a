import { type Dream, type DreamService, type MemoryActor, type MemoryStore, NocturneError } from "@nocturne/core";
import { HttpError } from "./http-error.js";
import { dreamIdOfRunSession } from "./run-sessions.js";
import type { ApiKeyRecord, OwnedKind, OwnedRow, TenancyStore } from "./tenancy-store.js";

/**
 * The one place tenancy is enforced: every route reaches a memory store, session or dream by id only through this,
 * so an id another workspace owns — or no one does — answers exactly as an id that does not exist (404), and
 * nothing of it is read or changed. Memories and memory versions are reached through their (checked) store.
 */
export class WorkspaceAccess {
  readonly key: ApiKeyRecord;
  private readonly tenancy: TenancyStore;
  private readonly nocturne: DreamService;

  constructor(key: ApiKeyRecord, tenancy: TenancyStore, nocturne: DreamService) {
    this.key = key;
    this.tenancy = tenancy;
    this.nocturne = nocturne;
  }

  /** The workspace the request acts in. */
  get workspace(): string {
    return this.key.workspace;
  }

  /** Who the request's memory writes are recorded as: the API key. */
  get actor(): MemoryActor {
    return { type: "api_actor", api_key_id: this.key.id };
  }

  /** Throws 403 `permission_error` for a read-only key. */
  requireWrite(): void {
    if (this.key.readOnly) {
      throw new HttpError(
        "permission_error",
        "This API key is read-only: it may not create, change or delete anything.",
      );
    }
  }

  /** Records a new resource as this workspace's. */
  claim(kind: OwnedKind, id: string): Promise<void> {
    return this.tenancy.claim(kind, id, this.workspace);
  }

  /** Records a new resource as this workspace's if it owns fewer than `max` of that kind (atomically). */
  claimUnderCap(kind: OwnedKind, id: string, max: number): Promise<boolean> {
    return this.tenancy.claimUnderCap(kind, id, this.workspace, max);
  }

  /** Forgets a deleted resource. */
  release(kind: OwnedKind, id: string): Promise<void> {
    return this.tenancy.release(kind, id);
  }

  /** The workspace's ids of a kind, in the order it got them, after a position. */
  ownedRows(
    kind: OwnedKind,
    options: { afterSeq?: number | undefined; descending: boolean; limit: number },
  ): Promise<OwnedRow[]> {
    return this.tenancy.owned(kind, this.workspace, {
      limit: options.limit,
      descending: options.descending,
      ...(options.afterSeq === undefined ? {} : { afterSeq: options.afterSeq }),
    });
  }

  /** How many ids of a kind the workspace owns. */
  count(kind: OwnedKind): Promise<number> {
    return this.tenancy.count(kind, this.workspace);
  }

  /** True when this workspace owns the id. */
  async owns(kind: OwnedKind, id: string): Promise<boolean> {
    return (await this.tenancy.ownerOf(kind, id)) === this.workspace;
  }

  /**
   * The workspace's memory store, or `memory_store_not_found`. A dream's output store belongs to the dream's
   * workspace: it is claimed the first time it is reached (its metadata names the dream that created it).
   */
  async store(id: string): Promise<MemoryStore> {
    const owner = await this.tenancy.ownerOf("memory_store", id);
    if (owner !== null && owner !== this.workspace) throw notFound("memory_store_not_found", "memory store", id);
    const store = await this.nocturne.storage.getMemoryStore(id);
    if (store === null) throw notFound("memory_store_not_found", "memory store", id);
    if (owner === null) {
      const dreamId = store.metadata.nocturne_dream_id;
      if (dreamId === undefined || !(await this.owns("dream", dreamId))) {
        throw notFound("memory_store_not_found", "memory store", id);
      }
      await this.claim("memory_store", id);
    }
    return store;
  }

  /** Checks the workspace owns the session, or `session_not_found`. */
  async session(id: string): Promise<void> {
    if (!(await this.owns("session", id))) throw notFound("session_not_found", "session", id);
  }

  /**
   * The dream a run session (a dream's `session_id`) belongs to, when this workspace owns that dream; else
   * `session_not_found`, as for any session id the workspace does not own.
   */
  async runSession(id: string): Promise<Dream> {
    const dreamId = dreamIdOfRunSession(id);
    if (dreamId === null || !(await this.owns("dream", dreamId))) throw notFound("session_not_found", "session", id);
    return this.dream(dreamId);
  }

  /** The workspace's dream, or `dream_not_found`. Its output store, once it has one, is claimed with it. */
  async dream(id: string): Promise<Dream> {
    if (!(await this.owns("dream", id))) throw notFound("dream_not_found", "dream", id);
    const dream = await this.nocturne.dreams.retrieve(id);
    await this.claimOutputs(dream);
    return dream;
  }

  /** Claims a dream's output stores for this workspace. */
  async claimOutputs(dream: Dream): Promise<void> {
    for (const output of dream.outputs) await this.claim("memory_store", output.memory_store_id);
  }
}

function notFound(
  code: "memory_store_not_found" | "session_not_found" | "dream_not_found",
  what: string,
  id: string,
): NocturneError {
  return new NocturneError(code, `No ${what} with id ${JSON.stringify(id)} in this workspace.`, { details: { id } });
}
