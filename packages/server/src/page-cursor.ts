import { z } from "zod";
import { HttpError } from "./http-error.js";

/**
 * A list position handed out as `next_page` and taken back as `page`: which list it belongs to and where it is,
 * base64url-encoded JSON. A cursor that does not decode, or belongs to another list, is a 400.
 */
const Cursor = z.strictObject({ list: z.string().min(1), at: z.union([z.string(), z.number()]) });

/** Encodes a position in the list named `list`. */
export function encodeCursor(list: string, at: string | number): string {
  return Buffer.from(JSON.stringify({ list, at }), "utf8").toString("base64url");
}

/** Decodes a `page` parameter for the list named `list`; undefined when there is none. */
export function decodeCursor(list: string, page: string | undefined): string | number | undefined {
  if (page === undefined || page === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(page, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  const cursor = Cursor.safeParse(parsed);
  if (!cursor.success || cursor.data.list !== list) throw badCursor();
  return cursor.data.at;
}

function badCursor(): HttpError {
  return new HttpError(
    "invalid_request_error",
    "page: not a cursor of this list. Pass the next_page of the previous response unchanged, or leave page out.",
  );
}
