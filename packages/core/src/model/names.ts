import { OptionsError } from '../errors.js';
import type { ModelSpec } from './spec.js';

// A model id or version is a name, never a path: it starts with a letter or digit, then letters,
// digits, '.', '_', '-' or '+', never two dots in a row. It is used as one folder name in the
// cache and one URL segment, so it must not be able to climb out of either.
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_+-]|\.(?!\.))*$/;
const MAX_NAME = 128;
// One segment of a file path inside a model: the same characters, '.' allowed first (but '.' and
// '..' themselves are refused).
const SEGMENT = /^[A-Za-z0-9_.+-]+$/;
const MAX_PATH = 512;
const SHA256 = /^[0-9a-fA-F]{64}$/;

const NAME_RULE = `letters, digits, '.', '_', '-' and '+', starting with a letter or digit, without '..', at most ${MAX_NAME} characters (a name, never a path)`;
const PATH_RULE = `a relative path of '/'-separated names made of letters, digits, '.', '_', '-' and '+' (no '.' or '..' segments, no leading '/', no '\\', at most ${MAX_PATH} characters)`;

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * Checks that a model id or version is a plain name that is safe as one folder of the cache and
 * one URL segment; throws {@link OptionsError} listing what is allowed otherwise.
 *
 * @example
 * ```ts
 * checkModelName('centernet', 'model id'); // ok
 * checkModelName('../..', 'model id'); // throws OptionsError
 * ```
 */
export function checkModelName(value: unknown, what: 'model id' | 'model version'): string {
  if (typeof value !== 'string' || value.length > MAX_NAME || !NAME.test(value))
    throw new OptionsError(`The ${what} ${show(value)} is not allowed. Use ${NAME_RULE}.`);
  return value;
}

/**
 * Checks a file path of a model spec: relative, '/'-separated, every segment a plain name. Throws
 * {@link OptionsError} otherwise.
 *
 * @example
 * ```ts
 * checkModelFilePath('onnx/model.onnx'); // ok
 * checkModelFilePath('../../.bashrc'); // throws OptionsError
 * ```
 */
export function checkModelFilePath(value: unknown, where = 'A model file'): string {
  const ok =
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_PATH &&
    !value.endsWith('.part') &&
    value.split('/').every((s) => s !== '.' && s !== '..' && SEGMENT.test(s));
  if (!ok)
    throw new OptionsError(
      `${where} path ${show(value)} is not allowed. Use ${PATH_RULE}; '.part' endings are reserved for downloads in progress.`,
    );
  return value;
}

/**
 * Checks every field of a spec that reaches the file system or the network (id, version, file
 * paths) and the integrity fields (SHA-256, size); throws {@link OptionsError} naming the field.
 *
 * @example
 * ```ts
 * checkModelSpec(CENTERNET);
 * ```
 */
export function checkModelSpec(spec: ModelSpec): void {
  if (spec === null || typeof spec !== 'object')
    throw new OptionsError('A model spec must be an object { id, version, format, files, license }.');
  const id = checkModelName(spec.id, 'model id');
  checkModelName(spec.version, 'model version');
  if (!Array.isArray(spec.files))
    throw new OptionsError(`Model ${id}: files must be an array of { path, sha256, size }.`);
  const seen = new Set<string>();
  for (const file of spec.files) {
    const path = checkModelFilePath(file?.path, `Model ${id}: a file`);
    if (seen.has(path)) throw new OptionsError(`Model ${id}: the file "${path}" is listed twice.`);
    seen.add(path);
    if (typeof file.sha256 !== 'string' || !SHA256.test(file.sha256))
      throw new OptionsError(
        `Model ${id}: file "${path}" needs sha256 as 64 hex digits, got ${show(file.sha256)}.`,
      );
    if (!Number.isSafeInteger(file.size) || file.size < 0)
      throw new OptionsError(
        `Model ${id}: file "${path}" needs size as a whole number of bytes ≥ 0, got ${show(file.size)}.`,
      );
  }
  if (spec.npm !== undefined) {
    const { package: pkg, dir } = spec.npm ?? ({} as { package?: unknown; dir?: unknown });
    if (
      typeof pkg !== 'string' ||
      !pkg ||
      typeof dir !== 'string' ||
      dir.split(/[\\/]/).includes('..') ||
      dir.includes('\0')
    )
      throw new OptionsError(
        `Model ${id}: npm must be { package, version, dir } with dir a folder inside the package (no '..').`,
      );
  }
}
