import '../style.css';
import { createTranslator, listTranslationModels, type Translator } from '@ondevice/text';
import { el, mountPage, timed } from '../ui.js';

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
    'Translates on this device with a Marian model run by transformers.js on onnxruntime-web. The built-in English→Spanish model is a 1.2 M-parameter demo that knows only a small vocabulary; register a real OPUS-MT pair for general text.',
  apiCall:
    "import { translate } from '@ondevice/text';\nconst { text } = await translate('The cat is black.', { from: 'en', to: 'es' }); // 'El gato es negro.'",
});

const input = el('textarea', { id: 'text', rows: '4', placeholder: 'English text…' });
input.value = SAMPLES[0]!;
const pair = el('select', { id: 'pair' });
const output = el('div', { class: 'ocr-text', id: 'translation', text: '' });
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
page.inputs.append(el('h2', { text: 'Languages' }), pair, el('h2', { text: 'Samples' }), list);
page.output.append(el('h2', { text: 'Text' }), input, go);
page.details.append(el('h2', { text: 'Translation' }), output);

// No top-level await: a click during the model listing used to reach getTranslator() while the
// bindings below the await were still uninitialised ("Cannot access … before initialization").
const translators = new Map<string, Promise<Translator>>();
const modelsReady = listTranslationModels().then(
  (models) => {
    for (const m of models) {
      pair.append(
        el('option', { value: `${m.from}>${m.to}`, text: `${m.from} → ${m.to} (${m.id})`, title: m.license }),
      );
    }
    return models;
  },
  (error: unknown) => {
    page.fail(error);
    return [];
  },
);

function getTranslator(): Promise<Translator> {
  const key = pair.value || 'en>es';
  let t = translators.get(key);
  if (!t) {
    const [from, to] = key.split('>') as [string, string];
    t = (async () => {
      const entry = (await modelsReady).find((m) => `${m.from}>${m.to}` === key);
      page.setStatus(`Loading the ${from} → ${to} model…`);
      const tr = await createTranslator({
        from,
        to,
        onProgress: (p) => page.progress(p.loaded, p.total, entry?.id ?? key),
      });
      page.setBackend('transformers.js on onnxruntime-web (WASM)');
      return tr;
    })();
    t.catch(() => translators.delete(key));
    translators.set(key, t);
  }
  return t;
}

async function run(): Promise<void> {
  try {
    page.running();
    const t = await getTranslator();
    const { value, ms } = await timed(() => t.translate(input.value));
    page.setLatency(ms);
    output.textContent = value.text;
    page.setStatus(`${value.from} → ${value.to}.`);
    page.done(value);
  } catch (e) {
    page.fail(e);
  }
}
