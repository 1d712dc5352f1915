import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configure, loadModel, resetConfig } from '@ondevice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_SPECS } from '../src/models.js';
import { useVisionModelPackages } from '../src/package-root.js';

// @ondevice/vision-models mirrors the files vision uses of @vladmandic/human and
// @tesseract.js-data/* (its scripts/collect.mjs names them; the sums live only in src/models.ts).
// Every such spec must load from it, SHA-256 checked, with an empty cache and no network.
const MIRRORED = ['@vladmandic/human', '@tesseract.js-data/eng', '@tesseract.js-data/fra'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ondevice-vision-models-'));
  configure({ cacheDir: dir, allowRemoteModels: false });
  await useVisionModelPackages();
});
afterAll(async () => {
  resetConfig();
  await rm(dir, { recursive: true, force: true });
});

describe('@ondevice/vision-models', () => {
  const specs = MODEL_SPECS.filter((s) => s.npm && MIRRORED.includes(s.npm.package));
  it('covers the specs whose weights it mirrors', () => {
    expect(specs.map((s) => s.id).sort()).toEqual(
      [
        'blazeface-back',
        'centernet-mobilenetv3-coco',
        'facemesh',
        'iris',
        'tesseract-eng',
        'tesseract-fra',
      ].sort(),
    );
  });
  const mirror = join(
    dirname(createRequire(import.meta.url).resolve('@ondevice/vision-models/package.json')),
    'files',
  );
  for (const spec of specs)
    it(`mirrors ${spec.id} with the SHA-256 of its spec, and the store loads it`, async () => {
      for (const f of spec.files) {
        const path = join(mirror, `${spec.npm!.package}@${spec.npm!.version}`, spec.npm!.dir, f.path);
        const sum = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
        expect(sum, path).toBe(f.sha256);
      }
      const loaded = await loadModel(spec);
      for (const f of spec.files) expect(loaded.sources.get(f.path)).toBe('package');
    });
});
