/**
 * What the `ondevice` command's exit status means. One class of error, one code:
 *
 * - `0` every input was processed.
 * - `1` some inputs (or models, for `models`) failed; the others were processed. Per-input
 *   failures: missing, unreadable, not decodable.
 * - `2` the command was used wrongly and nothing ran: unknown command or option, a bad option
 *   value (also one the library rejects with `OptionsError`), no inputs, and a file given as an
 *   option value that cannot be read or is not valid (a keyword head `.json`: `InputError`).
 * - `3` the task cannot start on this device: not in this build, its model missing or corrupt
 *   (`ModelLoadError`, `ModelIntegrityError`), no usable backend.
 * - `130` interrupted.
 *
 * @example
 * ```ts
 * import { EXIT } from '@ondevice/cli';
 * if (child.exitCode === EXIT.SOME_INPUTS_FAILED) console.log('see stderr for the inputs that failed');
 * ```
 */
export const EXIT = {
  /** Every input was processed. */
  OK: 0,
  /** At least one input failed (missing, unreadable, undecodable); the others were processed. */
  SOME_INPUTS_FAILED: 1,
  /** Usage error: unknown command or option, bad option value, no inputs. Nothing was processed. */
  USAGE: 2,
  /** The task could not start: its package or model is not available on this device. */
  UNAVAILABLE: 3,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

/**
 * A failure that ends the command with a given exit status and one line on stderr.
 *
 * @example
 * ```ts
 * throw new CliError('no image files in ./photos', EXIT.SOME_INPUTS_FAILED);
 * ```
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/**
 * A usage error (exit status 2).
 *
 * @example
 * ```ts
 * throw new UsageError('detect: give at least one image');
 * ```
 */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
    this.name = 'UsageError';
  }
}

/**
 * The exit status for an error that stopped a task before any input ran (see {@link EXIT}): a
 * {@link CliError} keeps its own; the library's `OptionsError` and `InputError` (a bad option value,
 * or a file given as one) are usage errors, 2; anything else means the task cannot start, 3.
 *
 * @example
 * ```ts
 * startupExitCode(new InputError('The keyword head is not valid JSON.')); // 2
 * startupExitCode(new ModelLoadError('…')); // 3
 * ```
 */
export function startupExitCode(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  const code = (error as { code?: unknown })?.code;
  if (code === 'ERR_OPTIONS' || code === 'ERR_INPUT') return EXIT.USAGE;
  return EXIT.UNAVAILABLE;
}

/**
 * One line of text from any thrown value: message only, newlines folded.
 *
 * @example
 * ```ts
 * console.error(oneLine(error)); // 'InputError: ... (the first line only)'
 * ```
 */
export function oneLine(error: unknown): string {
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return String(message)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
