import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configure,
  loadModel,
  ModelIntegrityError,
  type ModelSpec,
  ModelUnavailableOfflineError,
  resetConfig,
  storeDerivedModel,
} from '../src/index.js';

const bytes = new Uint8Array(1000).map((_, i) => i % 13);
const spec: ModelSpec = {
  id: 'derived-test',
  version: '1.0.0',
  format: 'files',
  license: 'test',
  files: [
    { path: 'w.bin', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength },
  ],
};

describe('storeDerivedModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ondevice-derived-'));
    configure({ cacheDir: dir, allowRemoteModels: false });
  });
  afterAll(async () => {
    resetConfig();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses bytes that differ from the spec, writing nothing', async () => {
    const wrong = bytes.slice();
    wrong[3] = 99;
    await expect(storeDerivedModel(spec, new Map([['w.bin', wrong]]))).rejects.toBeInstanceOf(
      ModelIntegrityError,
    );
    await expect(loadModel(spec)).rejects.toBeInstanceOf(ModelUnavailableOfflineError);
  });

  it('caches matching bytes so loadModel finds them', async () => {
    expect(await storeDerivedModel(spec, new Map([['w.bin', bytes]]))).toBe(true);
    const loaded = await loadModel(spec);
    expect(loaded.sources.get('w.bin')).toBe('cache');
    expect(loaded.files.get('w.bin')).toEqual(bytes);
  });
});
