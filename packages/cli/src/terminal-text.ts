// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text safe to print on a terminal: control characters (escape sequences could move the cursor, recolour or retitle
 * the terminal) become `?`. Transcript text is untrusted.
 */
export function safeText(text: string): string {
  return text.replace(CONTROL, "?");
}
