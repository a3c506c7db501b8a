import { runCli } from "./main.js";
import { nodeIo } from "./node-io.js";

process.exitCode = await runCli(process.argv.slice(2), nodeIo());
