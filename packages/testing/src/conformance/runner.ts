/** A test body or hook: sync or async. */
export type TestFunction = () => unknown;

/**
 * The matchers the conformance suite uses. Vitest's and Jest's `expect` both satisfy it; it is declared here so
 * that `@nocturne/testing` never imports a test runner, not even its types.
 */
export interface ConformanceMatchers {
  /** The negated matchers. */
  readonly not: ConformanceMatchers;
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toMatch(expected: string | RegExp): void;
  toContain(expected: unknown): void;
  toHaveLength(length: number): void;
  toBeNull(): void;
  toBeGreaterThan(expected: number): void;
  toBeGreaterThanOrEqual(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
}

/** The test runner's functions the conformance suite registers its tests with. */
export interface ConformanceRunner {
  /** Groups tests, e.g. vitest's or Jest's `describe`. */
  describe(name: string, body: () => void): void;
  /** Registers one test, e.g. `it` or `test`. */
  it(name: string, body: TestFunction): void;
  /** Asserts; the optional second argument is a message (vitest shows it; runners without it ignore it). */
  expect(actual: unknown, message?: string): ConformanceMatchers;
  /** Runs before every test of the enclosing `describe`. */
  beforeEach(fn: TestFunction): void;
  /** Runs after every test of the enclosing `describe`. */
  afterEach(fn: TestFunction): void;
}

/**
 * Registers a test only when `run` is true: the suite's optional checks (`persistent`, `multiProcess`) use it, so
 * runners without `it.skipIf` work too.
 */
export function itIf(runner: ConformanceRunner, run: boolean, name: string, body: TestFunction): void {
  if (run) runner.it(name, body);
}

/** Registers a `describe` block only when `run` is true. */
export function describeIf(runner: ConformanceRunner, run: boolean, name: string, body: () => void): void {
  if (run) runner.describe(name, body);
}
