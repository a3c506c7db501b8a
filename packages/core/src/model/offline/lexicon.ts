import { keyWords, type Token } from "./text-tokens.js";

/**
 * A subject the offline model knows by name: statements that choose one of its `values` (or name one of its `nouns`
 * as their subject) get its `key`, so a later choice supersedes an earlier one.
 */
export interface Category {
  key: string;
  /** The memory file its facts go to. */
  topic: string;
  /** Words that name the subject ("package manager"). */
  nouns: string[];
  /** Words that are a choice of it ("pnpm"). Matched as whole words, up to three words long. */
  values: string[];
  /** When the values are common words (e.g. `main`), a value only counts if a noun is present too. */
  valuesNeedNoun?: boolean;
}

/** Every category the offline model recognises. Order matters only for ties: the first listed wins. */
export const CATEGORIES: readonly Category[] = [
  {
    key: "tooling.package_manager",
    topic: "tooling",
    nouns: ["package manager", "js package manager", "node package manager"],
    values: ["npm", "pnpm", "yarn", "bun"],
  },
  {
    key: "tooling.python_packaging",
    topic: "tooling",
    nouns: ["python package manager", "python packaging"],
    values: ["pip", "pipenv", "poetry", "uv", "conda", "pdm", "hatch"],
  },
  {
    key: "tooling.editor",
    topic: "tooling",
    nouns: ["editor", "ide", "code editor", "text editor"],
    values: [
      "vim",
      "neovim",
      "nvim",
      "emacs",
      "vscode",
      "vs code",
      "visual studio code",
      "cursor",
      "zed",
      "intellij",
      "intellij idea",
      "webstorm",
      "pycharm",
      "goland",
      "rubymine",
      "sublime",
      "sublime text",
      "helix",
      "xcode",
      "android studio",
      "visual studio",
      "nano",
    ],
  },
  {
    key: "style.indentation",
    topic: "preferences",
    nouns: ["indentation", "indent", "indent style", "indent size", "indent width", "indents"],
    values: ["tabs", "tab", "spaces", "2 spaces", "two spaces", "4 spaces", "four spaces", "hard tabs", "soft tabs"],
  },
  {
    key: "style.quotes",
    topic: "preferences",
    nouns: ["quote style", "quotes", "string quotes"],
    values: ["single quotes", "double quotes", "single-quotes", "double-quotes"],
  },
  {
    key: "style.theme",
    topic: "preferences",
    nouns: ["theme", "color scheme", "colour scheme", "colorscheme"],
    values: ["dark mode", "light mode", "dark theme", "light theme", "solarized", "dracula", "gruvbox", "nord"],
  },
  {
    key: "tooling.language",
    topic: "tooling",
    nouns: ["programming language", "language", "main language", "primary language"],
    values: [
      "typescript",
      "javascript",
      "python",
      "rust",
      "golang",
      "java",
      "kotlin",
      "ruby",
      "swift",
      "c#",
      "c++",
      "elixir",
      "scala",
      "php",
      "haskell",
      "ocaml",
      "clojure",
      "dart",
      "zig",
      "lua",
      "julia",
      "objective-c",
    ],
  },
  {
    key: "tooling.test_framework",
    topic: "tooling",
    nouns: ["test framework", "test runner", "testing framework", "testing library", "unit test framework"],
    values: [
      "jest",
      "vitest",
      "mocha",
      "jasmine",
      "ava",
      "node:test",
      "pytest",
      "unittest",
      "rspec",
      "minitest",
      "junit",
      "phpunit",
      "go test",
    ],
  },
  {
    key: "tooling.e2e_framework",
    topic: "tooling",
    nouns: ["e2e framework", "end-to-end framework", "browser testing"],
    values: ["playwright", "cypress", "puppeteer", "selenium", "webdriverio"],
  },
  {
    key: "tooling.formatter",
    topic: "tooling",
    nouns: ["formatter", "code formatter"],
    values: ["prettier", "biome", "black", "gofmt", "rustfmt", "dprint", "clang-format", "yapf", "autopep8"],
  },
  {
    key: "tooling.linter",
    topic: "tooling",
    nouns: ["linter"],
    values: [
      "eslint",
      "ruff",
      "pylint",
      "flake8",
      "clippy",
      "golangci-lint",
      "rubocop",
      "tslint",
      "stylelint",
      "oxlint",
    ],
  },
  {
    key: "tooling.database",
    topic: "tooling",
    nouns: ["database", "db", "primary database", "main database", "datastore", "data store"],
    values: [
      "postgresql",
      "postgres",
      "mysql",
      "mariadb",
      "sqlite",
      "mongodb",
      "mongo",
      "dynamodb",
      "cockroachdb",
      "sql server",
      "mssql",
      "cassandra",
      "supabase",
      "planetscale",
      "neon",
    ],
  },
  { key: "tooling.cache", topic: "tooling", nouns: ["cache", "cache store"], values: ["redis", "memcached", "valkey"] },
  {
    key: "tooling.error_tracking",
    topic: "tooling",
    nouns: ["error tracking", "error tracker", "error monitoring"],
    values: ["sentry", "rollbar", "bugsnag", "honeybadger", "airbrake", "raygun"],
  },
  {
    key: "tooling.cloud",
    topic: "tooling",
    nouns: ["cloud", "cloud provider", "hosting", "hosting provider"],
    values: [
      "aws",
      "gcp",
      "google cloud",
      "azure",
      "vercel",
      "netlify",
      "fly.io",
      "heroku",
      "cloudflare",
      "digitalocean",
      "hetzner",
      "railway",
    ],
  },
  {
    key: "profile.os",
    topic: "profile",
    nouns: ["os", "operating system"],
    values: ["macos", "mac os", "osx", "linux", "ubuntu", "debian", "fedora", "arch linux", "windows", "wsl", "nixos"],
  },
  {
    key: "tooling.shell",
    topic: "tooling",
    nouns: ["shell", "login shell"],
    values: ["bash", "zsh", "fish", "powershell", "nushell"],
  },
  {
    key: "tooling.terminal",
    topic: "tooling",
    nouns: ["terminal", "terminal emulator"],
    values: ["iterm", "iterm2", "alacritty", "kitty", "wezterm", "ghostty", "warp"],
  },
  {
    key: "tooling.ci",
    topic: "tooling",
    nouns: ["ci", "ci provider", "ci system", "ci/cd"],
    values: ["github actions", "gitlab ci", "circleci", "jenkins", "buildkite", "travis ci", "drone"],
  },
  {
    key: "tooling.design",
    topic: "tooling",
    nouns: ["design tool"],
    values: ["figma", "penpot", "adobe xd"],
  },
  {
    key: "tooling.frontend_framework",
    topic: "tooling",
    nouns: ["frontend framework", "ui framework", "front-end framework"],
    values: [
      "react",
      "vue",
      "svelte",
      "angular",
      "solidjs",
      "preact",
      "next.js",
      "nextjs",
      "nuxt",
      "sveltekit",
      "remix",
    ],
  },
  {
    key: "tooling.bundler",
    topic: "tooling",
    nouns: ["bundler", "build tool"],
    values: ["webpack", "vite", "esbuild", "rollup", "parcel", "turbopack", "tsup", "rspack"],
  },
  {
    key: "tooling.orchestration",
    topic: "tooling",
    nouns: ["orchestrator", "container orchestration"],
    values: ["kubernetes", "k8s", "nomad", "docker swarm", "ecs"],
  },
  {
    key: "workflow.commit_style",
    topic: "workflow",
    nouns: ["commit style", "commit messages", "commit message", "commit message style"],
    values: ["conventional commits", "gitmoji"],
  },
  {
    key: "workflow.default_branch",
    topic: "workflow",
    nouns: ["default branch", "main branch", "primary branch", "trunk branch"],
    values: ["main", "master", "trunk", "develop"],
    valuesNeedNoun: true,
  },
  {
    key: "profile.timezone",
    topic: "profile",
    nouns: ["timezone", "time zone", "tz"],
    values: [
      "utc",
      "gmt",
      "cet",
      "cest",
      "eet",
      "eest",
      "wet",
      "bst",
      "ist",
      "jst",
      "kst",
      "aest",
      "aedt",
      "pst",
      "pdt",
      "mst",
      "mdt",
      "cst",
      "cdt",
      "est",
      "edt",
      "nzst",
      "nzdt",
      "sgt",
      "hkt",
    ],
    valuesNeedNoun: true,
  },
  {
    key: "profile.pronouns",
    topic: "profile",
    nouns: ["pronouns"],
    values: ["she/her", "he/him", "they/them", "she/they", "he/they", "they/she", "they/he"],
  },
  { key: "profile.name", topic: "profile", nouns: ["name", "first name", "full name", "preferred name"], values: [] },
  {
    key: "profile.role",
    topic: "profile",
    nouns: ["role", "job", "job title", "title", "position", "occupation"],
    values: [],
  },
  { key: "profile.employer", topic: "profile", nouns: ["employer", "company", "workplace"], values: [] },
  {
    key: "home.location",
    topic: "profile",
    nouns: ["location", "city", "home", "home city", "hometown", "home town", "home base"],
    values: [],
  },
  {
    key: "communication.language",
    topic: "preferences",
    nouns: ["preferred language", "response language", "reply language"],
    values: [],
  },
  {
    key: "communication.verbosity",
    topic: "preferences",
    nouns: ["answer length", "response length", "verbosity"],
    values: [],
  },
];

