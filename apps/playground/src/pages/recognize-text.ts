import '../style.css';
import { getOrt } from '@ondevice/core';
import {
  createTextRecognizer,
  PPOCR_KEYS,
  PPOCR_V4_DET,
  PPOCR_V4_REC,
  type TextRecognizer,
  type TextResult,
} from '@ondevice/vision';
import { el, fileInputs, loadImage, mountPage, type Sample, Stage, timed } from '../ui.js';

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

let recognizer: Promise<TextRecognizer> | undefined;
function getRecognizer(): Promise<TextRecognizer> {
  recognizer ??= (async () => {
    await page.loadModels([PPOCR_V4_DET, PPOCR_V4_REC, PPOCR_KEYS]);
    // Tesseract runs in Node only here; browsers use PP-OCR.
    const r = await createTextRecognizer({ engine: 'ppocr', languages: ['eng'] });
    const ort = await getOrt();
    page.setBackend(`${r.engine} on onnxruntime-web ${ort.env.versions?.web ?? ''} WASM`);
    return r;
  })();
  recognizer.catch(() => {
    recognizer = undefined;
  });
  return recognizer;
}

const LINE_COLORS = ['#0b62d6', '#d6420b', '#0b9a4a', '#9a0bd6'];

function draw(img: HTMLImageElement, result: TextResult): void {
  stage.show(img, img.naturalWidth, img.naturalHeight);
  const rows: HTMLElement[] = [];
  let n = 0;
  for (const block of result.blocks) {
    for (const line of block.lines) {
      const color = LINE_COLORS[n % LINE_COLORS.length]!;
      stage.box(line.box, color, undefined, line.cornerPoints);
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
      page.running();
      page.setStatus(`Reading ${name}…`);
      const img = await loadImage(url);
      stage.caption.textContent = credit ?? name;
      const r = await getRecognizer();
      const { value: result, ms } = await timed(() => r.recognize(img));
      page.setLatency(ms);
      draw(img, result);
      page.setStatus(
        `${name}: ${result.text.length} characters${result.skewAngle ? `, page skew ${result.skewAngle.toFixed(1)}°` : ''}.`,
      );
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
