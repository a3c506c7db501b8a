/**
 * What a {@link StorageDriver} declares it can do. `createDriverStorage` passes these on as the adapter's
 * capabilities.
 */
export interface DriverCapabilities {
  /** Data outlives the process. */
  persistent: boolean;
  /** Several processes may open the same storage at once, and `commit` stays atomic across them. */
  multiProcess: boolean;
}

/** A stored value and the version token the driver gave it when it was last written. */
export interface DriverEntry {
  key: string;
  value: unknown;
  /** Opaque; changes on every write of the key and never repeats for it. */
  version: string;
}

/**
 * One write of a commit. `expected` makes it conditional: `null` means the key must hold nothing, a version
 * means the key must hold exactly that version; absent means unconditional. Deleting a missing key is no error.
 */
export type DriverWrite =
  | { op: "put"; collection: string; key: string; value: unknown; expected?: string | null }
  | { op: "delete"; collection: string; key: string; expected?: string | null };

/** Which keys of a collection to list, in ascending key order. */
export interface DriverListOptions {
  /** Only keys that start with this string. */
  prefix?: string;
  /** Only keys after this one. */
  after?: string;
  /** At most this many entries. */
  limit: number;
}

/**
 * The small storage port: a key-value document store with optimistic concurrency, the way to put Nocturne on a
 * new backend without implementing the whole `StorageAdapter` (see `createDriverStorage`, which keeps every rule).
 *
 * Records live in named collections as JSON-compatible values. Keys compare by their UTF-8 bytes. The driver
 * owns the values it is given and may hand the same objects back: core never changes them.
 */
export interface StorageDriver {
  /** A short name for logs and errors, e.g. `json-file`. */
  readonly name: string;
  readonly capabilities: DriverCapabilities;
  /** The entry at `key`, or null. */
  get(collection: string, key: string): Promise<DriverEntry | null>;
  /** Entries in ascending UTF-8 byte order of their keys. */
  list(collection: string, options: DriverListOptions): Promise<DriverEntry[]>;
  /**
   * Applies every write or none. Resolves false, having applied nothing, when any `expected` does not hold; core
   * then reads again and retries. Rejects only when the backend fails.
   */
  commit(writes: DriverWrite[]): Promise<boolean>;
  /** Releases files, handles and connections. */
  close?(): Promise<void>;
}
