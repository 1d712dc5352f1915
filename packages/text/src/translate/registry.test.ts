import { ModelLoadError, OptionsError } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { marianDtype } from './marian.js';
import { opusMtSpec } from './models.js';
import {
  deleteTranslationModel,
  findTranslationModel,
  getTranslationModel,
  listTranslationModels,
  registerTranslationModel,
  resolveTranslationRoute,
} from './registry.js';
import { createTranslator } from './translate.js';

const f = (path: string) => ({ path, sha256: '0'.repeat(64), size: 1 });
const files = [
  f('config.json'),
  f('generation_config.json'),
  f('tokenizer.json'),
  f('tokenizer_config.json'),
  f('onnx/encoder_model_quantized.onnx'),
  f('onnx/decoder_model_merged_quantized.onnx'),
];

describe('translation model registry', () => {
  it('ships the tiny en→es model as a demo, listed as downloaded but never picked for a pair', async () => {
    expect(getTranslationModel('en', 'es')).toBeUndefined();
    expect(findTranslationModel('tiny-marian-en-es')).toMatchObject({ from: 'en', to: 'es', demo: true });
    const list = await listTranslationModels();
    expect(list.find((m) => m.from === 'en' && m.to === 'es')).toMatchObject({
      builtIn: true,
      downloaded: true,
      demo: true,
    });
  });
  it('routes through English when there is no direct pair, with registered models only', () => {
    registerTranslationModel({ from: 'de', to: 'en', spec: opusMtSpec({ from: 'de', to: 'en', files }) });
    expect(resolveTranslationRoute('de', 'es')).toBeUndefined(); // en→es is only the demo
    registerTranslationModel({ from: 'en', to: 'fr', spec: opusMtSpec({ from: 'en', to: 'fr', files }) });
    expect(resolveTranslationRoute('de', 'fr')?.map((e) => e.spec.id)).toEqual([
      'opus-mt-de-en',
      'opus-mt-en-fr',
    ]);
    expect(resolveTranslationRoute('fr', 'es')).toBeUndefined();
    expect(resolveTranslationRoute('de-AT', 'en')?.[0]?.spec.id).toBe('opus-mt-de-en');
  });
  it('refuses unknown pairs with the registered ones listed', async () => {
    await expect(createTranslator({ from: 'fr', to: 'ja' })).rejects.toThrow(
      /registered pairs: de→en, en→fr/,
    );
    await expect(createTranslator({ from: 'fr', to: 'ja' })).rejects.toBeInstanceOf(ModelLoadError);
    await expect(deleteTranslationModel({ from: 'fr', to: 'ja' })).rejects.toBeInstanceOf(OptionsError);
    await expect(createTranslator({ from: 'english', to: 'es' })).rejects.toBeInstanceOf(OptionsError);
    expect(() =>
      registerTranslationModel({
        from: 'x',
        to: 'y',
        spec: { ...opusMtSpec({ from: 'x', to: 'y', files: [] }) },
      }),
    ).toThrow(OptionsError);
  });
  it('derives the transformers.js dtype from the ONNX file names', () => {
    expect(marianDtype(opusMtSpec({ from: 'a', to: 'b', files }))).toBe('q8');
    expect(() => marianDtype(opusMtSpec({ from: 'a', to: 'b', files: files.slice(0, 4) }))).toThrow(
      ModelLoadError,
    );
  });
});
