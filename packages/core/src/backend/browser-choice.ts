// Which runtime runs a model in a browser, per backend, as measured by bench/browser-engines.mjs
// (bench/results/browser-engines.md): tfjs against onnxruntime-web on the same weights in Chromium,
// alternating run by run. Pure: the caller says what the page has (the tfjs backend its capability
// probe chose, and whether the page is cross-origin isolated); nothing here loads a runtime.

/** A backend a browser page runs a model on (tfjs's backend, or onnxruntime-web's execution provider). */
export type BrowserBackend = 'webgpu' | 'webgl' | 'wasm';

/** What {@link chooseBrowserEngine} decided. */
export interface BrowserEngineChoice {
  /** The runtime: tfjs, or onnxruntime-web on the model's ONNX form. */
  runtime: 'tfjs' | 'onnxruntime-web';
  /** tfjs's backend, or onnxruntime-web's execution provider (the same backend that was asked about). */
  backend: BrowserBackend;
  /** onnxruntime-web's WASM threads (`env.wasm.numThreads`): 1, or 2 in a cross-origin isolated page where 2 were faster. */
  threads: 1 | 2;
  /** Why, in one line with the measured p50s (for debug logs). */
  reason: string;
}

/** One measurement (one page of the bench) of one model on one backend: p50 in ms. */
export interface BrowserEngineTiming {
  /** tfjs on this backend. */
  readonly tfjs: number;
  /** onnxruntime-web on this backend (WASM: 1 thread); absent where it was not measured. */
  readonly onnx?: number;
  /** onnxruntime-web WASM on 2 threads, in a cross-origin isolated page. */
  readonly onnx2?: number;
}

/**
 * onnxruntime-web is kept only where it took less than this share of tfjs's time in every
 * measurement; within 10 % is a tie on the shared 2-core machine this was measured on, and a tie
 * goes to tfjs, which the other models load anyway (a second runtime is 14–27 MB more WASM).
 *
 * @example
 * ```ts
 * const faster = onnxMs < BROWSER_ENGINE_MARGIN * tfjsMs;
 * ```
 */
export const BROWSER_ENGINE_MARGIN = 0.9;

/**
 * The p50s behind the choice, per TFJS model id and backend, one entry per page of
 * bench/browser-engines.mjs (2026-12-03: Chromium 150 headless, 2-core AMD EPYC, load average
 * 13–16; no GPU, so WebGPU and WebGL ran on SwiftShader and say nothing about a real GPU). WASM
 * was measured twice: beside every other engine, then alone with 40 rounds. A model or backend
 * not listed runs on tfjs. `test/browser-choice.test.ts` holds these equal to
 * bench/results/browser-engines.json.
 *
 * @example
 * ```ts
 * BROWSER_ENGINE_MEASUREMENTS.iris?.wasm; // [{ tfjs: 24.71, onnx: 20.52, onnx2: 24.4 }, …]
 * ```
 */
export const BROWSER_ENGINE_MEASUREMENTS: Readonly<
  Record<string, Readonly<Partial<Record<BrowserBackend, readonly BrowserEngineTiming[]>>>>
> = {
  'centernet-mobilenetv3-coco': {
    webgpu: [{ tfjs: 41105.25, onnx: 58795.59 }],
    webgl: [{ tfjs: 6263.67 }],
    wasm: [
      { tfjs: 390.83, onnx: 476.39, onnx2: 770.13 },
      { tfjs: 616.71, onnx: 706.89, onnx2: 1236.72 },
    ],
  },
  'blazeface-back': {
    webgpu: [{ tfjs: 11564.23, onnx: 15072.42 }],
    webgl: [{ tfjs: 1724.87 }],
    wasm: [
      { tfjs: 91.3, onnx: 131.38, onnx2: 203.88 },
      { tfjs: 148.56, onnx: 120, onnx2: 178.82 },
    ],
  },
  facemesh: {
    webgpu: [{ tfjs: 2331.88, onnx: 2305.47 }],
    webgl: [{ tfjs: 386.22 }],
    wasm: [
      { tfjs: 17.38, onnx: 11.46, onnx2: 31.08 },
      { tfjs: 23.03, onnx: 15.53, onnx2: 32.52 },
    ],
  },
  iris: {
    webgpu: [{ tfjs: 2234.5, onnx: 2152.41 }],
    webgl: [{ tfjs: 319.61 }],
    wasm: [
      { tfjs: 24.71, onnx: 20.52, onnx2: 24.4 },
      { tfjs: 16.22, onnx: 10.67, onnx2: 16.87 },
    ],
  },
};

/** What {@link chooseBrowserEngine} is asked. */
export interface BrowserEngineQuery {
  /** The TFJS model's spec id (e.g. `centernet-mobilenetv3-coco`). */
  model: string;
  /** The backend tfjs's capability probe chose for this page. */
  backend: BrowserBackend;
  /** Whether the page is cross-origin isolated (`globalThis.crossOriginIsolated`). */
  crossOriginIsolated: boolean;
  /** Whether the model has an ONNX form. Default: true. */
  hasOnnx?: boolean;
}

/**
 * Picks tfjs or onnxruntime-web for a model in a browser, on the backend the page has: onnxruntime-web
 * where it was faster than tfjs by more than {@link BROWSER_ENGINE_MARGIN} in every measurement of
 * {@link BROWSER_ENGINE_MEASUREMENTS}, tfjs otherwise (and for models or backends not measured). Its
 * WASM gets 2 threads only in a cross-origin isolated page, and only where 2 threads beat both 1
 * thread and tfjs by that margin (nowhere on the 2-core machine measured).
 *
 * @example
 * ```ts
 * const choice = chooseBrowserEngine({
 *   model: 'facemesh',
 *   backend: 'wasm',
 *   crossOriginIsolated: globalThis.crossOriginIsolated === true,
 * });
 * // { runtime: 'onnxruntime-web', backend: 'wasm', threads: 1, reason: 'facemesh on wasm: …' }
 * ```
 */
export function chooseBrowserEngine(query: BrowserEngineQuery): BrowserEngineChoice {
  const { model, backend, crossOriginIsolated, hasOnnx = true } = query;
  const what = `${model} on ${backend}`;
  const tfjs = (why: string): BrowserEngineChoice => ({
    runtime: 'tfjs',
    backend,
    threads: 1,
    reason: `${what}: tfjs (${why})`,
  });
  if (!hasOnnx) return tfjs('no ONNX form');
  const timings = BROWSER_ENGINE_MEASUREMENTS[model]?.[backend];
  if (!timings?.length) return tfjs('not measured');
  const ms = (t: BrowserEngineTiming) =>
    `tfjs ${t.tfjs} ms, onnxruntime-web ${t.onnx ?? '—'} ms${t.onnx2 === undefined ? '' : ` (2 threads ${t.onnx2} ms)`}`;
  const measured = timings.map(ms).join('; ');
  const beats = (a: number | undefined, b: number) => a !== undefined && a < BROWSER_ENGINE_MARGIN * b;
  if (
    crossOriginIsolated &&
    timings.every((t) => beats(t.onnx2, t.onnx === undefined ? t.tfjs : Math.min(t.tfjs, t.onnx)))
  )
    return {
      runtime: 'onnxruntime-web',
      backend,
      threads: 2,
      reason: `${what}: onnxruntime-web, 2 threads (${measured})`,
    };
  if (timings.every((t) => beats(t.onnx, t.tfjs)))
    return {
      runtime: 'onnxruntime-web',
      backend,
      threads: 1,
      reason: `${what}: onnxruntime-web (${measured})`,
    };
  return tfjs(measured);
}
