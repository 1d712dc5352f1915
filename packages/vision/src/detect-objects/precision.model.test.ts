import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configure,
  getConfig,
  iou,
  loadModel,
  ModelIntegrityError,
  type ModelSpec,
  OptionsError,
  resetConfig,
  sha256Hex,
} from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTERNET_MOBILENETV3 } from '../models.js';
import { createObjectDetector, detectObjects } from './detect-objects.js';
import { CENTERNET_MOBILENETV3_INT8, deriveCenterNetInt8 } from './precision.js';
import type { DetectedObject } from './result.js';

const photo = (id: string) => datasetPath('object_detection', 'images', `${id}.jpg`);
const PHOTOS = ['000000214753', '000000519208', '000000397133', '000000303818'];

/** Of `reference`'s objects, the fraction `other` also has (same label, IoU ≥ 0.5). */
function kept(reference: DetectedObject[], other: DetectedObject[]): number {
  if (!reference.length) return 1;
  const found = reference.filter((a) => other.some((b) => b.label === a.label && iou(a.box, b.box) >= 0.5));
  return found.length / reference.length;
}

describe('detectObjects precision (CenterNet int8 derived on first use)', () => {
  let cacheDir: string;
  const before = { ...getConfig() };
  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'ondevice-precision-'));
    configure({ cacheDir, allowRemoteModels: false });
  });
  afterAll(() => {
    resetConfig();
    configure({ cacheDir: before.cacheDir, allowRemoteModels: before.allowRemoteModels });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  // tfjs's int8 is this uint8-weight graph; the native engine's (int8 QDQ) is held by
  // test/int8.model.test.ts.
  it('derives int8 from the verified files, caches it, and detects close to fp32', async () => {
    using int8 = await createObjectDetector({ precision: 'int8', engine: 'tfjs' });
    expect(int8.precision).toBe('int8');
    // Now in the cache, byte-identical to the recorded spec.
    const cached = await loadModel(CENTERNET_MOBILENETV3_INT8);
    expect([...cached.sources.values()]).toEqual(['cache', 'cache']);
    using fp32 = await createObjectDetector();
    let sum = 0;
    for (const id of PHOTOS) {
      const a = await fp32.detect(photo(id));
      const b = await int8.detect(photo(id));
      sum += kept(a, b);
    }
    // Measured 2026-11-24: see the test output; the floor sits a little below.
    const mean = sum / PHOTOS.length;
    console.info(
      `int8 keeps ${(100 * mean).toFixed(1)}% of fp32's objects (same label, IoU ≥ 0.5) on ${PHOTOS.length} photos`,
    );
    expect(mean).toBeGreaterThanOrEqual(0.7);
    const horses = await int8.detect(photo('000000214753'));
    expect(horses.map((o) => o.label)).toEqual(expect.arrayContaining(['horse', 'person']));
  });

  it('fp16 loads the published weights: the same objects as fp32', async () => {
    const a = await detectObjects(photo('000000519208'), { precision: 'fp32' });
    const b = await detectObjects(photo('000000519208'), { precision: 'fp16' });
    expect(b).toEqual(a);
  });

  it('fails with ModelIntegrityError when the derivation no longer reproduces the recorded bytes', async () => {
    const published = await loadModel(CENTERNET_MOBILENETV3);
    const dir = mkdtempSync(join(tmpdir(), 'ondevice-tampered-'));
    try {
      const json = published.files.get('centernet.json')!;
      const bin = published.files.get('centernet.bin')!.slice();
      bin[1000] = bin[1000]! ^ 0x40; // one weight changed: still a valid model
      writeFileSync(join(dir, 'centernet.json'), json);
      writeFileSync(join(dir, 'centernet.bin'), bin);
      const tampered: ModelSpec = {
        ...CENTERNET_MOBILENETV3,
        npm: undefined,
        files: [
          { path: 'centernet.json', sha256: await sha256Hex(json), size: json.byteLength },
          { path: 'centernet.bin', sha256: await sha256Hex(bin), size: bin.byteLength },
        ],
      };
      await expect(deriveCenterNetInt8({ modelPath: dir }, tampered)).rejects.toBeInstanceOf(
        ModelIntegrityError,
      );
      expect(readFileSync(join(dir, 'centernet.bin')).byteLength).toBe(bin.byteLength);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown precision listing the allowed ones', async () => {
    await expect(createObjectDetector({ precision: 'int4' as never })).rejects.toThrow(OptionsError);
    await expect(createObjectDetector({ precision: 'int4' as never })).rejects.toThrow(/fp32.*fp16.*int8/);
  });
});
