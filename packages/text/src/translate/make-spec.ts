import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ModelFileSpec, ModelSpec } from '@ondevice/core';
import { MARIAN_FILE_NAMES } from './models.js';

/**
 * Hashes the MarianMT files of a local folder (Hugging Face layout) into a `ModelSpec`, so a real
 * OPUS-MT folder can be registered, verified and evaluated. When a folder has several ONNX variants,
 * the smallest of each (quantised first) is used unless `prefer` names a suffix (e.g. `''` for fp32).
 * Node only.
 *
 * @example
 * ```ts
 * const spec = await specFromFolder('/models/opus-mt-en-de', { id: 'opus-mt-en-de' });
 * registerTranslationModel({ from: 'en', to: 'de', spec });
 * ```
 */
export async function specFromFolder(
  dir: string,
  opts: { id: string; version?: string; license?: string; prefer?: string },
): Promise<ModelSpec> {
  const paths: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else paths.push(relative(dir, p).split('\\').join('/'));
    }
  };
  await walk(dir);
  const pick = (re: RegExp) => {
    const found = paths.filter((p) => re.test(p));
    if (opts.prefer !== undefined) {
      const want = found.find((p) => (re.exec(p)?.[1] ?? '') === opts.prefer);
      if (want) return want;
    }
    const order = ['_quantized', '', '_fp16', '_int8', '_uint8', '_q4', '_q4f16', '_bnb4'];
    return found.sort(
      (a, b) => order.indexOf(re.exec(a)?.[1] ?? '') - order.indexOf(re.exec(b)?.[1] ?? ''),
    )[0];
  };
  const wanted = [
    ...MARIAN_FILE_NAMES.required,
    pick(MARIAN_FILE_NAMES.encoder),
    pick(MARIAN_FILE_NAMES.decoder),
  ];
  const files: ModelFileSpec[] = [];
  for (const p of wanted) {
    if (!p || !paths.includes(p))
      throw new Error(`${dir} lacks ${p ?? 'an ONNX encoder or merged decoder'}.`);
    const bytes = await readFile(join(dir, p));
    files.push({
      path: p,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: (await stat(join(dir, p))).size,
    });
  }
  return {
    id: opts.id,
    version: opts.version ?? '1',
    format: 'onnx',
    license: opts.license ?? 'CC-BY-4.0',
    files,
  };
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node dist/translate/make-spec.js <model folder> [id]');
    process.exit(2);
  }
  const id = process.argv[3] ?? dir.replace(/\/+$/, '').split('/').pop()!;
  console.log(JSON.stringify(await specFromFolder(dir, { id }), null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
