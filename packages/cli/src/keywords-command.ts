import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT, UsageError } from './exit-codes.js';
import type { Io } from './run-task.js';

export const KEYWORDS_HELP = `ondevice keywords — keyword heads of your own

usage: ondevice keywords train "<phrase>" [--name NAME] [--out FILE] [--count N] [--hard "w1,w2"] [--seed N]

Synthesises many varied takes of the phrase with espeak-ng (voices, speeds, pitches; sox adds
reverb, band limits and tempo), embeds them with the spotter's own front end, trains a small head
against real-speech and hard negatives, calibrates its threshold on held-out real speech, and writes
it as JSON: use it with \`ondevice listen --keywords FILE\` or keywordHeadFromJson().
Needs a repository checkout (packages/audio/scripts/train-keyword.mjs, the shared datasets for the
real-speech negatives) and espeak-ng + sox (apt-get install espeak-ng sox). espeak-ng is GPL-3.0,
run as a tool; the real negatives are Apache-2.0.

exit status: 0 ok, 1 training failed, 2 usage error, 3 script or espeak-ng not available`;

/** The training script in the checkout this CLI runs from. */
function findTrainScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve('packages/audio/scripts/train-keyword.mjs'),
    resolve(here, '../../audio/scripts/train-keyword.mjs'),
  ];
  return candidates.find((c) => existsSync(c));
}

/**
 * `ondevice keywords train "<phrase>"`: trains a keyword head from text (see {@link KEYWORDS_HELP}).
 *
 * @example
 * ```ts
 * process.exitCode = await runKeywordsCommand(['train', 'hey computer', '--out', 'hey_computer.json'], process);
 * ```
 */
export async function runKeywordsCommand(args: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub) {
    io.stderr.write(`${KEYWORDS_HELP}\n`);
    return EXIT.USAGE;
  }
  if (sub === '--help' || sub === '-h') {
    io.stdout.write(`${KEYWORDS_HELP}\n`);
    return EXIT.OK;
  }
  if (sub !== 'train')
    throw new UsageError(`keywords: unknown subcommand "${sub}"; use: ondevice keywords train "<phrase>"`);
  const phrase = rest[0];
  if (!phrase || phrase.startsWith('-'))
    throw new UsageError(
      'keywords train: give the phrase first, e.g. ondevice keywords train "hey computer"',
    );
  const script = findTrainScript();
  if (!script)
    throw new CliError(
      'keywords train: needs a repository checkout (packages/audio/scripts/train-keyword.mjs not found)',
      EXIT.UNAVAILABLE,
    );
  return new Promise((res) => {
    const child = spawn(process.execPath, [script, ...rest], {
      cwd: join(dirname(script), '..'),
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) =>
      res(code === 0 ? EXIT.OK : code === 2 ? EXIT.USAGE : signal ? EXIT.INTERRUPTED : 1),
    );
    child.on('error', () => res(1));
  });
}
