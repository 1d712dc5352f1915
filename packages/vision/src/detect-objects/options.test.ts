import { OptionsError, parseOptions } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { detectOptionsSchema, objectDetectorOptionsSchema } from './options.js';

describe('object detector options', () => {
  it('fills documented defaults', () => {
    const o = parseOptions(objectDetectorOptionsSchema, undefined, 'createObjectDetector');
    expect(o).toMatchObject({ model: 'balanced', maxResults: 20, iouThreshold: 0.5 });
    // No number: each model's own default applies (OBJECT_DETECTION_MODELS[model].defaultScoreThreshold).
    expect(o.scoreThreshold).toBeUndefined();
  });

  it('rejects an unknown label, listing the valid ones', () => {
    const bad = () =>
      parseOptions(objectDetectorOptionsSchema, { categoryAllowlist: ['cat', 'unicorn'] }, 'x');
    expect(bad).toThrow(OptionsError);
    expect(bad).toThrow(/"unicorn".*person, bicycle/);
  });

  it('rejects an unknown model, listing the variants', () => {
    expect(() => parseOptions(objectDetectorOptionsSchema, { model: 'huge' }, 'x')).toThrow(
      /balanced.*fast.*accurate/,
    );
  });

  it('rejects unknown keys and out-of-range values', () => {
    expect(() => parseOptions(detectOptionsSchema, { treshold: 0.3 }, 'detect')).toThrow(OptionsError);
    expect(() => parseOptions(detectOptionsSchema, { scoreThreshold: 2 }, 'detect')).toThrow(OptionsError);
    expect(() => parseOptions(detectOptionsSchema, { maxResults: 0 }, 'detect')).toThrow(OptionsError);
  });
});
