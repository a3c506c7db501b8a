import type { AttributeDef } from "./vocabulary.js";

/** Ports a coding project's `.env` sets (`PORT=4117`); the value names them `port 4117`. */
const PORTS = Array.from({ length: 60 }, (_, i) => `port ${4101 + i * 7}`);

/**
 * Project facts of the coding scenario that live only in a tool result: a dependency version in a `package.json`
 * that was read, a port in a `.env`, a timeout in a config file. Each value also tells how the file writes it
 * ({@link fileLineOf}), and that line is the quote a model cites.
 */
export const CODING_ATTRIBUTES: readonly AttributeDef[] = [
  {
    id: "http_framework",
    kind: "fact",
    cardinality: "single",
    values: ["fastify 4.28.1", "express 4.19.2", "hono 4.5.1", "koa 2.15.3", "hapi 21.3.10", "restify 11.1.0"],
    canonical: (e, v) => `${e} is built on ${v}.`,
    wordings: [(e, v) => `${e} runs on ${v}.`],
    changes: [(e, v, d) => `On ${d} ${e} moved to ${v}.`],
    history: (e, v) => `${e} was on ${v} once.`,
  },
  {
    id: "service_port",
    kind: "fact",
    cardinality: "single",
    values: PORTS,
    canonical: (e, v) => `${e} listens on ${v}.`,
    wordings: [(e, v) => `${e} serves on ${v}.`],
    changes: [(e, v, d) => `Since ${d} ${e} listens on ${v}.`],
    history: (e, v) => `${e} used ${v} before.`,
  },
  {
    id: "request_timeout",
    kind: "fact",
    cardinality: "single",
    values: ["1500 ms", "2500 ms", "4000 ms", "7500 ms", "12000 ms", "30000 ms"],
    canonical: (e, v) => `${e} times out requests after ${v}.`,
    wordings: [(e, v) => `${e} gives up on a request after ${v}.`],
    changes: [(e, v, d) => `On ${d} the ${e} request timeout became ${v}.`],
    history: (e, v) => `${e} timed out after ${v} once.`,
  },
];

/** The line of a project file that states a coding attribute's value, exactly as the file writes it. */
export function fileLineOf(attribute: string, value: string): string {
  const [first = "", second = ""] = value.split(" ");
  switch (attribute) {
    case "http_framework":
      return `"${first}": "${second}"`;
    case "service_port":
      return `PORT=${second}`;
    case "request_timeout":
      return `requestTimeoutMs: ${first}`;
    default:
      throw new Error(`${attribute} is not a coding attribute`);
  }
}

/** Dependencies a manifest lists beside its framework (never one of the framework values). */
export const OTHER_DEPENDENCIES = [
  ["zod", "3.23.8"],
  ["pino", "9.3.2"],
  ["pg", "8.12.0"],
  ["ioredis", "5.4.1"],
  ["undici", "6.19.5"],
  ["dayjs", "1.11.12"],
  ["nanoid", "5.0.7"],
  ["lru-cache", "11.0.0"],
  ["yaml", "2.5.0"],
  ["p-limit", "6.1.0"],
] as const;

/** Dev dependencies of every manifest. */
export const DEV_DEPENDENCIES = [
  ["typescript", "5.5.4"],
  ["vitest", "2.0.5"],
  ["tsx", "4.16.5"],
  ["@types/node", "20.14.14"],
  ["@biomejs/biome", "1.8.3"],
] as const;