/** Looks a category up by key. */
export function categoryByKey(key: string): Category | undefined {
  return BY_KEY.get(key);
}

const BY_KEY = new Map(CATEGORIES.map((category) => [category.key, category]));

const phraseOf = (words: readonly string[]) => words.join(" ");
const valueIndex = new Map<string, Category>();
const nounIndex = new Map<string, Category>();
for (const category of CATEGORIES) {
  for (const value of category.values) if (!valueIndex.has(value)) valueIndex.set(value, category);
  for (const noun of category.nouns) {
    const stemmed = phraseOf(noun.split(" ").flatMap(keyWords));
    if (!nounIndex.has(stemmed)) nounIndex.set(stemmed, category);
  }
}
/** First words of every phrase in an index: a token that is none of them cannot start a match. */
const firstWords = (index: Map<string, Category>) =>
  new Set([...index.keys()].map((phrase) => phrase.split(" ")[0] ?? phrase));
const valueStarts = firstWords(valueIndex);
const nounStarts = firstWords(nounIndex);

/** A value or noun found in a token list: where it is and what it belongs to. */
export interface LexiconHit {
  category: Category;
  /** Index of the first token. */
  index: number;
  /** Number of tokens it spans. */
  length: number;
}

const MAX_PHRASE = 3;

/** Every category value in the tokens, longest match first at each position. */
export function findValues(tokens: readonly Token[]): LexiconHit[] {
  return scan(
    tokens.map((token) => token.norm),
    valueIndex,
    valueStarts,
  );
}

