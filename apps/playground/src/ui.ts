// Framework-free building blocks shared by every page: the page shell (title, copyable API call,
// backend / model progress / latency readouts), image inputs (samples, upload, drag-and-drop,
// webcam with frames dropped rather than queued) and a canvas stage to draw results on.
import type { ModelProgress, ModelSpec } from '@ondevice/core';
import { AbortedError, configure, prefetchModel, runtimeWasmSpec } from '@ondevice/core';

/** Serves models and WASM from this app (copied by scripts/copy-assets.mjs): no CDN, works offline. */
export function setUpOnDevice(): void {
  configure({ modelBaseUrl: '/models/', allowRemoteModels: true, wasmBaseUrl: '/wasm/' });
}

type State = 'idle' | 'loading' | 'ready' | 'running' | 'done' | 'error' | 'cancelled';

/** What the end-to-end tests read: `window.__playground`. */
export interface PlaygroundProbe {
  state: State;
  runs: number;
  last: unknown;
  /** A live page's frame rates and counts (see LiveView). */
  live?: unknown;
  error?: string;
}

declare global {
  interface Window {
    __playground: PlaygroundProbe;
  }
}

/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** Fetches one model's files, reporting progress (core's `prefetchModel`, or a worker's). */
export type Prefetch = (spec: ModelSpec, onProgress: (p: ModelProgress) => void) => Promise<unknown>;

export interface PageParts {
  /** Where inputs go (left column). */
  inputs: HTMLElement;
  /** Where the drawn result goes. */
  output: HTMLElement;
  /** Text results beside the drawing. */
  details: HTMLElement;
  setBackend(text: string): void;
  setLatency(ms: number, label?: string): void;
  setStatus(text: string, kind?: 'info' | 'error'): void;
  /** Marks a finished run; the tests wait on it. */
  done(result: unknown): void;
  /**
   * Shows an error in words, in place of the results (which are dimmed: they no longer match what
   * was asked).
   */
  fail(error: unknown): void;
  /**
   * Marks a run as started and returns its AbortSignal, which the page's Cancel button (shown
   * until the run is done or failed) aborts; a newer run aborts the one before it.
   */
  running(): AbortSignal;
  /**
   * Scrolls the results (or `target`) into view when they are off screen (phones: they sit below
   * the inputs).
   */
  reveal(target?: HTMLElement): void;
  /** Drives the progress bar from a task's own onProgress. */
  progress(loaded: number, total: number, label: string): void;
  /**
   * Downloads (or finds in the cache) each model, all at once, driving the progress bar. `prefetch`
   * does one model's download (default: core's prefetchModel here; the vision pages pass their
   * worker's, so hashing and caching happen off the main thread too).
   */
  loadModels(specs: ModelSpec[], prefetch?: Prefetch): Promise<void>;
}

