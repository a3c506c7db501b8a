import { NocturneError } from "@nocturne/core";

/** Longest encoded id used as a file name, leaving room for suffixes under the usual 255-byte limit. */
const MAX_NAME_LENGTH = 240;

/**
 * A file name for an id (session or dream): letters, digits, `_` and `-` stay; every other byte is `%XX`, so
 * names never hold `/`, never start with a dot, and decode back to the exact id.
 */
export function encodeIdName(id: string, what: string): string {
  let name = "";
  for (const byte of Buffer.from(id, "utf8")) {
    const char = String.fromCharCode(byte);
    name += /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new NocturneError(
      "invalid_input",
      `The ${what} id ${JSON.stringify(id.slice(0, 80))} cannot be stored as a file: use 1 to about 200 characters.`,
      { details: { id } },
    );
  }
  return name;
}

/** The id a file name stands for, or null when the name is not one this adapter wrote. */
export function decodeIdName(name: string): string | null {
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(name)) return null;
  try {
    return decodeURIComponent(name);
  } catch {
    return null;
  }
}
