import { z } from "zod";

/** A goal a figure is held to. */
export const Goal = z.object({ op: z.enum(["<", "<=", ">", ">=", "=="]), value: z.number() });
export type Goal = z.infer<typeof Goal>;

/** One measured figure, as `bench/results.json` holds it. */
export const Figure = z.object({
  name: z.string(),
  /** Null when the figure could not be measured (its job failed, or there was nothing to measure). */
  value: z.number().nullable(),
  unit: z.string(),
  /** What was run: sizes, model, latency, concurrency, seed. */
  scenario: z.string(),
  /** For quality figures: which replay extractor answered. */
  extractor: z.enum(["perfect", "noisy", "reworded", "eager-judge"]).optional(),
  goal: Goal.optional(),
  /** Whether `value` meets `goal`; null without a goal or a value. */
  meets_goal: z.boolean().nullable(),
  note: z.string().optional(),
});
export type Figure = z.infer<typeof Figure>;

/** The whole results file. */
export const Results = z.object({
  generated_at: z.string(),
  /** The commit measured (`+changes` when the working tree differed from it). */
  commit: z.string().optional(),
  mode: z.enum(["full", "quick"]),
  machine: z.object({
    cpus: z.number(),
    node: z.string(),
    platform: z.string(),
    /** 1-minute load average when the run started and ended: timings on a busy machine read high. */
    load_start: z.number(),
    load_end: z.number(),
  }),
  duration_s: z.number(),
  figures: z.array(Figure),
  /** Jobs that failed, with their error. */
  failures: z.array(z.object({ job: z.string(), error: z.string() })),
});
export type Results = z.infer<typeof Results>;

/** Whether a value meets a goal. */
export function meetsGoal(value: number | null, goal: Goal | undefined): boolean | null {
  if (value === null || goal === undefined) return null;
  switch (goal.op) {
    case "<":
      return value < goal.value;
    case "<=":
      return value <= goal.value;
    case ">":
      return value > goal.value;
    case ">=":
      return value >= goal.value;
    case "==":
      return value === goal.value;
  }
}

/** Builds a figure, deciding `meets_goal`. */
export function figure(fields: Omit<Figure, "meets_goal">): Figure {
  return { ...fields, meets_goal: meetsGoal(fields.value, fields.goal) };
}

/**
 * Least-squares slope of log(y) over log(x): the growth exponent (1 is linear, 2 quadratic). Null with fewer than
 * two usable points.
 */
export function growthExponent(points: ReadonlyArray<{ x: number; y: number }>): number | null {
  const usable = points.filter((point) => point.x > 0 && point.y > 0);
  if (usable.length < 2) return null;
  const xs = usable.map((point) => Math.log(point.x));
  const ys = usable.map((point) => Math.log(point.y));
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < xs.length; i++) {
    numerator += ((xs[i] as number) - meanX) * ((ys[i] as number) - meanY);
    denominator += ((xs[i] as number) - meanX) ** 2;
  }
  return denominator === 0 ? null : numerator / denominator;
}

function format(value: number | null, unit: string): string {
  if (value === null) return "n/a";
  if (unit === "ratio" || unit === "rate") return value.toFixed(4);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(2);
}

function goalText(goal: Goal | undefined): string {
  return goal ? `${goal.op} ${goal.value}` : "";
}

/** The figures as an aligned plain-text table. */
export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((entry) => [
    entry.extractor ? `${entry.name} (${entry.extractor})` : entry.name,
    format(entry.value, entry.unit),
    entry.unit,
    goalText(entry.goal),
    entry.meets_goal === null ? "" : entry.meets_goal ? "ok" : "MISS",
    entry.scenario,
  ]);
  const header = ["figure", "value", "unit", "goal", "", "scenario"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (column === 5 ? 0 : (row[column] ?? "").length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 1 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** The figures as a Markdown table (for docs/performance.md). */
export function renderMarkdown(figures: readonly Figure[]): string {
  const rows = figures.map(
    (entry) =>
      `| \`${entry.name}\`${entry.extractor ? ` (${entry.extractor})` : ""} | ${format(entry.value, entry.unit)} ${entry.unit} | ${goalText(entry.goal)} | ${entry.meets_goal === null ? "" : entry.meets_goal ? "ok" : "**miss**"} | ${entry.scenario} |`,
  );
  return ["| figure | value | goal | | scenario |", "|---|---:|---|---|---|", ...rows].join("\n");
}