/** Builds the common page layout and returns its parts. */
export function mountPage(options: { title: string; blurb: string; apiCall: string }): PageParts {
  setUpOnDevice();
  const probe: PlaygroundProbe = { state: 'idle', runs: 0, last: undefined };
  window.__playground = probe;
  const setState = (s: State) => {
    probe.state = s;
    document.body.dataset.state = s;
  };
  setState('idle');

  const code = el('code', { id: 'api-call', text: options.apiCall });
  const copy = el('button', { type: 'button', class: 'copy', title: 'Copy to the clipboard', text: 'Copy' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(options.apiCall);
      copy.textContent = 'Copied';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      copy.textContent = 'Selected';
    }
    setTimeout(() => {
      copy.textContent = 'Copy';
    }, 1500);
  });

  const backend = el('span', { id: 'backend', text: '–' });
  const latency = el('span', { id: 'latency', text: '–' });
  const bar = el('progress', { id: 'model-progress', max: '1', value: '0' });
  const barText = el('span', { id: 'model-progress-text', text: 'not loaded' });
  const status = el('p', { id: 'status', role: 'status', text: 'Pick a sample or drop a file.' });
  // Cancels the task in flight (its worker call rejects at once; the worker stops between stages).
  const cancel = el('button', { type: 'button', id: 'cancel', class: 'cancel', text: 'Cancel' });
  cancel.hidden = true;
  let run: AbortController | undefined;
  const endRun = () => {
    run = undefined;
    cancel.hidden = true;
  };
  // Answers at once, even while a model still loads: the run's own AbortedError, when it comes, is
  // then ignored.
  cancel.addEventListener('click', () => {
    if (!run) return;
    run.abort(new Error('Cancelled with the Cancel button.'));
    showCancelled();
  });
  // A run that ended without results: the stale results greyed, a box that says why in their place.
  const showEnded = (state: 'cancelled' | 'error', title: string, text: string) => {
    endRun();
    output.classList.add('stale');
    details.replaceChildren(
      el('div', { class: 'error-box', role: 'alert', id: 'error' }, el('h2', { text: title }), text),
    );
    setState(state);
  };
  const showCancelled = () => {
    probe.error = 'cancelled';
    parts.setStatus('Cancelled: nothing is shown for that run.');
    showEnded(
      'cancelled',
      'Cancelled',
      'The run was stopped before it finished; pick a sample or file to run again.',
    );
  };

  const inputs = el('section', { class: 'inputs' });
  const output = el('div', { class: 'output', id: 'output' });
  const details = el('div', { class: 'details', id: 'details' });

  document.body.append(
    el(
      'header',
      {},
      el('a', { href: '/', class: 'home', text: '← @ondevice playground' }),
      el('h1', { text: options.title }),
      el('p', { class: 'blurb', text: options.blurb }),
      el('div', { class: 'api' }, code, copy),
      el(
        'dl',
        { class: 'meta' },
        el('dt', { text: 'Model' }),
        el('dd', {}, bar, ' ', barText),
        el('dt', { text: 'Backend' }),
        el('dd', {}, backend),
        el('dt', { text: 'Latency' }),
        el('dd', {}, latency),
      ),
      el(
        'div',
        { class: 'status-row', style: 'display:flex;gap:0.5rem;align-items:baseline;flex-wrap:wrap' },
        status,
        cancel,
      ),
    ),
    el('main', {}, inputs, el('section', { class: 'result' }, output, details)),
  );

  const parts: PageParts = {
    inputs,
    output,
    details,
    setBackend: (t) => {
      backend.textContent = t;
    },
    setLatency: (ms, label = '') => {
      latency.textContent = `${ms.toFixed(0)} ms${label ? ` ${label}` : ''}`;
    },
    setStatus: (t, kind = 'info') => {
      status.textContent = t;
      status.className = kind;
    },
    running: () => {
      if (probe.state !== 'loading') setState('running');
      run?.abort(new Error('A newer run replaced it.'));
      const controller = new AbortController();
      run = controller;
      cancel.hidden = false;
      return controller.signal;
    },
    done: (result) => {
      endRun();
      output.classList.remove('stale');
      probe.runs++;
      probe.last = result;
      delete probe.error;
      document.body.dataset.runs = String(probe.runs);
      setState('done');
    },
    fail: (error) => {
      // An AbortedError is a run cancelled by the button (already shown) or replaced by a newer one.
      if (error instanceof AbortedError && !run?.signal.aborted) return;
      if (error instanceof AbortedError) {
        showCancelled();
        return;
      }
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      probe.error = message;
      parts.setStatus(
        `That did not work (${error instanceof Error ? error.name : 'error'}); what happened is shown with the results.`,
        'error',
      );
      showEnded('error', 'That did not work', message);
      parts.reveal(details);
      console.warn(error);
    },
    reveal: (target = output) => {
      const r = target.getBoundingClientRect();
      if (r.top < 0 || r.top > innerHeight * 0.6) target.scrollIntoView({ block: 'start' });
    },
    progress: (loaded, total, label) => {
      bar.value = total ? loaded / total : 1;
      barText.textContent =
        loaded >= total ? `${mb(total)} ready: ${label}` : `${mb(loaded)} / ${mb(total)}: ${label}`;
    },
    loadModels: async (models, prefetch = (spec, onProgress) => prefetchModel(spec, { onProgress })) => {
      // The runtime WASM these models run on downloads with them, in the same progress bar.
      const specs = [...models, ...runtimesFor(models)];
      const total = specs.reduce((n, s) => n + s.files.reduce((m, f) => m + f.size, 0), 0);
      const done = new Map<string, number>();
      const sources = new Set<string>();
      setState('loading');
      barText.textContent = `0 / ${mb(total)}`;
      await Promise.all(
        specs.map((spec) =>
          prefetch(spec, (p: ModelProgress) => {
            done.set(spec.id, p.loaded);
            sources.add(SOURCE_NAMES[p.source] ?? p.source);
            const loaded = [...done.values()].reduce((a, b) => a + b, 0);
            bar.value = total ? loaded / total : 1;
            barText.textContent = `${mb(loaded)} / ${mb(total)} (${[...sources].join(', ')})`;
          }),
        ),
      );
      bar.value = 1;
      barText.textContent = `${mb(total)} ready (${[...sources].join(', ') || 'from the Cache API'}): ${specs.map((s) => s.id).join(', ')}`;
      setState('ready');
    },
  };
  return parts;
}

/**
 * The runtime binaries a page's models load (ONNX models: onnxruntime-web's; tfjs graphs: the tfjs
 * WASM backend's), as specs to download beside them; none when a spec has none recorded.
 */
function runtimesFor(models: ModelSpec[]): ModelSpec[] {
  const out: ModelSpec[] = [];
  const add = (name: 'onnxruntime-web' | 'tfjs-wasm') => {
    try {
      out.push(runtimeWasmSpec(name));
    } catch {
      // Not recorded: the runtime fetches its own file.
    }
  };
  if (models.some((m) => m.format === 'onnx')) add('onnxruntime-web');
  if (models.some((m) => m.format === 'tfjs-graph')) add('tfjs-wasm');
  return out;
}

