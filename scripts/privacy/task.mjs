// One task, run the way an app runs it (the built packages, default options), then idle so that
// anything a dependency does later (onnxruntime-node's telemetry starts ~9 s after its first
// session) happens while strace still watches. Usage: node task.mjs <task> [idleSeconds]
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const datasets = process.env.ONDEVICE_DATASETS ?? `${root}../shared/datasets`;
const sample = `${root}samples/kitchen.jpg`;
const packages = (name) => `${root}packages/${name}/dist/index.js`;

const tasks = {
  async detect() {
    const { detectObjects } = await import(packages('vision'));
    return (await detectObjects(sample)).length;
  },
  async faces() {
    const { detectFaceLandmarks } = await import(packages('vision'));
    return (await detectFaceLandmarks(`${datasets}/faces/images/einstein.jpg`)).faces.length;
  },
  async 'ocr-ppocr'() {
    const { recognizeText } = await import(packages('vision'));
    return (await recognizeText(`${datasets}/ocr/images/tesseract_eurotext.png`, { engine: 'ppocr' })).text
      .length;
  },
  async 'ocr-tesseract'() {
    const { recognizeText } = await import(packages('vision'));
    const r = await recognizeText(`${datasets}/ocr/images/tesseract_eurotext.png`, { engine: 'tesseract' });
    return r.text.length;
  },
  async keywords() {
    const { spotKeywords } = await import(packages('audio'));
    const clip = `${root}packages/audio/test/fixtures/alexa.wav`;
    return (await spotKeywords(clip, { keywords: ['alexa'] })).length;
  },
  async langid() {
    const { identifyLanguage } = await import(packages('text'));
    return (await identifyLanguage('¿Dónde está la estación de tren?'))[0]?.language;
  },
  async translate() {
    const { translate } = await import(packages('text'));
    return (await translate('The woman reads a book.', { to: 'es', model: 'tiny-marian-en-es' })).text;
  },
  // A library user's worker thread that imports the task there and nowhere else: the worker
  // cannot switch native telemetry off for itself, so core must not start onnxruntime-node there.
  async 'keywords-in-worker'() {
    const { Worker } = await import('node:worker_threads');
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(packages('audio'))}).then(async ({ spotKeywords }) => {
        const r = await spotKeywords(${JSON.stringify(`${root}packages/audio/test/fixtures/alexa.wav`)}, { keywords: ['alexa'] });
        parentPort.postMessage(r.length);
      });`;
    return await new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true });
      w.once('message', (m) => {
        w.terminate();
        resolve(m);
      });
      w.once('error', reject);
    });
  },
};

const [name, idle = '20'] = process.argv.slice(2);
const run = tasks[name];
if (!run) {
  console.error(`unknown task "${name}"; one of: ${Object.keys(tasks).join(', ')}`);
  process.exit(2);
}
const result = await run();
console.log(JSON.stringify({ task: name, result }));
await new Promise((resolve) => setTimeout(resolve, Number(idle) * 1000));
process.exit(0);
