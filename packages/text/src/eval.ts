/**
 * `@ondevice/text/eval`: the measures translation quality is reported in (chrF and corpus BLEU, as
 * `ondevice-eval-translation` prints them). For benchmarks and tests, not for apps.
 *
 * @packageDocumentation
 */
export { bleu, chrF } from './translate/metrics.js';
