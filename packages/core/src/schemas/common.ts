import { z } from "zod";

/** An RFC 3339 UTC timestamp, e.g. `2026-03-01T09:30:00.000Z`. */
export const Timestamp = z.iso.datetime({ offset: true });

/** Free-form key/value tags on a resource, as the hosted API allows: at most 16 pairs. */
export const Metadata = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16, { message: "metadata holds at most 16 keys" });
export type Metadata = z.infer<typeof Metadata>;

/** Token usage, summed over every model call of a dream. Field names match the hosted API. */
export const Usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative(),
  cache_read_input_tokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/** A usage record with every counter at zero. */
export function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** Adds `extra` into `total` in place and returns it. */
export function addUsage(total: Usage, extra: Partial<Usage>): Usage {
  total.input_tokens += extra.input_tokens ?? 0;
  total.output_tokens += extra.output_tokens ?? 0;
  total.cache_creation_input_tokens += extra.cache_creation_input_tokens ?? 0;
  total.cache_read_input_tokens += extra.cache_read_input_tokens ?? 0;
  return total;
}

/** Paging options for list calls: `after` is the `next_cursor` of the previous page. */
export const PageOptions = z.object({
  limit: z.number().int().min(1).max(1000).optional(),
  after: z.string().optional(),
});
export type PageOptions = z.infer<typeof PageOptions>;

/** One page of a list call; `next_cursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
