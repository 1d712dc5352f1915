// The audio tasks as the package exports them: each runs in this thread, or in the package's own
// module worker (./audio.worker.ts) when configure({ worker: true }) is set on a page, with the
// same arguments and results. Callbacks in the options (onScores, onProgress) are called back from
// the worker; errors come back as the same classes; AbortSignals cancel between stages. Audio is
// copied unless marked with transferToWorker().
import { remoteTasks, routed, routedFactory } from '@ondevice/core/worker';
import * as spot from '../spot-keywords/spot-keywords.js';

/** The package's worker, started on first use (the pattern Vite and webpack 5 bundle). */
const remote = remoteTasks(
  () => new Worker(new URL('./audio.worker.js', import.meta.url), { type: 'module', name: 'ondevice-audio' }),
);

/**
 * Spots keywords in a clip in one line. With `configure({ worker: true })` in a page it runs in
 * @ondevice/audio's worker.
 *
 * @example
 * ```ts
 * const found = await spotKeywords(wavBytes, { keywords: ['alexa'] });
 * ```
 */
export const spotKeywords: typeof spot.spotKeywords = routed(remote, 'spotKeywords', spot.spotKeywords);

/**
 * Loads a keyword spotter. With `configure({ worker: true })` in a page it lives in
 * @ondevice/audio's worker and this resolves to a stand-in with the same methods (`spot`,
 * `process`, `reset`, `dispose`, …); its `onScores` is called back from the worker.
 *
 * @example
 * ```ts
 * using spotter = await createKeywordSpotter({ keywords: ['alexa'], onScores: (t, s) => draw(t, s) });
 * const found = await spotter.process(chunk);
 * ```
 */
export const createKeywordSpotter: typeof spot.createKeywordSpotter = routedFactory(
  remote,
  'createKeywordSpotter',
  spot.createKeywordSpotter,
);
