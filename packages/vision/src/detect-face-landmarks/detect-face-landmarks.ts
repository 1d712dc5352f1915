import type {
  BoundingBox,
  Engine,
  EngineModel,
  EngineRuntime,
  EngineTensor,
  ImageInput,
  ModelSpec,
} from '@ondevice/core';
import {
  boxFromPoints,
  clipBox,
  iou as boxIou,
  DisposedError,
  decodeImage,
  lazyDefault,
  loadEngine,
  loadModel,
  ModelLoadError,
  parseOptions,
  throwIfAborted,
} from '@ondevice/core';
import { convertGraphModelToOnnx } from '@ondevice/optimize';
import {
  BLAZEFACE,
  BLAZEFACE_ONNX,
  FACEMESH,
  FACEMESH_INT8_ONNX,
  FACEMESH_ONNX,
  IRIS,
  IRIS_INT8_ONNX,
  IRIS_ONNX,
} from '../models.js';
import { useVisionModelPackages } from '../package-root.js';
import { type FaceModelName, quantizeFaceOnnx } from './int8.js';
import {
  type DetectFaceLandmarksOptions,
  detectFaceLandmarksOptionsSchema,
  type FaceLandmarkerOptions,
  type FaceLandmarkPrecision,
  faceLandmarkerOptionsSchema,
} from './options.js';
import {
  type Affine,
  blazeFaceAnchors,
  cropToImage,
  DETECTOR_SIZE,
  decodeDetections,
  eyeRect,
  type FaceDetection,
  faceRectFromDetection,
  faceRectFromMesh,
  mapLandmarks,
  normalizeAngle,
  type RotatedRect,
  rectsDiffer,
  suppressNestedFaces,
  weightedNonMaxSuppression,
} from './postprocess.js';
import {
  createPyramid,
  detectorInput,
  detectorRegionInput,
  type Pyramid,
  pyramidCrop,
  type SquareRegion,
  squareTiles,
} from './preprocess.js';
import type { FaceLandmarks, FaceLandmarksResult } from './result.js';

/**
 * A face model as the engine takes it: the published TFJS graph and its ONNX form, converted from
 * the same verified files on first use.
 */
function faceEngineModel(
  tfjs: ModelSpec,
  onnx: ModelSpec,
  int8?: { name: FaceModelName; spec: ModelSpec },
): EngineModel {
  return {
    tfjs,
    onnx: {
      spec: int8?.spec ?? onnx,
      async derive(o) {
        const { files } = await loadModel(tfjs, o);
        const jsonPath = [...files.keys()].find((p) => p.endsWith('.json'))!;
        const fp32 = convertGraphModelToOnnx({
          modelJson: files.get(jsonPath)!,
          weights: new Map([...files].filter(([p]) => p !== jsonPath)),
        }).onnx;
        // int8: the float32 form quantised to QDQ with the recorded calibration.
        return int8 ? quantizeFaceOnnx(int8.name, fp32, onnx) : fp32;
      },
    },
  };
}

/** Whether box `b`'s centre lies inside box `a`. */
function contains(a: BoundingBox, b: BoundingBox): boolean {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  return cx >= a.x && cx <= a.x + a.width && cy >= a.y && cy <= a.y + a.height;
}

/** The one output whose dimensions pass `test`, or a ModelLoadError naming what was expected. */
function outputWith(
  out: Record<string, EngineTensor>,
  test: (dims: readonly number[]) => boolean,
  what: string,
): EngineTensor {
  const t = Object.values(out).find((o) => test(o.dims));
  if (!t) throw new ModelLoadError(`The ${what} output is missing.`);
  return t;
}

/** FaceMesh input size in pixels. */
const MESH_SIZE = 192;
/** Iris input size in pixels. */
const IRIS_SIZE = 64;
/** The mesh crop is the detector box's longer side times this (MediaPipe uses 1.5, human 1.4). */
const MESH_CROP_SCALE = 1.5;
/** The iris crop is the eye-corner distance times this. */
const IRIS_CROP_SCALE = 2.3;
/** Faces whose first mesh scores below this get a second look on the crop their mesh gives. */
const CONFIRM_BELOW = 0.9;
/** Detector candidates meshed beyond `maxFaces`, in case the presence check rejects some. */
const SPARE_CANDIDATES = 4;
/** The small-faces pass runs on images whose longer side is at least this (px). */
const SMALL_FACES_MIN_SIDE = 512;
/** …and when the first pass found no face or one whose box is under this fraction of that side. */
const SMALL_FACE_SIDE = 1 / 8;
/**
 * Its tiles are this many times smaller than the image's longer side. 1.5 (4 tiles instead of 6 on
 * a 4:3 photo) found one more COCO face but also a false one, on lettering in a photo without
 * people (presence 0.93), so 2.
 */
