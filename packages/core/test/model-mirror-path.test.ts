// modelMirrorPath: the one definition of where a mirror (such as @ondevice/vision-models' files/)
// keeps a model package's files; the store, vision's Tesseract data, `ondevice assets` and the
// playground's asset copy all look there.
import { describe, expect, it } from 'vitest';
import { modelMirrorPath } from '../src/index.js';

describe('modelMirrorPath', () => {
  const human = { package: '@vladmandic/human', version: '3.3.6', dir: 'models' };
  it('is <package>@<version>/<dir>[/<file>]', () => {
    expect(modelMirrorPath(human)).toBe('@vladmandic/human@3.3.6/models');
    expect(modelMirrorPath(human, 'iris.json')).toBe('@vladmandic/human@3.3.6/models/iris.json');
  });
  it('leaves out an empty dir and stray slashes', () => {
    expect(modelMirrorPath({ package: 'tessdata', version: '4.0.0', dir: '' }, 'eng.traineddata')).toBe(
      'tessdata@4.0.0/eng.traineddata',
    );
    expect(modelMirrorPath({ ...human, dir: '/models/' }, '/iris.bin')).toBe(
      '@vladmandic/human@3.3.6/models/iris.bin',
    );
  });
});
