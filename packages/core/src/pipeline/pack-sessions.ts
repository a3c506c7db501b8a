import type { Chunk } from "../schemas/facts.js";
import { LINE_OVERHEAD_TOKENS } from "./chunk-transcript.js";

/**
 * Packs small sessions into shared chunks so a dream's extraction calls scale with its tokens, not its sessions. A
 * session that fits in one chunk is small; small sessions are packed in order, whole, into chunks of at most `budget`
 * tokens (each session adds one `<transcript>` header). Every line keeps its own session id, so evidence still cites
 * each session's events; a session whose event ids repeat one already in the chunk starts a new chunk, so an event id
 * names one event in every chunk. Sessions split across several chunks keep their chunks as they are.
 */
export function packSessions(sessions: readonly Chunk[][], budget: number): Chunk[] {
  const packed: Chunk[] = [];
  let open: { members: Chunk[]; tokens: number; ids: Set<string> } | null = null;
  const close = () => {
    if (open === null) return;
    const [first, ...rest] = open.members;
    if (first && rest.length === 0) packed.push(first);
    else if (first) {
      packed.push({
        key: `${first.key}+${rest.length}`,
        sessionId: first.sessionId,
        index: 0,
        lines: open.members.flatMap((member) => member.lines),
        tokens: open.tokens,
      });
    }
    open = null;
  };
  for (const chunks of sessions) {
    const [only] = chunks;
    if (chunks.length !== 1 || only === undefined) {
      packed.push(...chunks);
      continue;
    }
    const tokens = only.tokens + LINE_OVERHEAD_TOKENS;
    const ids = new Set(only.lines.map((line) => line.eventId));
    const clash = open !== null && [...ids].some((id) => open?.ids.has(id));
    if (open !== null && (clash || open.tokens + tokens > budget)) close();
    if (open === null) open = { members: [], tokens: 0, ids: new Set() };
    open.members.push(only);
    open.tokens += tokens;
    for (const id of ids) open.ids.add(id);
  }
  close();
  return packed;
}