/** Every category noun in the tokens (compared stemmed, so `indents` matches `indent`). */
export function findNouns(tokens: readonly Token[]): LexiconHit[] {
  return scan(
    tokens.map((token) => phraseOf(keyWords(token.norm))),
    nounIndex,
    nounStarts,
  );
}

/** The category a noun phrase names exactly ("favorite editor" after modifiers are removed → editor), if any. */
export function nounCategory(phrase: readonly Token[]): Category | undefined {
  return nounIndex.get(phraseOf(phrase.flatMap((token) => keyWords(token.norm))));
}

/** True when a single token is a known value of some category (tool names are never masked as filler). */
export function isLexiconValue(norm: string): boolean {
  return valueIndex.has(norm);
}

function scan(forms: readonly string[], index: Map<string, Category>, starts: ReadonlySet<string>): LexiconHit[] {
  const hits: LexiconHit[] = [];
  for (let i = 0; i < forms.length; i++) {
    if (!starts.has(forms[i] ?? "")) continue;
    for (let length = Math.min(MAX_PHRASE, forms.length - i); length >= 1; length--) {
      const category = index.get(length === 1 ? (forms[i] ?? "") : forms.slice(i, i + length).join(" "));
      if (category) {
        hits.push({ category, index: i, length });
        i += length - 1;
        break;
      }
    }
  }
  return hits;
}
