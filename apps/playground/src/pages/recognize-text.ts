import '../style.css';
import { PPOCR_KEYS, PPOCR_V4_DET, PPOCR_V4_REC, type TextResult } from '@ondevice/vision';
import { drawBoxes, type LabeledBox } from '../draw.js';
import { el, fileInputs, loadImage, measured, mountPage, type Sample, Stage } from '../ui.js';
import { prefetchIn, visionWorker } from '../worker/clients.js';

const SAMPLES: Sample[] = [
  {
    src: '/samples/ocr/tesseractjs_testocr.png',
    label: 'Test page',
    credit: 'tesseract.js test image, Apache-2.0',
  },
  {
    src: '/samples/ocr/tesseract_phototest.png',
    label: 'Phototest',
    credit: 'Tesseract test image, Apache-2.0',
  },
  {
    src: '/samples/ocr/tesseract_phototest-rotated-R.png',
    label: 'Rotated page',
    credit: 'Tesseract test image, Apache-2.0',
  },
  {
    src: '/samples/ocr/tesseract_eurotext.png',
    label: 'Eurotext',
    credit: 'Tesseract test image, Apache-2.0',
  },
];

const page = mountPage({
  title: 'Text recognition',
  blurb:
    'Finds the lines of text on a page or screenshot and reads them (PaddleOCR PP-OCRv4 in the browser): boxes over the image, the text beside it.',
  apiCall:
    "import { recognizeText } from '@ondevice/vision';\nconst { text, blocks } = await recognizeText(image); // blocks[].lines[]: { text, box, cornerPoints, confidence, words }",
});

const stage = new Stage(page.output);
page.output.parentElement?.classList.add('wide-details');

// The recognizer runs in a worker (PP-OCR, since Tesseract runs in Node only here), so the page
// stays responsive while it reads.
const worker = visionWorker();
let recognizer: Promise<void> | undefined;
function getRecognizer(): Promise<void> {
  recognizer ??= (async () => {
    await page.loadModels([PPOCR_V4_DET, PPOCR_V4_REC, PPOCR_KEYS], prefetchIn(worker));
    const { backend } = await worker.call('loadTextRecognizer', undefined);
    page.setBackend(backend);
  })();
  recognizer.catch(() => {
    recognizer = undefined;
  });
  return recognizer;
}

const LINE_COLORS = ['#0b62d6', '#d6420b', '#0b9a4a', '#9a0bd6'];

function draw(img: ImageBitmap, result: TextResult): void {
  stage.show(img, img.width, img.height);
  const rows: HTMLElement[] = [];
  const boxes: LabeledBox[] = [];
  let n = 0;
  for (const block of result.blocks) {
    for (const line of block.lines) {
      const color = LINE_COLORS[n % LINE_COLORS.length]!;
      boxes.push({ box: line.box, color, label: '', corners: line.cornerPoints });
      rows.push(
        el(
          'tr',
          {},
          el('td', {}, el('span', { class: 'swatch', style: `background:${color}` })),
          el('td', { text: line.text }),
          el('td', { class: 'score', text: line.confidence.toFixed(2) }),
        ),
      );
      n++;
    }
  }
  drawBoxes(stage.ctx, boxes, stage.unit, stage.canvas);
  page.details.replaceChildren(
    el('h2', { text: `${n} line${n === 1 ? '' : 's'}` }),
    el('div', { class: 'ocr-text', id: 'ocr-text', text: result.text }),
    el('h2', { text: 'Lines' }),
    el('table', { id: 'lines' }, ...rows),
  );
}

fileInputs(page.inputs, {
  samples: SAMPLES,
  accept: 'image/*',
  kind: 'image',
  onPick: async ({ url, name, credit }) => {
    try {
      const signal = page.running();
      page.setStatus(`Reading ${name}…`);
      const file = await (await fetch(url)).blob();
      const img = await loadImage(file);
      stage.caption.textContent = credit ?? name;
      await getRecognizer();
      const { result, ms } = await worker.call('recognizeText', { image: file }, { signal });
      page.setLatency(ms);
      measured('draw', () => draw(img, result));
      page.setStatus(
        `${name}: ${result.text.length} characters${result.skewAngle ? `, page skew ${result.skewAngle.toFixed(1)}°` : ''}.`,
      );
      page.reveal();
      page.done({
        text: result.text,
        engine: result.engine,
        lines: result.blocks.flatMap((b) => b.lines).length,
      });
    } catch (e) {
      page.fail(e);
    }
  },
});
