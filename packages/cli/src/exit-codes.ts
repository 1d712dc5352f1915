/**
 * What the `ondevice` command's exit status means.
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

/** A failure that ends the command with a given exit status and one line on stderr. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A usage error (exit status 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
    this.name = 'UsageError';
  }
}

/** One line of text from any thrown value: message only, newlines folded. */
export function oneLine(error: unknown): string {
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return String(message)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
