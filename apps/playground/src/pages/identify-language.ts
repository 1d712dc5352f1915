import '../style.css';
import { FASTTEXT_LID176, type LanguageGuess } from '@ondevice/text';
import { el, labeled, mountPage } from '../ui.js';
import { prefetchIn, textWorker } from '../worker/clients.js';

// Short sentences written for this page.
const SAMPLES: { label: string; text: string }[] = [
  { label: 'English', text: 'The library opens at nine and closes late on Thursdays.' },
  { label: 'Español', text: 'Mañana vamos a la playa si no llueve por la tarde.' },
  { label: 'Deutsch', text: 'Der Zug nach Berlin hat heute leider eine Stunde Verspätung.' },
  { label: 'Français', text: 'Nous avons acheté du pain frais et du fromage au marché.' },
  { label: 'Italiano', text: 'Il gatto dorme sempre sul divano dopo pranzo.' },
  { label: 'Português', text: 'Ela gosta de ler livros antigos na biblioteca da cidade.' },
  { label: 'Nederlands', text: 'We fietsen elke ochtend samen naar het station.' },
  { label: 'Polski', text: 'Jutro rano pojedziemy pociągiem do Krakowa.' },
];

const page = mountPage({
  title: 'Language identification',
  blurb:
    'Which language is this text in? A calibrated vote of fastText lid.176, tinyld and eld, on this device.',
  apiCall:
    "import { identifyLanguage } from '@ondevice/text';\nconst [best] = await identifyLanguage(text); // { language: 'es', confidence: 0.98 }",
});

const names = new Intl.DisplayNames(['en'], { type: 'language' });
const nameOf = (code: string) => {
  if (code === 'und') return 'undetermined';
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
};

const input = el('textarea', { id: 'text', rows: '6', placeholder: 'Type or paste some text…' });
const list = el('div', { class: 'samples' });
for (const s of SAMPLES) {
  const b = el('button', { type: 'button', class: 'sample', 'data-sample': s.label, text: s.label });
  b.addEventListener('click', () => {
    input.value = s.text;
    void identify();
  });
  list.append(b);
}
page.inputs.append(el('h2', { text: 'Samples' }), list);
page.output.append(labeled(input, 'Text'), input);

// The identifier runs in a worker, so typing never waits for it.
const worker = textWorker();
let identifier: Promise<void> | undefined;
function getIdentifier(): Promise<void> {
  identifier ??= (async () => {
    await page.loadModels([FASTTEXT_LID176], prefetchIn(worker));
    await worker.call('loadLanguageIdentifier', undefined);
    page.setBackend('fastText lid.176 (WASM) + tinyld + eld (JavaScript), combined, in a worker');
  })();
  identifier.catch(() => {
    identifier = undefined;
  });
  return identifier;
}

function show(guesses: LanguageGuess[]): void {
  page.details.replaceChildren(
    el('h2', { text: 'Guesses' }),
    el(
      'table',
      { id: 'guesses' },
      ...guesses.map((g) =>
        el(
          'tr',
          {},
          el('td', { text: `${nameOf(g.language)} (${g.language})` }),
          el(
            'td',
            { style: 'width:45%' },
            el('div', { class: 'bar', style: `width:${Math.max(2, g.confidence * 100).toFixed(0)}%` }),
          ),
          el('td', { class: 'score', text: g.confidence.toFixed(2) }),
        ),
      ),
    ),
  );
}

// As you type: only the newest text is identified; keystrokes during a run are not queued.
let busy = false;
let pending = false;
async function identify(): Promise<void> {
  if (busy) {
    pending = true;
    return;
  }
  busy = true;
  try {
    const text = input.value;
    if (!text.trim()) return;
    const signal = page.running();
    await getIdentifier();
    const { guesses: value, ms } = await worker.call('identifyLanguage', text, { signal });
    page.setLatency(ms);
    show(value);
    page.setStatus(`${nameOf(value[0]?.language ?? 'und')}.`);
    page.done(value);
  } catch (e) {
    page.fail(e);
  } finally {
    busy = false;
    if (pending) {
      pending = false;
      void identify();
    }
  }
}
let timer: ReturnType<typeof setTimeout> | undefined;
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => void identify(), 150);
});
