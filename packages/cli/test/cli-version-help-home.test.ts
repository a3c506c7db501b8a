import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_HELP } from "../src/command-help.js";
import { expandHome } from "../src/expand-home.js";
import { parseCommand } from "../src/parse-options.js";
import { cli, cliInProcess, ROOT, spawnCli } from "./support/run-cli.js";

const VERSION = (JSON.parse(await readFile(join(ROOT, "packages/cli/package.json"), "utf8")) as { version: string })
  .version;

describe("nocturne --version", () => {
  it("prints the version from package.json and exits 0, through the binary too", async () => {
    for (const flag of ["--version", "-V", "version"]) {
      const result = await cliInProcess([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${VERSION}\n`);
    }
    const binary = await cli(["--version"]);
    expect(binary.code).toBe(0);
    expect(binary.stdout.trim()).toBe(VERSION);
  });
});

describe("--help on every command", () => {
  it("prints each command's help on stdout with exit 0, before any option is checked", async () => {
    const invocations = [
      ["dream", "--help"],
      ["adopt", "-h"],
      ["import", "--help"],
      ["stores", "list", "--help"],
      ["sessions", "--help"],
      ["dreams", "show", "--help"],
      ["dream", "--memroy", "x", "--help"],
      ["serve", "--help"],
      ["serve", "keys", "create", "--help"],
      ["worker", "--help"],
    ];
    for (const args of invocations) {
      const result = await cliInProcess(args);
      expect(result.code, args.join(" ")).toBe(0);
      expect(result.stdout).toContain(`nocturne ${args[0]} —`);
      expect(result.stdout).toContain("Exit codes:");
      expect(result.stderr).toBe("");
    }
    expect(Object.keys(COMMAND_HELP).sort()).toEqual([
      "adopt",
      "dream",
      "dreams",
      "import",
      "serve",
      "sessions",
      "stores",
      "worker",
    ]);
  });
});

describe("~ in path options", () => {
  it("expands a leading ~ or ~/ to the home directory, after sqlite: too, and leaves other values alone", () => {
    expect(expandHome("~", "/home/ada")).toBe("/home/ada");
    expect(expandHome("~/notes", "/home/ada")).toBe("/home/ada/notes");
    expect(expandHome("sqlite:~/n.db", "/home/ada")).toBe("sqlite:/home/ada/n.db");
    expect(expandHome("~bob/notes", "/home/ada")).toBe("~bob/notes");
    expect(expandHome("./~/notes", "/home/ada")).toBe("./~/notes");
  });

  it("applies to path flags given as --flag value and --flag=value, multiple ones included", () => {
    const { values } = parseCommand("dream", ["--memory", "~/notes", "--out=~/out", "--sessions", "~/a", "~/b"], {
      memory: { type: "string" },
      out: { type: "string" },
      sessions: { type: "string", multiple: true },
    });
    expect(values).toEqual({
      memory: join(homedir(), "notes"),
      out: join(homedir(), "out"),
      sessions: [join(homedir(), "a"), join(homedir(), "b")],
    });
  });

  it("runs a dream whose --memory, --sessions and --out start with ~", async () => {
    const home = await mkdtemp(join(tmpdir(), "nocturne-home-"));
    try {
      const memory = join(ROOT, "examples/data/memory");
      const sessions = join(ROOT, "examples/data/sessions/2026-10-14-moved-to-berlin.session.json");
      await cp(memory, join(home, "notes"), { recursive: true });
      await cp(sessions, join(home, "moved.session.json"));
      const args = ["dream", "--memory=~/notes", "--sessions", "~/moved.session.json", "--out", "~/out"];
      const result = await spawnCli(args, undefined, { HOME: home }).done;
      expect(result.stderr).not.toMatch(/error \[/);
      expect(result.code).toBe(0);
      expect(await readdir(join(home, "out", ".nocturne"))).toContain("dream-completed.json");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
