import { readFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";
import {
  DreamTimeoutMs,
  MAX_INSTRUCTIONS_LENGTH,
  MIN_TOOL_RESULT_TOKENS,
  NocturneError,
  ToolResultTokens,
} from "@nocturne/core";
import { usageError } from "./exit-codes.js";
import { expandHome, PATH_OPTIONS } from "./expand-home.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * Lets a `multiple` option take several values after one flag (`--sessions a.json b.json dir/`), as the usage shows:
 * the values run until the next `--flag`. Rewritten as one flag per value for `parseArgs`.
 */
export function expandVariadic(args: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    out.push(arg);
    if (!names.some((name) => arg === `--${name}`)) continue;
    const value = args[i + 1];
    if (value === undefined || value.startsWith("--")) continue;
    out.push(value);
    i++;
    while (i + 1 < args.length && !(args[i + 1] ?? "").startsWith("--")) {
      out.push(arg, args[i + 1] ?? "");
      i++;
    }
  }
  return out;
}

/**
 * Parses one command's arguments strictly; unknown or malformed options are usage errors (exit 2). A leading `~`
 * in a path option's value (`--memory ~/notes`, `--out=~/x`) is expanded to the home directory.
 */
export function parseCommand<O extends Options>(command: string, args: string[], options: O): Parsed<O> {
  const variadic = Object.entries(options)
    .filter(([, option]) => option.multiple === true)
    .map(([name]) => name);
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: expandVariadic(args, variadic), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`nocturne ${command}: ${(error as Error).message}.`);
  }
  const values: Record<string, unknown> = parsed.values;
  for (const name of PATH_OPTIONS) {
    const value = values[name];
    if (typeof value === "string") values[name] = expandHome(value);
    else if (Array.isArray(value))
      values[name] = value.map((item) => (typeof item === "string" ? expandHome(item) : item));
  }
  return parsed;
}

/** The options every dream-running command takes. */
export const DREAM_OPTIONS = {
  instructions: { type: "string" },
  "instructions-file": { type: "string" },
  model: { type: "string" },
  concurrency: { type: "string" },
  "tool-result-tokens": { type: "string" },
  timeout: { type: "string" },
  report: { type: "string" },
  json: { type: "boolean" },
} as const satisfies Options;

/** The dream settings read from {@link DREAM_OPTIONS}. */
export interface DreamSettings {
  instructions: string;
  model: string;
  concurrency: number | undefined;
  /** Most tokens of one tool result extraction reads (`--tool-result-tokens`), or undefined for the default. */
  toolResultTokens: ToolResultTokens | undefined;
  /** The dream's runtime budget in milliseconds (`--timeout`), or undefined for the engine's default. */
  timeoutMs: number | undefined;
  report: string | undefined;
}

/** Reads and checks the dream options: one source of instructions, a positive concurrency, a known report type. */
export async function dreamSettings(values: {
  instructions?: string | undefined;
  "instructions-file"?: string | undefined;
  model?: string | undefined;
  concurrency?: string | undefined;
  "tool-result-tokens"?: string | undefined;
  timeout?: string | undefined;
  report?: string | undefined;
}): Promise<DreamSettings> {
  if (values.instructions !== undefined && values["instructions-file"] !== undefined) {
    throw usageError("Give --instructions or --instructions-file, not both.");
  }
  let instructions = values.instructions ?? "";
  const file = values["instructions-file"];
  if (file !== undefined) {
    instructions = await readFile(file, "utf8").catch((error: unknown) => {
      throw new NocturneError(
        "invalid_input",
        `Cannot read the instructions file ${file}: ${(error as Error).message}.`,
        {
          cause: error,
        },
      );
    });
  }
  if (instructions.length > MAX_INSTRUCTIONS_LENGTH) {
    throw new NocturneError(
      "instructions_too_long",
      `The instructions are ${instructions.length} characters; a dream takes at most ${MAX_INSTRUCTIONS_LENGTH}. Shorten them.`,
    );
  }
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw usageError(`--concurrency must be a whole number from 1 to 64, not "${values.concurrency}".`);
    }
  }
  const toolResultTokens = toolResultTokensFlag(values["tool-result-tokens"]);
  if (values.report !== undefined) reportKind(values.report);
  const timeoutMs = values.timeout === undefined ? undefined : durationMs(values.timeout);
  return {
    instructions,
    model: values.model ?? "offline",
    concurrency,
    toolResultTokens,
    timeoutMs,
    report: values.report,
  };
}

/** `--tool-result-tokens 0 | <n ≥ 100>`, checked with the engine's own schema; undefined when left out. */
function toolResultTokensFlag(text: string | undefined): ToolResultTokens | undefined {
  if (text === undefined) return undefined;
  const parsed = ToolResultTokens.safeParse(/^\d+$/.test(text.trim()) ? Number(text) : Number.NaN);
  if (!parsed.success) {
    throw usageError(
      `--tool-result-tokens must be 0 (read tool output in full) or a whole number of at least ${MIN_TOOL_RESULT_TOKENS}, not "${text}".`,
    );
  }
  return parsed.data;
}

const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `--timeout 90s | 30m | 2h | 500ms` (a bare number is seconds) in milliseconds, within what a dream takes. */
export function durationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = match
    ? Math.round(Number(match[1]) * DURATION_UNITS[(match[2] ?? "s") as keyof typeof DURATION_UNITS])
    : 0;
  if (!DreamTimeoutMs.safeParse(ms).success) {
    throw usageError(`--timeout must be a duration such as 90s, 30m or 2h (at most 24 days), not "${text}".`);
  }
  return ms;
}

/** Which renderer a report file name asks for. */
export function reportKind(file: string): "markdown" | "html" {
  if (/\.(md|markdown)$/i.test(file)) return "markdown";
  if (/\.html?$/i.test(file)) return "html";
  throw usageError(`--report must name a .md or .html file, not "${file}".`);
}
