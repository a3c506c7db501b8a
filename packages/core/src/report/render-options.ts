/** A memory's content at one side of the dream, for the before/after view. */
export interface MemoryContent {
  path: string;
  content: string;
}

/** A session as the renderers describe it: where its time came from matters, since recency decides contradictions. */
export interface RenderedSessionInfo {
  id: string;
  title?: string | null;
  created_at: string;
  metadata?: Record<string, string>;
}

/** Options shared by the Markdown and HTML review reports. */
export interface ReportRenderOptions {
  /** The estimated cost of the dream's model calls (e.g. from a provider's price table); omitted when unknown. */
  cost?: { usd: number; note?: string } | null;
  /** The sessions the dream read, with metadata: shows which session times came from a file's modification time. */
  sessions?: RenderedSessionInfo[];
  /** Input memory contents, to show each memory as it was (secrets in them are redacted on the page). */
  before?: MemoryContent[];
  /** Output memory contents, to show each memory as written (secrets redacted on the page). */
  after?: MemoryContent[];
  /** Heading of the report. Default: `Dream <id>`. */
  title?: string;
}
