import { z } from 'zod';
import { OptionsError } from './errors.js';

/**
 * Parses options with a zod schema at an API boundary; any problem becomes an {@link OptionsError}
 * whose message names the option and what is allowed.
 *
 * @example
 * ```ts
 * const opts = parseOptions(detectorOptionsSchema, userOptions, 'createObjectDetector');
 * ```
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    throw new OptionsError(`${where}: options must be an object, got ${describeValue(input)}.`);
  }
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(options)';
    return `${path}: ${issue.message}`;
  });
  throw new OptionsError(`${where}: invalid options. ${problems.join('; ')}`, { cause: result.error });
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/**
 * A score in [0, 1].
 *
 * @example
 * ```ts
 * const options = z.object({ scoreThreshold: scoreThresholdSchema.default(0.5) });
 * ```
 */
export const scoreThresholdSchema = z.number().min(0).max(1);

/**
 * Shared option fragment: the caller's AbortSignal.
 *
 * @example
 * ```ts
 * const options = z.object({ signal: signalSchema });
 * ```
 */
export const signalSchema = z
  .custom<AbortSignal>(
    (v) => typeof v === 'object' && v !== null && 'aborted' in v && 'addEventListener' in v,
    {
      message: 'signal must be an AbortSignal',
    },
  )
  .optional()
  .describe('Aborts the call; it then rejects with AbortedError. Default: none.');

/**
 * Builds the label allow/deny-list option fragment for a fixed set of labels, so an unknown label
 * is an OptionsError that lists the valid ones.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...labelFilterSchema(COCO_LABELS) });
 * ```
 */
export function labelFilterSchema(labels: readonly string[]) {
  const set = new Set(labels);
  const list = z
    .array(z.string())
    .superRefine((names, ctx) => {
      const unknown = names.filter((n) => !set.has(n));
      if (unknown.length) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown label(s) ${unknown.map((u) => `"${u}"`).join(', ')}. Should be one of: ${labels.join(', ')}`,
        });
      }
    })
    .optional();
  return {
    categoryAllowlist: list.describe('Only these labels are returned. Default: all.'),
    categoryDenylist: list.describe('These labels are never returned. Default: none.'),
  };
}

/**
 * Makes a one-line function's lazily created default instance: created on first use, shared by
 * concurrent first calls, and recreated if creation failed.
 *
 * @example
 * ```ts
 * const getDefault = lazyDefault(() => createObjectDetector());
 * export const detectObjects = async (img, o) => (await getDefault()).detect(img, o);
 * ```
 */
export function lazyDefault<T>(create: () => Promise<T>): { get(): Promise<T>; clear(): T | undefined } {
  let pending: Promise<T> | undefined;
  let value: T | undefined;
  return {
    get() {
      if (!pending) {
        pending = create().then(
          (v) => {
            value = v;
            return v;
          },
          (error: unknown) => {
            pending = undefined;
            throw error;
          },
        );
      }
      return pending;
    },
    clear() {
      const v = value;
      pending = undefined;
      value = undefined;
      return v;
    },
  };
}
