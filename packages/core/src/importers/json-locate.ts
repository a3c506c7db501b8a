import { lineAt } from "./decode-transcript.js";

const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 2000;

/** Character offset of the first syntax error in text that `JSON.parse` rejected (its messages do not always say). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text.charAt(i))) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        i++;
        const e = text.charAt(i);
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(e) || e === "") fail();
      } else if (c < " ") fail();
      i++;
    }
    fail();
  };
  const value = (depth: number): void => {
    skip();
    if (depth > MAX_DEPTH) fail();
    const c = text.charAt(i);
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      skip();
      if (text.charAt(i) === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === "{") {
          skip();
          if (text.charAt(i) !== '"') fail();
          string();
          skip();
          if (text.charAt(i) !== ":") fail();
          i++;
        }
        value(depth + 1);
        skip();
        if (text.charAt(i) === ",") {
          i++;
          continue;
        }
        if (text.charAt(i) === close) {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (match === null || match[0] === "") fail();
    i += match?.[0].length ?? 0;
  };
  try {
    value(0);
    skip();
    if (i < text.length) fail();
    return -1;
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.offset;
    throw stop;
  }
}

class JsonStop {
  constructor(readonly offset: number) {}
}

/** 1-based line of the first JSON syntax error in text. */
export function jsonErrorLine(text: string): number {
  const offset = jsonErrorOffset(text);
  return lineAt(text, offset < 0 ? text.length : offset);
}

/**
 * 1-based line where each element of an array starts: the root array (`member` null) or the array under a member
 * of the root object (`data`, `messages`, `events`). Lets errors in pretty-printed JSON name a line.
 */
export function arrayElementLines(text: string, member: string | null): number[] {
  const lines: number[] = [];
  const containers: string[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let lastString = "";
  let key: string | null = null;
  let target = -1;
  let awaiting = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "\n") line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') {
        inString = false;
        if (containers.length === 1) lastString = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (WHITESPACE.has(c)) continue;
    const depth = containers.length;
    if (awaiting && depth === target && c !== "]") {
      lines.push(line);
      awaiting = false;
    }
    if (c === '"') {
      inString = true;
      stringStart = i;
    } else if (c === "{" || c === "[") {
      containers.push(c);
      const isTarget =
        c === "[" &&
        target === -1 &&
        (member === null ? depth === 0 : depth === 1 && containers[0] === "{" && key === member);
      if (isTarget) {
        target = depth + 1;
        awaiting = true;
      }
    } else if (c === "}" || c === "]") {
      if (depth === target) target = -2;
      containers.pop();
    } else if (c === "," && depth === target) {
      awaiting = true;
    } else if (c === ":" && depth === 1) {
      key = lastString;
    }
  }
  return lines;
}
