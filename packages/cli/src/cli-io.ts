/** A stream the CLI writes to. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the CLI touches outside itself, so tests and embedders can supply their own. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Registers a handler for Ctrl-C (SIGINT) and for SIGTERM and SIGHUP alike; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
  /** Asks a yes/no question on a terminal; resolves false when there is none. */
  confirm(question: string): Promise<boolean>;
  /** Ends the process at once (a second Ctrl-C). */
  exit(code: number): void;
}
