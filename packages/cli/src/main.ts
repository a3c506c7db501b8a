import type { CliIo } from "./cli-io.js";
import { commandHelp } from "./command-help.js";
import { adoptCommand } from "./commands/adopt.js";
import { dreamLocal } from "./commands/dream-local.js";
import { dreamStored } from "./commands/dream-stored.js";
import { dreamsCommand } from "./commands/dreams.js";
import { importCommand } from "./commands/import.js";
import { serveCommand } from "./commands/serve.js";
import { listCommand } from "./commands/stores.js";
import { workerCommand } from "./commands/worker.js";
import { EXIT_CODES, exitCodeFor, usageError } from "./exit-codes.js";
import { printError } from "./print-error.js";
import { USAGE } from "./usage.js";
import { cliVersion } from "./version.js";

/**
 * Runs the `nocturne` command with its arguments (without `node` and the script) and returns the exit code:
 * 0 the dream completed, 1 it failed or was canceled, 2 bad usage or bad input. `--version` prints the version;
 * `--help` (or `-h`) after any command prints that command's help.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const json = argv.includes("--json");
  const help = command === undefined ? undefined : commandHelp(command);
  if (help !== undefined && rest.some((arg) => arg === "--help" || arg === "-h")) {
    io.stdout.write(help);
    return EXIT_CODES.ok;
  }
  try {
    switch (command) {
      case "--version":
      case "-V":
      case "version":
        io.stdout.write(`${cliVersion()}\n`);
        return EXIT_CODES.ok;
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(USAGE);
        return EXIT_CODES.ok;
      case undefined:
        io.stderr.write(USAGE);
        return EXIT_CODES.badInput;
      case "dream":
        return rest.some((arg) => arg === "--storage" || arg.startsWith("--storage="))
          ? await dreamStored(rest, io)
          : await dreamLocal(rest, io);
      case "dreams":
        return await dreamsCommand(rest, io);
      case "stores":
      case "sessions":
        return await listCommand(command, rest, io);
      case "import":
        return await importCommand(rest, io);
      case "adopt":
        return await adoptCommand(rest, io);
      case "serve":
        return await serveCommand(rest, io);
      case "worker":
        return await workerCommand(rest, io);
      default:
        throw usageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    printError(io, error, json);
    return exitCodeFor(error);
  }
}