/** Where core found a model's files, in the words of this page (its "remote" is this app's /models/). */
const SOURCE_NAMES: Record<string, string> = {
  remote: 'downloaded from this app',
  cache: 'from the Cache API',
  package: 'from the npm package',
  path: 'from modelPath',
};

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The model specs a package's models manifest lists, by id (written by copy-assets). */
export async function specsById(ids: string[]): Promise<ModelSpec[]> {
  const res = await fetch('/models/manifest.json');
  const manifest = (await res.json()) as { models: { spec: ModelSpec }[] };
  return ids.map((id) => {
    const found = manifest.models.find((m) => m.spec.id === id);
    if (!found) throw new Error(`Model ${id} is not in /models/manifest.json; rerun the asset copy.`);
    return found.spec;
  });
}

export interface Sample {
  src: string;
  label: string;
  /** Credit line shown under the picture. */
  credit?: string;
}

/**
 * Sample buttons, a file picker and a drop zone. `onFile` gets the picked sample URL or file.
 */
export function fileInputs(
  parent: HTMLElement,
  options: {
    samples: Sample[];
    accept: string;
    kind: 'image' | 'audio';
    onPick: (source: { url: string; name: string; credit?: string | undefined }) => void;
  },
): void {
  const list = el('div', { class: 'samples' });
  for (const s of options.samples) {
    const b = el('button', { type: 'button', class: 'sample', 'data-sample': s.src, title: s.label });
    if (options.kind === 'image') b.append(el('img', { src: s.src, alt: s.label, loading: 'lazy' }));
    b.append(el('span', { text: s.label }));
    b.addEventListener('click', () => options.onPick({ url: s.src, name: s.label, credit: s.credit }));
    list.append(b);
  }
  const file = el('input', { type: 'file', accept: options.accept, id: 'file' });
  const pickFile = (f: File | undefined) => {
    if (f) options.onPick({ url: URL.createObjectURL(f), name: f.name });
  };
  file.addEventListener('change', () => pickFile(file.files?.[0]));
  const drop = el(
    'label',
    { class: 'drop', for: 'file' },
    `Drop ${options.kind === 'image' ? 'an image' : 'a WAV file'} here, or click to choose one`,
  );
  for (const t of [drop, document.body]) {
    t.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    t.addEventListener('dragleave', () => drop.classList.remove('over'));
    t.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      pickFile((e as DragEvent).dataTransfer?.files?.[0]);
    });
  }
  parent.append(el('h2', { text: 'Samples' }), list, drop, file);
}

/** Decodes a picture for drawing, off the main thread (EXIF orientation applied, as tasks do). */
export function loadImage(file: Blob): Promise<ImageBitmap> {
  return createImageBitmap(file, { imageOrientation: 'from-image' });
}

/**
 * The button that starts and stops a page's live camera mode.
 *
 * @example
 * ```ts
 * const camera = liveButton(page.inputs, () => (live.running ? live.stop() : live.start()));
 * ```
 */
export function liveButton(parent: HTMLElement, onClick: () => void | Promise<void>): HTMLButtonElement {
  const button = el('button', { type: 'button', id: 'webcam', text: 'Start camera' });
  button.addEventListener('click', () => void onClick());
  parent.append(el('h2', { text: 'Live' }), button);
  return button;
}

/**
 * A visible label for a form control (an `<h2>`-styled `<label for>`), so every control has a name.
 *
 * @example
 * ```ts
 * page.inputs.append(labeled(select, 'Model'), select);
 * ```
 */
export function labeled(control: HTMLElement, text: string): HTMLLabelElement {
  if (!control.id) throw new Error(`labeled(): give the control an id first (${text}).`);
  return el('label', { for: control.id, class: 'control-label', text });
}

/** A canvas that shows a picture at its own pixel size (scaled by CSS) with drawings on top. */
export class Stage {
  readonly canvas = el('canvas', {
    class: 'stage',
    id: 'stage',
    role: 'img',
    'aria-label': 'The picture, with what was found drawn over it',
  });
  readonly ctx = this.canvas.getContext('2d')!;
  readonly caption = el('p', { class: 'caption' });

  constructor(parent: HTMLElement) {
    parent.append(this.canvas, this.caption);
  }

  /** Draws the source; returns its size. */
  show(source: CanvasImageSource, width: number, height: number): void {
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    this.ctx.drawImage(source, 0, 0, width, height);
  }

  /** Pixels of the picture per CSS pixel, to keep lines and labels readable at any size. */
  get unit(): number {
    const shown = this.canvas.getBoundingClientRect().width || this.canvas.width;
    return Math.max(1, this.canvas.width / shown);
  }
}

/**
 * Runs `fn` (main-thread drawing) as a User Timing measure named `name`, so the tests and the
 * browser's performance panel can see what each result costs the page.
 */
export function measured<T>(name: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.measure(name, { start, end: performance.now() });
  }
}

/** Milliseconds of an async call. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}