const SMALL_FACES_ZOOM = 2;
/** Weighted NMS merges detector boxes overlapping more than this. */
const NMS_IOU = 0.3;
/** Eye-corner landmark pairs (image-left to image-right on an upright face) for the iris crops. */
const RIGHT_EYE_CORNERS = [33, 133] as const;
const LEFT_EYE_CORNERS = [362, 263] as const;
/** Eyelid centre landmarks whose depth the iris points take (upper, lower). */
const RIGHT_EYELIDS = [159, 145] as const;
const LEFT_EYELIDS = [386, 374] as const;
/** Iris model output: 71 eye-contour points, then 5 iris points (centre first). */
const IRIS_CONTOUR_POINTS = 71;
const IRIS_POINTS = 5;

/** Milliseconds spent in each stage of the last `detect` call. */
export interface FaceLandmarkerTimings {
  /** Decoding the input to pixels. */
  decode: number;
  /** Detector: letterbox, model, decoding and NMS. */
  detect: number;
  /** Mesh: rotated crops, model and mapping, for all faces. */
  mesh: number;
  /** Iris: eye crops, model and mapping, for all faces (0 without `refineLandmarks`). */
  iris: number;
  /** The whole call. */
  total: number;
}

/** A face landmarker: detector + FaceMesh (+ Iris) loaded once, reused across calls. */
export interface FaceLandmarker {
  /**
   * Finds faces and their landmarks.
   *
   * @example
   * ```ts
   * const { faces } = await landmarker.detect('portrait.jpg');
   * ```
   */
  detect(input: ImageInput, options?: DetectFaceLandmarksOptions): Promise<FaceLandmarksResult>;
  /** Per-stage timings of the last completed `detect` call (undefined before the first). */
  readonly lastTimings: FaceLandmarkerTimings | undefined;
  /** The runtime the detector and mesh models run on (see `engine` in the options). */
  readonly runtime: EngineRuntime;
  /** The models' precision (see `precision` in the options). */
  readonly precision: FaceLandmarkPrecision;
  /** Releases the models. Later `detect` calls reject with `DisposedError`. */
  dispose(): void;
  [Symbol.dispose](): void;
}

const now = () => globalThis.performance.now();

/**
 * Creates a face landmarker: MediaPipe BlazeFace finds faces, FaceMesh puts 468 landmarks on each
 * (in a crop rolled to level the eyes), and with `refineLandmarks` the Iris model adds 10 iris
 * points (478 in all). Models come from the model store (the `@vladmandic/human` package).
 *
 * @example
 * ```ts
 * using landmarker = await createFaceLandmarker({ refineLandmarks: true });
 * const { faces } = await landmarker.detect('group.jpg');
 * console.log(faces.length, faces[0]?.keypoints[468]); // right iris centre
 * ```
 */
