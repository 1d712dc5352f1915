import type { ModelSpec } from '@ondevice/core';

/** Placeholder until the trained model is committed. */
export const TINY_MARIAN_EN_ES: ModelSpec = {
  id: 'tiny-marian-en-es',
  version: '0',
  format: 'onnx',
  license: 'Apache-2.0',
  files: [],
};
