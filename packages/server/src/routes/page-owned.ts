import { HttpError } from "../http-error.js";
import { decodeCursor, encodeCursor } from "../page-cursor.js";
import type { PageBody } from "../route-kit.js";
import type { OwnedKind } from "../tenancy-store.js";
import type { WorkspaceAccess } from "../workspace-access.js";

/** What {@link pageOwned} needs. */
export interface PageOwnedOptions<T> {
  access: WorkspaceAccess;
  kind: OwnedKind;
  /** The list's name, bound into its cursors. */
  list: string;
  page: string | undefined;
  limit: number;
  descending: boolean;
  /** The resource shaped for the response, or null to leave it out (gone, or filtered away). */
  load: (id: string) => Promise<T | null>;
}

/**
 * One page of the resources a workspace owns, in the order the workspace got them, walking its index in the tenancy
 * file: the cursor is a position in that index, so filters never make a page skip or repeat an item.
 */
export async function pageOwned<T>(options: PageOwnedOptions<T>): Promise<PageBody<T>> {
  const { access, kind, list, limit, descending, load } = options;
  const at = decodeCursor(list, options.page);
  if (at !== undefined && (typeof at !== "number" || !Number.isInteger(at))) {
    throw new HttpError("invalid_request_error", "page: not a cursor of this list.");
  }
  let after = at;
  const kept: Array<{ item: T; seq: number }> = [];
  for (;;) {
    const rows = await access.ownedRows(kind, { afterSeq: after, descending, limit: 100 });
    if (rows.length === 0) break;
    for (const row of rows) {
      after = row.seq;
      const item = await load(row.id);
      if (item !== null) kept.push({ item, seq: row.seq });
      if (kept.length > limit) break;
    }
    if (kept.length > limit) break;
  }
  const more = kept.length > limit;
  const data = kept.slice(0, limit);
  const last = data.at(-1);
  return { data: data.map((entry) => entry.item), next_page: more && last ? encodeCursor(list, last.seq) : null };
}
