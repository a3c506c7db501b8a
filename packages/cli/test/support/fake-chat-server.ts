import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How the fake server answers: normally, after a delay per extraction, holding extractions until `release()`,
 * hanging until the client gives up, or failing.
 */
export type FakeMode = "normal" | "slow" | "hold" | "hang" | "reject";

/** A loopback server speaking OpenAI chat completions, answering like a simple model would. */
export interface FakeChatServer {
  url: string;
  /** `--model` value that points the CLI at this server. */
  modelSpec: string;
  requests: number;
  /** Extraction calls waiting in `hold` mode. */
  held: number;
  setMode(mode: FakeMode): void;
  /** Answers the held extractions and every later call normally. */
  release(): void;
  close(): Promise<void>;
}

/** An event line of a transcript prompt (`e12 user: text`) with the lines continuing it. */
const EVENT = /^(e\d+) (\w+)(?: part \d+)?: (.*(?:\n(?!e\d+ \w+(?: part \d+)?: |@ |<\/transcript>).*)*)/gm;
const MEMORY = /<memory id="((?:[^"\\]|\\.)*)"[^>]*>\n([\s\S]*?)\n<\/memory>/g;
const PAIR = /<pair id="((?:[^"\\]|\\.)*)"/g;

function words(text: string): string | null {
  return /[A-Za-z]{3,}(?: [A-Za-z]{3,}){0,3}/.exec(text)?.[0] ?? null;
}

function fact(eventId: string, text: string) {
  const quote = words(text);
  if (quote === null) return null;
  const statement = text
    .replace(/^[-*]\s*/, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
  const key = `note.${createHash("sha256").update(statement.toLowerCase()).digest("hex").slice(0, 10)}`;
  return { key, topic: "notes", statement, kind: "fact", evidence: [{ event_id: JSON.parse(`"${eventId}"`), quote }] };
}

/** The structured reply a simple model would give to one of Nocturne's calls. */
function reply(name: string, prompt: string): unknown {
  if (name === "record_facts") {
    const facts = [];
    for (const [, id, role, text] of prompt.matchAll(EVENT)) {
      if (role === "user" && id && text && /\b(prefer|remember|switched|moved|use)\b/i.test(text))
        facts.push(fact(id, text));
    }
    for (const [, id, content] of prompt.matchAll(MEMORY)) {
      for (const line of (content ?? "").split("\n")) if (id && line.startsWith("- ")) facts.push(fact(id, line));
    }
    return { facts: facts.filter((item) => item !== null) };
  }
  if (name === "record_verdicts") {
    return { verdicts: [...prompt.matchAll(PAIR)].map(([, id]) => ({ id: JSON.parse(`"${id}"`), same: false })) };
  }
  return { insights: [] };
}

async function body(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Starts the fake server on 127.0.0.1 and a free port. */
export async function startFakeChatServer(initial: FakeMode = "normal"): Promise<FakeChatServer> {
  let mode = initial;
  const state = { requests: 0 };
  const held: Array<() => void> = [];
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    state.requests++;
    const payload = JSON.parse(await body(request)) as {
      messages: Array<{ role: string; content: string }>;
      response_format?: { json_schema?: { name?: string } };
    };
    const name = payload.response_format?.json_schema?.name ?? "";
    if (mode === "reject") {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { message: "model 'fake' does not exist", type: "invalid_request_error" } }),
      );
      return;
    }
    if (name === "record_facts" && mode === "hang") return;
    if (name === "record_facts" && mode === "hold") await new Promise<void>((resolve) => held.push(resolve));
    if (name === "record_facts" && mode === "slow") await new Promise((resolve) => setTimeout(resolve, 700));
    const prompt = payload.messages.map((message) => message.content).join("\n");
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        id: "chatcmpl-fake",
        object: "chat.completion",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: JSON.stringify(reply(name, prompt)) },
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: 40 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/v1`;
  return {
    url,
    modelSpec: `openai:fake-model@${url}`,
    get requests() {
      return state.requests;
    },
    get held() {
      return held.length;
    },
    setMode(next) {
      mode = next;
    },
    release() {
      mode = "normal";
      for (const resolve of held.splice(0)) resolve();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
