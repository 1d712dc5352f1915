import '../style.css';
import {
  builtInTranslatorAvailability,
  createTranslator,
  type Translator,
  VocabularyCoverageError,
} from '@ondevice/text';
import { PPOCR_KEYS, PPOCR_V4_DET, PPOCR_V4_REC, type TextResult } from '@ondevice/vision';
import { drawBoxes } from '../draw.js';
import { describeStats, LiveView } from '../live/live-view.js';
import { el, liveButton, mountPage } from '../ui.js';
import { prefetchIn, textWorker, visionWorker } from '../worker/clients.js';

const page = mountPage({
  title: 'Live text',
  blurb:
    "A showcase: text recognition on camera frames, the lines boxed over the live view, and the text read translated on this device by the browser's built-in translator where it has one, else by a registered translation model.",
  apiCall:
    "import { recognizeText } from '@ondevice/vision';\nimport { translate } from '@ondevice/text';\nconst { text } = await recognizer.recognize(videoFrame);\nconst { text: es } = await translate(text, { from: 'en', to: 'es' });",
});

const vision = visionWorker();
const text = textWorker();
const read = el('div', { class: 'ocr-text', id: 'live-read', text: '' });
const translated = el('div', { class: 'ocr-text', id: 'live-translation', text: '' });
const note = el('p', { class: 'caption', id: 'translation-note', role: 'status', text: '' });
page.details.append(el('h2', { text: 'Read' }), read, el('h2', { text: 'In Spanish' }), translated, note);
page.output.parentElement?.classList.add('wide-details');

let ready: Promise<void> | undefined;
function getRecognizer(): Promise<void> {
  ready ??= (async () => {
    await page.loadModels([PPOCR_V4_DET, PPOCR_V4_REC, PPOCR_KEYS], prefetchIn(vision));
    const { backend } = await vision.call('loadTextRecognizer', undefined);
    page.setBackend(backend);
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

// Translation: the registered en→es model when there is one (the built-in demo model is named
// explicitly), in the text worker; only the newest text, never queued behind an older one.
let route: Promise<{ from: string; to: string; model?: string } | undefined> | undefined;
function getRoute() {
  route ??= text.call('listTranslationModels', undefined).then((models) => {
    const m = models.find((x) => x.from === 'en' && x.to === 'es');
    return m ? { from: 'en', to: 'es', model: m.id } : undefined;
  });
  return route;
}
// The browser's own Translator (Chrome's built-in API) where it has en→es: it runs on the page
// (the API is not in workers) and does its work off the main thread.
let builtIn: Promise<Translator | undefined> | undefined;
function getBuiltIn() {
  builtIn ??= builtInTranslatorAvailability('en', 'es')
    .then((a) =>
      a === 'unavailable' ? undefined : createTranslator({ from: 'en', to: 'es', engine: 'browser' }),
    )
    .catch(() => undefined);
  return builtIn;
}
let translating = false;
let lastTranslated = '';
async function translateLatest(source: string): Promise<void> {
  if (translating || !source.trim() || source === lastTranslated) return;
  translating = true;
  lastTranslated = source;
  try {
    const browser = await getBuiltIn();
    if (browser) {
      translated.textContent = (await browser.translate(source)).text;
      note.textContent = "The browser's built-in translator (on this device).";
      return;
    }
    const r = await getRoute();
    if (!r) {
      note.textContent = 'No en→es translation model is registered here, so the text is not translated.';
      return;
    }
    const { result } = await text.call('translate', { ...r, text: source });
    translated.textContent = result.text;
    note.textContent =
      result.coverage === undefined
        ? `${r.model}`
        : `${r.model}: a demo model that knows ${Math.round(result.coverage * 100)}% of these words.`;
  } catch (e) {
    translated.textContent = '';
    note.textContent =
      e instanceof VocabularyCoverageError
        ? `Not translated: the demo model knows ${Math.round(e.coverage * 100)}% of these words (a real en→es model would translate them).`
        : `Not translated: ${(e as Error).message}`;
  } finally {
    translating = false;
  }
}

type LiveResult = { result: TextResult; ms: number };
const live = new LiveView<LiveResult>(page.output, {
  async process(frame) {
    await getRecognizer();
    return vision.call('recognizeText', { image: frame }, { transfer: [frame] });
  },
  draw(ctx, { result }, unit) {
    drawBoxes(
      ctx,
      result.blocks.flatMap((b) =>
        b.lines.map((l) => ({ box: l.box, color: '#0b62d6', label: l.text, corners: l.cornerPoints })),
      ),
      unit,
      ctx.canvas,
    );
  },
  onResult({ result, ms }, stats) {
    read.textContent = result.text;
    void translateLatest(result.text);
    page.setLatency(ms, 'per frame in the worker');
    page.done({ live: true, text: result.text, lines: result.blocks.flatMap((b) => b.lines).length, stats });
  },
  onStats(stats) {
    page.setStatus(describeStats(stats));
    window.__playground.live = stats;
  },
  onError: (e) => page.fail(e),
});

const camera = liveButton(page.inputs, async () => {
  if (live.running) {
    live.stop();
    camera.textContent = 'Start camera';
    return;
  }
  try {
    page.running();
    await getRecognizer();
    await live.start();
    camera.textContent = 'Stop camera';
  } catch (e) {
    camera.textContent = `Camera unavailable (${(e as Error).name})`;
    page.fail(e);
  }
});
page.setStatus('Start the camera and show it some printed text.');
