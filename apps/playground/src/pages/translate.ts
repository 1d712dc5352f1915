import '../style.css';
import { type TranslationResult, VocabularyCoverageError } from '@ondevice/text';
import { el, labeled, mountPage } from '../ui.js';
import { textWorker } from '../worker/clients.js';

// Sentences inside the built-in demo model's vocabulary (it knows only its template sentences).
const SAMPLES = [
  'The cat is black.',
  'The children are reading a book.',
  'We will eat in the kitchen tomorrow.',
  'My brother does not like the small dog.',
];

const page = mountPage({
  title: 'Translation',
  blurb:
    'Translates on this device with a Marian model run by transformers.js on onnxruntime-web. The built-in English→Spanish model is a 1.2 M-parameter demo that knows only a small vocabulary: each result says how much of the text it knows, and it refuses text it mostly does not know. Register a real OPUS-MT pair for general text.',
  apiCall:
    "import { translate } from '@ondevice/text';\nconst { text, coverage } = await translate('The cat is black.', { from: 'en', to: 'es', model: 'tiny-marian-en-es' }); // 'El gato es negro.', 1",
});

const input = el('textarea', { id: 'text', rows: '4', placeholder: 'English text…' });
input.value = SAMPLES[0]!;
const pair = el('select', { id: 'pair' });
const output = el('div', { class: 'ocr-text', id: 'translation', text: '' });
// How much of the input a demo model knows, or why it refused: never a bare translation.
const flag = el('p', { id: 'translation-flag', role: 'status', text: '' });
const list = el('div', { class: 'samples' });
for (const s of SAMPLES) {
  const b = el('button', { type: 'button', class: 'sample', 'data-sample': s, text: s });
  b.addEventListener('click', () => {
    input.value = s;
    void run();
  });
  list.append(b);
}
const go = el('button', { type: 'button', class: 'run', id: 'translate', text: 'Translate' });
go.addEventListener('click', () => void run());
page.inputs.append(labeled(pair, 'Languages'), pair, el('h2', { text: 'Samples' }), list);
page.output.append(labeled(input, 'Text'), input, go);
const heading = el('h2', { text: 'Translation' });
page.details.append(heading, output, flag);

// No top-level await: a click during the model listing used to reach getTranslator() while the
// bindings below the await were still uninitialised ("Cannot access … before initialization").
// The translator runs in a worker, so the page stays responsive while it works.
const worker = textWorker();
type Route = { from: string; to: string; model?: string };
const translators = new Map<string, Promise<Route>>();
const modelsReady = worker.call('listTranslationModels', undefined).then(
  (models) => {
    for (const m of models) {
      pair.append(
        el('option', {
          value: `${m.from}>${m.to}`,
          text: `${m.from} → ${m.to} (${m.id}${m.demo ? ', demo' : ''})`,
          title: m.license,
        }),
      );
    }
    return models;
  },
  (error: unknown) => {
    page.fail(error);
    return [];
  },
);

function getTranslator(): Promise<Route> {
  const key = pair.value || 'en>es';
  let t = translators.get(key);
  if (!t) {
    const [from, to] = key.split('>') as [string, string];
    t = (async () => {
      const entry = (await modelsReady).find((m) => `${m.from}>${m.to}` === key);
      page.setStatus(`Loading the ${from} → ${to} model…`);
      // The model is picked by name from the list, which is how a demo model is asked for.
      const route: Route = { from, to, ...(entry ? { model: entry.id } : {}) };
      await worker.call('loadTranslator', route, {
        onProgress: (p) => {
          const { loaded, total } = p as { loaded: number; total: number };
          page.progress(loaded, total, entry?.id ?? key);
        },
      });
      page.setBackend('transformers.js on onnxruntime-web (WASM), in a worker');
      return route;
    })();
    t.catch(() => translators.delete(key));
    translators.set(key, t);
  }
  return t;
}

function showFlag(result: TranslationResult): void {
  if (result.coverage === undefined) {
    flag.textContent = '';
    return;
  }
  const pct = Math.round(result.coverage * 100);
  const unknown = result.outOfVocabulary?.length
    ? ` Words it does not know, translated as nonsense: ${result.outOfVocabulary.join(', ')}.`
    : '';
  flag.textContent = `Demo model: knows ${pct}% of these words.${unknown}`;
  flag.dataset.flag = result.outOfVocabulary?.length ? 'partial' : 'covered';
}

async function run(): Promise<void> {
  try {
    const signal = page.running();
    // An error shown in place of the results earlier: the results come back.
    page.details.replaceChildren(heading, output, flag);
    flag.textContent = '';
    delete flag.dataset.flag;
    const route = await getTranslator();
    const { result: value, ms } = await worker.call('translate', { ...route, text: input.value }, { signal });
    page.setLatency(ms);
    output.textContent = value.text;
    showFlag(value);
    page.setStatus(`${value.from} → ${value.to}.`);
    page.done(value);
  } catch (e) {
    if (e instanceof VocabularyCoverageError) {
      output.textContent = '';
      const { coverage, outOfVocabulary: unknown } = e;
      flag.textContent = `Refused: the demo model knows ${Math.round(coverage * 100)}% of these words (it does not know: ${unknown.join(', ')}).`;
      flag.dataset.flag = 'refused';
    }
    page.fail(e);
    // The refusal says why in the demo model's terms, under the error.
    if (flag.dataset.flag === 'refused') page.details.append(flag);
  }
}
