import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configure, ModelUnavailableOfflineError, type ModelProgress, resetConfig } from '@ondevice/core';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_MARIAN_EN_ES } from './models.js';
import {
  deleteTranslationModel,
  downloadTranslationModel,
  listTranslationModels,
  registerTranslationModel,
} from './registry.js';
import { createTranslator } from './translate.js';

// The model manager end to end: a pair served from a "remote" base URL (a file:// folder laid out
// as <modelBaseUrl>/<id>/<version>/), downloaded with progress into a fresh cache, used, deleted.
const tinyDir = fileURLToPath(new URL('../../../text-demo-model/tiny-marian-en-es/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ondevice-text-'));
// A hosted model: the demo model's files, without its npm package as a source.
const { npm: _demoPackage, ...demo } = TINY_MARIAN_EN_ES;
const spec = { ...demo, id: 'hosted-en-es', version: '1' };
cpSync(tinyDir, join(work, 'remote', spec.id, spec.version), { recursive: true });

afterAll(() => {
  resetConfig();
  rmSync(work, { recursive: true, force: true });
});

describe('translation model manager', () => {
  it('refuses to download when remote models are not configured', async () => {
    registerTranslationModel({ from: 'en', to: 'es', spec });
    configure({ cacheDir: join(work, 'cache') });
    await expect(downloadTranslationModel({ from: 'en', to: 'es' })).rejects.toBeInstanceOf(
      ModelUnavailableOfflineError,
    );
  });

  it('downloads with progress, lists, translates from the cache and deletes', async () => {
    configure({
      cacheDir: join(work, 'cache'),
      modelBaseUrl: `${pathToFileURL(join(work, 'remote')).href}/`,
      allowRemoteModels: true,
    });
    const progress: ModelProgress[] = [];
    await downloadTranslationModel({ from: 'en', to: 'es' }, { onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toMatchObject({ loaded: progress.at(-1)!.total, source: 'remote' });
    const listed = (await listTranslationModels()).find((m) => m.id === 'hosted-en-es');
    expect(listed).toMatchObject({ from: 'en', to: 'es', downloaded: true, builtIn: false });

    configure({ allowRemoteModels: false });
    const t = await createTranslator({ from: 'en', to: 'es' });
    expect((await t.translate('the black cat')).text).toBe('el gato negro');
    t.dispose();

    expect(await deleteTranslationModel({ from: 'en', to: 'es' })).toBe(true);
    expect((await listTranslationModels()).find((m) => m.id === 'hosted-en-es')?.downloaded).toBe(false);
  });
});
