const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe to put in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g;

/**
 * Text safe to put inline in Markdown: one line, control characters (terminal escapes) as `?`, and every character
 * that could start markup (emphasis, links, HTML, code, tables, headings) escaped, `_` only where it could open or
 * close emphasis. Transcript text renders as the words it is.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(CONTROL, "?")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*[\]<>|~#&]/g, (char) => `\\${char}`)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_");
}

/** Text as an inline Markdown code span, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const flat = text.replace(CONTROL, "?").replace(/\s+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
