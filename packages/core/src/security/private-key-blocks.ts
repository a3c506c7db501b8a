/** A range of text `[start, end)` to redact, and the kind of secret it holds. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: string;
}

const BEGIN = /-----BEGIN [A-Z0-9 ]{0,60}PRIVATE KEY(?: BLOCK)?-----/g;
const END_MARKER = /-----END [A-Z0-9 ]{0,60}PRIVATE KEY(?: BLOCK)?-----/y;

/** Characters a key body may hold: base64, whitespace, JSON/C escapes (`\n`) and PEM header lines (`Proc-Type: 4,ENCRYPTED`). */
function isBodyChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2b || // +
    code === 0x2f || // /
    code === 0x3d || // =
    code === 0x5c || // backslash of an escaped newline
    code === 0x3a || // :
    code === 0x2c || // ,
    code === 0x2e || // .
    code === 0x2d || // -
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d
  );
}

/** A run of this many base64 characters is key material; shorter runs after a cut-off key are taken for prose. */
const MIN_KEY_LINE = 16;

function isBase64Char(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2b ||
    code === 0x2f ||
    code === 0x3d
  );
}

/**
 * Finds private key blocks (PEM `-----BEGIN … PRIVATE KEY-----`, OpenSSH, PGP private key blocks), including ones
 * embedded in JSON with `\n` escapes and ones cut short with no END line. A block runs from its BEGIN line to its
 * END line; a block with no END line runs to the end of its last run of 16 or more base64 characters, so prose after a
 * cut-off key is kept. One pass over the text: linear time.
 */
export function findPrivateKeyBlocks(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  BEGIN.lastIndex = 0;
  for (let match = BEGIN.exec(text); match !== null; match = BEGIN.exec(text)) {
    const headerEnd = match.index + match[0].length;
    let end = headerEnd;
    let run = 0;
    for (let cursor = headerEnd; cursor < text.length; cursor++) {
      if (text.startsWith("-----", cursor)) {
        END_MARKER.lastIndex = cursor;
        const closing = END_MARKER.exec(text);
        if (closing !== null) end = cursor + closing[0].length;
        break;
      }
      const code = text.charCodeAt(cursor);
      if (!isBodyChar(code)) break;
      run = isBase64Char(code) ? run + 1 : 0;
      if (run >= MIN_KEY_LINE) end = cursor + 1;
    }
    spans.push({ start: match.index, end, kind: "private_key" });
    BEGIN.lastIndex = end;
  }
  return spans;
}
