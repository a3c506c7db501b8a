// Public API of @nocturne/cli: run the command from code, with your own streams.
export type { CliIo, OutputStream } from "./cli-io.js";
export type { AdoptPlan } from "./commands/adopt.js";
export { EXIT_CODES } from "./exit-codes.js";
export { runCli } from "./main.js";
export { nodeIo } from "./node-io.js";