export async function createFaceLandmarker(options?: FaceLandmarkerOptions): Promise<FaceLandmarker> {
  const config = parseOptions(faceLandmarkerOptionsSchema, options, 'createFaceLandmarker');
  const loadOpts = { modelPath: config.modelPath, engine: config.engine };
  await useVisionModelPackages();
  const int8 = config.precision === 'int8';
  const [detector, mesh] = await Promise.all([
    // BlazeFace stays float32 at every precision: its int8 form (BLAZEFACE_INT8_ONNX) put 10× as
    // many anchors above the detection threshold and ran at half the speed (bench/results/int8.md).
    loadEngine(faceEngineModel(BLAZEFACE, BLAZEFACE_ONNX), loadOpts),
    loadEngine(
      faceEngineModel(
        FACEMESH,
        FACEMESH_ONNX,
        int8 ? { name: 'facemesh', spec: FACEMESH_INT8_ONNX } : undefined,
      ),
      loadOpts,
    ),
  ]);
  let disposed = false;
  /**
   * Every stage starts with this: a call disposed between stages (the models are freed at once)
   * rejects with DisposedError instead of running a freed model.
   */
  const check = () => {
    if (disposed) throw new DisposedError('This face landmarker');
  };
  let irisModel: Promise<Engine> | undefined;
  const getIris = async () => {
    check();
    irisModel ??= loadEngine(
      faceEngineModel(IRIS, IRIS_ONNX, int8 ? { name: 'iris', spec: IRIS_INT8_ONNX } : undefined),
      loadOpts,
    ).catch((error: unknown) => {
      irisModel = undefined;
      throw error;
    });
    const model = await irisModel;
    // dispose() during the load frees the model once it arrives (see dispose).
    check();
    return model;
  };
  if (config.refineLandmarks) await getIris();
  const anchors = blazeFaceAnchors(DETECTOR_SIZE);
  let lastTimings: FaceLandmarkerTimings | undefined;

  /**
   * The detector on the whole image letterboxed, or on a square region of it. One run per input:
   * the converted BlazeFace has a fixed batch of 1.
   */
  async function runDetector(
    pixels: Pyramid,
    minScore: number,
    maxResults: number,
    region?: SquareRegion,
  ): Promise<FaceDetection[]> {
    check();
    const { data, frame } = region
      ? detectorRegionInput(pixels, region, DETECTOR_SIZE)
      : detectorInput(pixels, DETECTOR_SIZE);
    const out = await detector.run({
      [detector.inputNames[0]!]: { data, dims: [1, DETECTOR_SIZE, DETECTOR_SIZE, 3] },
    });
    const find = (n: number, c: number) =>
      outputWith(out, (d) => d[1] === n && d[2] === c, `BlazeFace [1, ${n}, ${c}]`).data;
    const [s512, r512, s384, r384] = [find(512, 1), find(512, 16), find(384, 1), find(384, 16)];
    const logits = new Float32Array(896);
    logits.set(s512, 0);
    logits.set(s384, 512);
    const regressors = new Float32Array(896 * 16);
    regressors.set(r512, 0);
    regressors.set(r384, 512 * 16);
    const candidates = decodeDetections(logits, regressors, anchors, minScore);
    return weightedNonMaxSuppression(candidates, NMS_IOU, maxResults).map((d) => ({
      score: d.score,
      box: {
        x: (d.box.x - frame.padX) * frame.scaleX,
        y: (d.box.y - frame.padY) * frame.scaleY,
        width: d.box.width * frame.scaleX,
        height: d.box.height * frame.scaleY,
      },
      keypoints: d.keypoints.map((p) => ({
        x: (p.x - frame.padX) * frame.scaleX,
        y: (p.y - frame.padY) * frame.scaleY,
      })),
    }));
  }

  /**
   * The detector on overlapping square tiles, each 1 / {@link SMALL_FACES_ZOOM} of the image's
   * longer side (so faces look that many times larger than in the whole-image pass). Boxes that
   * touch an inner tile edge (cut faces) or fill more than a quarter of the tile (the whole image
   * shows those well) are left out; the rest are merged across tiles.
   */
  async function runZoomedDetector(pixels: Pyramid, minScore: number, maxResults: number) {
    const found: FaceDetection[] = [];
    const regions = squareTiles(pixels.width, pixels.height, SMALL_FACES_ZOOM, 0.25);
    for (const region of regions) {
      const m = region.side * 0.02;
      const inner = (lo: number, hi: number, size: number) => (a: number, b: number) =>
        (lo <= 0 || a > lo + m) && (hi >= size || b < hi - m);
      const inX = inner(region.x, region.x + region.side, pixels.width);
      const inY = inner(region.y, region.y + region.side, pixels.height);
      for (const d of await runDetector(pixels, minScore, maxResults, region)) {
        const { x, y, width, height } = d.box;
        if (Math.max(width, height) > region.side / 4) continue;
        if (inX(x, x + width) && inY(y, y + height)) found.push(d);
      }
    }
    return weightedNonMaxSuppression(found, NMS_IOU, maxResults);
  }

  async function runMeshOn(
    pixels: Pyramid,
    rects: RotatedRect[],
  ): Promise<{ points: { x: number; y: number; z: number }[]; score: number; rect: RotatedRect }[]> {
    if (!rects.length) return [];
    check();
    const maps = rects.map((rect) => cropToImage(rect, MESH_SIZE));
    const size = MESH_SIZE * MESH_SIZE * 3;
    const batch = new Float32Array(rects.length * size);
    maps.forEach((m, i) => {
      pyramidCrop(pixels, m, MESH_SIZE, batch, i * size);
    });
    const out = await mesh.run({
      [mesh.inputNames[0]!]: { data: batch, dims: [rects.length, MESH_SIZE, MESH_SIZE, 3] },
    });
    const values = outputWith(out, (d) => d[1] === 1404, 'FaceMesh mesh').data;
    const flags = outputWith(out, (d) => d.length === 2 && d[1] === 1, 'FaceMesh face-flag').data;
    return rects.map((rect, i) => ({
      points: mapLandmarks(values, 468, maps[i]!, i * 1404),
      score: flags[i]!,
      rect,
    }));
  }

  /**
   * Mesh for each detection; where the mesh says the detector's crop was off (shifted, wrong size
   * or roll) or its presence score is not clearly high, the mesh runs once more on the crop its
   * own landmarks give, and that second result (landmarks and score) is kept.
   */
  async function runMesh(pixels: Pyramid, detections: FaceDetection[], minPresence: number) {
    const first = await runMeshOn(
      pixels,
      detections.map((d) => faceRectFromDetection(d, MESH_CROP_SCALE)),
    );
    const again: number[] = [];
    const rects: RotatedRect[] = [];
    first.forEach((m, i) => {
      if (m.score < minPresence) return;
      const rect = faceRectFromMesh(m.points, MESH_CROP_SCALE);
      if (m.score < CONFIRM_BELOW || rectsDiffer(m.rect, rect)) {
        again.push(i);
        rects.push(rect);
      }
    });
    const second = await runMeshOn(pixels, rects);
    // The second look decides: false faces (a fist, a luggage tag, donuts) often pass the first
    // crop and fail the re-centred one, while real faces keep scoring high.
    second.forEach((m, k) => {
      first[again[k]!] = m;
    });
    return first;
  }

  async function runIris(pixels: Pyramid, faces: { x: number; y: number; z: number }[][]): Promise<void> {
    if (!faces.length) return;
    const model = await getIris();
    const eyes: { map: Affine; lids: readonly [number, number] }[] = [];
    const n = IRIS_SIZE * IRIS_SIZE * 3;
    const batch = new Float32Array(faces.length * 2 * n);
    faces.forEach((pts, f) => {
      const sides = [
        { corners: RIGHT_EYE_CORNERS, lids: RIGHT_EYELIDS, mirror: false },
        { corners: LEFT_EYE_CORNERS, lids: LEFT_EYELIDS, mirror: true },
      ];
      sides.forEach((side, s) => {
        const rect = eyeRect(pts[side.corners[0]]!, pts[side.corners[1]]!, IRIS_CROP_SCALE);
        const map = cropToImage(rect, IRIS_SIZE, side.mirror);
        eyes.push({ map, lids: side.lids });
        pyramidCrop(pixels, map, IRIS_SIZE, batch, (f * 2 + s) * n);
      });
    });
    const out = await model.run({
      [model.inputNames[0]!]: { data: batch, dims: [faces.length * 2, IRIS_SIZE, IRIS_SIZE, 3] },
    });
    const values = outputWith(out, (d) => d[d.length - 1] === 228, 'Iris').data;
    const per = (IRIS_CONTOUR_POINTS + IRIS_POINTS) * 3;
    faces.forEach((pts, f) => {
      for (let s = 0; s < 2; s++) {
        const eye = eyes[f * 2 + s]!;
        const iris = mapLandmarks(values, IRIS_POINTS, eye.map, (f * 2 + s) * per + IRIS_CONTOUR_POINTS * 3);
        const z = (pts[eye.lids[0]]!.z + pts[eye.lids[1]]!.z) / 2;
        for (const p of iris) pts.push({ x: p.x, y: p.y, z });
      }
    });
  }

  const self: FaceLandmarker = {
    get lastTimings() {
      return lastTimings;
    },
    runtime: mesh.runtime,
    precision: config.precision,
    async detect(input, callOptions) {
      try {
        return await run(input, callOptions);
      } catch (error) {
        // Whatever a freed model threw once dispose() ran, the caller learns why.
        if (disposed && !(error instanceof DisposedError)) throw new DisposedError('This face landmarker');
        throw error;
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      detector.dispose();
      mesh.dispose();
      irisModel?.then((m) => m.dispose()).catch(() => {});
    },
    [Symbol.dispose]() {
      self.dispose();
    },
  };

  async function run(
    input: ImageInput,
    callOptions: DetectFaceLandmarksOptions | undefined,
  ): Promise<FaceLandmarksResult> {
    check();
    const o = parseOptions(detectFaceLandmarksOptionsSchema, callOptions, 'detectFaceLandmarks');
    const maxFaces = o.maxFaces ?? config.maxFaces ?? Number.POSITIVE_INFINITY;
    const minDetection = o.minDetectionConfidence ?? config.minDetectionConfidence;
    const minPresence = o.minPresenceConfidence ?? config.minPresenceConfidence;
    const refine = o.refineLandmarks ?? config.refineLandmarks;
    const smallFaces = o.smallFaces ?? config.smallFaces;
    const signal = o.signal;
    const what = 'Face landmark detection';
    throwIfAborted(signal, what);
    const t0 = now();
    const image = await decodeImage(input, { signal });
    const pixels = createPyramid(image);
    const t1 = now();
    throwIfAborted(signal, what);
    check();
    // A few spare candidates: the mesh may reject some (false faces can outscore real ones).
    const limit = maxFaces + SPARE_CANDIDATES;
    const whole = await runDetector(pixels, minDetection, limit);
    let detectMs = now() - t1;
    throwIfAborted(signal, what);
    check();
    let tm = now();
    const meshWith = async (dets: FaceDetection[]) =>
      (await runMesh(pixels, dets, minPresence)).map((m, i) => ({ ...m, det: dets[i]! }));
    const meshes = await meshWith(whole);
    const faceBox = (m: (typeof meshes)[number]) =>
      clipBox(boxFromPoints(m.points.slice(0, 468)), pixels.width, pixels.height);
    let meshMs = now() - tm;
    let distinct = whole.length;
    const confirmed = meshes.filter((m) => m.score >= minPresence).map(faceBox);
    const longer = Math.max(pixels.width, pixels.height);
    if (
      smallFaces &&
      longer >= SMALL_FACES_MIN_SIDE &&
      distinct < limit &&
      // Only when small faces are likely: none found, or one that is small for the image.
      (confirmed.length === 0 ||
        confirmed.some((f) => Math.max(f.width, f.height) < longer * SMALL_FACE_SIDE))
    ) {
      // The second look: zoomed tiles, meshed only where no face was confirmed yet (a box the
      // whole-image pass found but whose mesh failed gets its second chance from its tile box).
      tm = now();
      const zoomed = (await runZoomedDetector(pixels, minDetection, limit)).filter(
        (d) => !confirmed.some((f) => boxIou(f, d.box) > NMS_IOU || contains(f, d.box)),
      );
      distinct += zoomed.filter((d) => !whole.some((w) => boxIou(w.box, d.box) > NMS_IOU)).length;
      detectMs += now() - tm;
      throwIfAborted(signal, what);
      check();
      tm = now();
      meshes.push(...(await meshWith(zoomed)));
      meshMs += now() - tm;
    }
    const present = meshes
      .filter((m) => m.score >= minPresence)
      .map((m) => ({ ...m, detectionScore: m.det.score, box: faceBox(m) }));
    const found = suppressNestedFaces(present).sort((a, b) => b.score - a.score);
    const kept = found.slice(0, maxFaces);
    // Said, not silent: the cap dropped faces, or stopped the detector from offering more.
    const capped = found.length > maxFaces || distinct >= limit;
    const t3 = now();
    throwIfAborted(signal, what);
    check();
    if (refine)
      await runIris(
        pixels,
        kept.map((m) => m.points),
      );
    const t4 = now();
    const faces: FaceLandmarks[] = kept.map((m) => ({
      box: m.box,
      score: m.score,
      detectionScore: m.detectionScore,
      keypoints: m.points,
      rollAngle: normalizeAngle(m.rect.angle),
    }));
    check();
    lastTimings = { decode: t1 - t0, detect: detectMs, mesh: meshMs, iris: t4 - t3, total: t4 - t0 };
    return { faces, capped, width: pixels.width, height: pixels.height };
  }
  return self;
}

const defaultLandmarkers = {
  fp32: lazyDefault(() => createFaceLandmarker()),
  int8: lazyDefault(() => createFaceLandmarker({ precision: 'int8' })),
};

/**
 * Finds faces and their 468 MediaPipe Face Mesh landmarks (478 with `refineLandmarks: true`) in
 * input pixels, using a shared default landmarker created on first use (one per `precision`:
 * `'int8'` runs int8 forms of the models on the native engine, see `createFaceLandmarker`).
 *
 * @example
 * ```ts
 * const { faces } = await detectFaceLandmarks('selfie.jpg', { refineLandmarks: true });
 * const noseTip = faces[0]?.keypoints[1];
 * const int8 = await detectFaceLandmarks('selfie.jpg', { precision: 'int8' });
 * ```
 */
export async function detectFaceLandmarks(
  input: ImageInput,
  options?: DetectFaceLandmarksOptions & { precision?: FaceLandmarkPrecision },
): Promise<FaceLandmarksResult> {
  const { precision: p, ...call } = options ?? {};
  const precision = parseOptions(
    faceLandmarkerOptionsSchema.pick({ precision: true }),
    { precision: p },
    'detectFaceLandmarks',
  ).precision;
  return (await defaultLandmarkers[precision].get()).detect(input, options ? call : undefined);
}
