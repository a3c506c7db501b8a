import type { FactKind } from "../../schemas/facts.js";
import type { SubjectKey } from "./subject-key.js";
import { clip } from "./text-tokens.js";

const MAX_TOPIC = 200;
const PROJECT_PHRASE =
  /\b(?:the\s+)?([\p{L}][\p{L}\p{N}._-]{1,40})\s+(?:project|repo|repository|codebase|monorepo|service|app|package|library)\b/iu;
const PROJECT_NAMED = /\bproject\s+(\p{Lu}[\p{L}\p{N}._-]{1,40})\b/u;
const NOT_PROJECT_NAMES = new Set(
  `this that the a an our my your their its same new old whole entire other each every main current side personal pet
   test demo example sample web mobile backend frontend front-end back-end api node python open-source big small
   separate different existing first second single one any some which what whose another his her team company work
   internal external shared common private public core legacy monorepo npm pnpm yarn github`.split(/\s+/),
);

/** A slug for a topic segment: lowercase words joined by `-`. */
function slug(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** The project a statement names ("the atlas repo", "project Atlas"), as a slug. */
export function projectOf(statement: string): string | undefined {
  const named = PROJECT_NAMED.exec(statement)?.[1];
  const phrase = PROJECT_PHRASE.exec(statement)?.[1];
  for (const candidate of [named, phrase]) {
    if (candidate === undefined || NOT_PROJECT_NAMES.has(candidate.toLowerCase())) continue;
    const name = slug(candidate);
    if (name !== "") return name;
  }
  return undefined;
}

/**
 * The memory file a fact from a transcript belongs in: `projects/<name>` when it names a project, else its category's
 * topic (`tooling`, `preferences`, `profile` …), else by kind (`preferences`, `workflow`, `debugging`), else
 * `profile` for facts about the user and `notes` for the rest.
 */
export function transcriptTopic(statement: string, subject: SubjectKey, kind: FactKind): string {
  const project = projectOf(statement);
  if (project !== undefined && kind !== "transient") return `projects/${project}`;
  if (kind === "transient") return "debugging";
  if (subject.category) return subject.category.topic;
  if (subject.key.startsWith("tooling.")) return "tooling";
  if (kind === "preference") return "preferences";
  if (kind === "procedure") return "workflow";
  return subject.about === "user" ? "profile" : "notes";
}

/** The topic of an existing memory: its path without the leading `/` and the extension (`/a/b.md` → `a/b`). */
export function memoryTopic(path: string): string {
  const segments = path
    .replace(/\.(?:md|markdown|txt|text|mdx|rst|org)$/i, "")
    .split("/")
    .filter((segment) => segment !== "" && segment !== "." && segment !== "..");
  const topic = segments.join("/");
  if (topic === "") return "notes";
  return clip(topic, MAX_TOPIC).replace(/\/+$/, "");
}
