import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseInput } from "../../src/adapters/parse-input.js";
import { checkCreateMemory } from "../../src/adapters/storage-rules.js";
import {
  ERROR_CODES,
  errorCodeInfo,
  HOSTED_ERROR_STATUS,
  isErrorCode,
  MAX_MEMORY_CONTENT_BYTES,
  NocturneError,
} from "../../src/index.js";

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return NocturneError.isInstance(error) ? error.code : "not a NocturneError";
  }
  return undefined;
};

describe("the error table", () => {
  it("gives every code an exit status, a dream error type, a hosted error type with its status, and a retry default", () => {
    for (const code of ERROR_CODES) {
      const info = errorCodeInfo(code);
      expect([1, 2]).toContain(info.exit);
      expect(HOSTED_ERROR_STATUS[info.hosted]).toBeGreaterThanOrEqual(400);
      expect(typeof info.retryable).toBe("boolean");
      expect(isErrorCode(code)).toBe(true);
    }
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("no_such_code")).toBe(false);
  });

  it("sets an error's retryable from the table unless the error says otherwise", () => {
    expect(new NocturneError("model_overloaded", "busy").retryable).toBe(true);
    expect(new NocturneError("model_overloaded", "busy", { retryable: false }).retryable).toBe(false);
    expect(new NocturneError("invalid_input", "bad").retryable).toBe(false);
  });

  it("takes a validation error's code from the schema that raised it, never from the message's words", () => {
    expect(codeOf(() => checkCreateMemory({ path: "/a/../b.md", content: "x" }))).toBe("invalid_memory_path");
    expect(
      codeOf(() => checkCreateMemory({ path: "/big.md", content: "x".repeat(MAX_MEMORY_CONTENT_BYTES + 1) })),
    ).toBe("memory_content_too_large");
    const lookalike = z.string().refine(() => false, { message: "invalid memory path: larger than you think" });
    expect(codeOf(() => parseInput(lookalike, "x", "thing"))).toBe("invalid_input");
    const forged = z.string().refine(() => false, { message: "nope", params: { errorCode: "not_a_code" } });
    expect(codeOf(() => parseInput(forged, "x", "thing"))).toBe("invalid_input");
  });
});
