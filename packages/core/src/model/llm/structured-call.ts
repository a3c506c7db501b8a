import { z } from "zod";
import { NocturneError } from "../../errors.js";
import type { ModelCallContext } from "../../ports/consolidation-model.js";
import type { ChatMessage, LanguageModel, StructuredOutputSpec, SystemSegment } from "../../ports/language-model.js";
import { Usage } from "../../schemas/common.js";

/** Problems a semantic check found in otherwise schema-valid output, phrased for the model to fix. */
export type OutputCheck<T> = (value: T) => string[];

/** One structured call: a prompt, the output it must produce, and how hard to try. */
export interface StructuredCall<T> {
  model: LanguageModel;
  system: SystemSegment[];
  prompt: string;
  spec: StructuredOutputSpec;
  schema: z.ZodType<T>;
  /** Semantic problems worth one more attempt; on the last attempt the output is returned as it is. */
  check?: OutputCheck<T>;
  context: ModelCallContext;
  /** Attempts after the first when the output is invalid. */
  outputRetries: number;
  maxOutputTokens: number;
  temperature: number;
}

const MAX_ECHO_CHARS = 6000;

/**
 * Calls the model for structured output and validates it with zod. Output that does not parse, violates the schema
 * or fails `check` is sent back with the problems listed, up to `outputRetries` times; schema-invalid output after
 * that throws a non-retryable `model_output_invalid` (it is never returned). Transport errors are thrown as they
 * are, for the pipeline's retry. The usage of every call, failed ones included, goes to `context.reportUsage`.
 */
export async function callStructured<T>(call: StructuredCall<T>): Promise<T> {
  const messages: ChatMessage[] = [{ role: "user", content: call.prompt }];
  let lastProblems: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= call.outputRetries;
    let text: string;
    let json: unknown;
    try {
      const result = await call.model.generate({
        system: call.system,
        messages: [...messages],
        output: call.spec,
        maxOutputTokens: call.maxOutputTokens,
        temperature: call.temperature,
        signal: call.context.signal,
      });
      call.context.reportUsage(result.usage);
      text = result.text;
      json = result.json;
      if (json === undefined) json = parseJson(text);
    } catch (thrown) {
      if (!NocturneError.isInstance(thrown, "model_output_invalid")) throw thrown;
      const usage = Usage.partial().safeParse(thrown.details.usage);
      if (usage.success) call.context.reportUsage(usage.data);
      text = typeof thrown.details.text === "string" ? thrown.details.text : "";
      const truncated = thrown.details.stopReason === "max_tokens" || thrown.details.stopReason === "length";
      lastProblems = [
        truncated
          ? "Your reply was cut off at the output limit before the JSON was complete. Answer again with fewer or shorter entries."
          : `Your reply was not valid JSON (${thrown.message}). Answer again with only the JSON.`,
      ];
      if (last) throw invalidOutput(call, attempt, lastProblems, thrown);
      pushFeedback(messages, text, lastProblems);
      continue;
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      lastProblems = [z.prettifyError(parsed.error)];
      if (last) throw invalidOutput(call, attempt, lastProblems, parsed.error);
      pushFeedback(messages, text || JSON.stringify(json), lastProblems);
      continue;
    }
    const problems = call.check?.(parsed.data) ?? [];
    if (problems.length === 0 || last) return parsed.data;
    pushFeedback(messages, text || JSON.stringify(json), problems);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new NocturneError("model_output_invalid", "The model's reply is not valid JSON.", {
      cause,
      retryable: true,
      details: { text },
    });
  }
}

function pushFeedback(messages: ChatMessage[], reply: string, problems: string[]): void {
  const echoed = reply.length > MAX_ECHO_CHARS ? `${reply.slice(0, MAX_ECHO_CHARS)}…` : reply;
  messages.push({ role: "assistant", content: echoed.trim() === "" ? "(no output)" : echoed });
  messages.push({
    role: "user",
    content: `Your previous reply was rejected:\n${problems.map((p) => `- ${p}`).join("\n")}\nFix these problems and answer the original task again in full, as JSON only.`,
  });
}

function invalidOutput<T>(call: StructuredCall<T>, attempt: number, problems: string[], cause: unknown): NocturneError {
  return new NocturneError(
    "model_output_invalid",
    `The model ${call.model.modelId} gave invalid "${call.spec.name}" output ${attempt + 1} times in a row; nothing from it was used. Try a stronger model or smaller chunks. Last problem: ${problems.join("; ").slice(0, 500)}`,
    { cause, retryable: false, details: { output: call.spec.name, attempts: attempt + 1, problems } },
  );
}
