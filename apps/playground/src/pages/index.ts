import '../style.css';
import { el } from '../ui.js';

const TASKS = [
  {
    href: '/detect-objects.html',
    title: 'Object detection',
    text: 'Boxes, labels and scores for 80 everyday object classes; photos or the webcam.',
    call: 'await detectObjects(image)',
  },
  {
    href: '/face-landmarks.html',
    title: 'Face landmarks',
    text: 'A dense face mesh and the irises, on photos or live from the webcam.',
    call: 'await detectFaceLandmarks(image)',
  },
  {
    href: '/recognize-text.html',
    title: 'Text recognition',
    text: 'Text lines found and read on scans and screenshots, boxes over the page and the text beside it.',
    call: 'await recognizeText(image)',
  },
  {
    href: '/spot-keywords.html',
    title: 'Keyword spotting',
    text: 'Spoken keywords in clips or from the microphone, with a live score trace.',
    call: 'await spotKeywords(audio)',
  },
  {
    href: '/identify-language.html',
    title: 'Language identification',
    text: 'Which language a piece of text is written in.',
    call: 'await identifyLanguage(text)',
  },
  {
    href: '/translate.html',
    title: 'Translation',
    text: 'Translate text on this device, without a server.',
    call: "await translate(text, { to: 'es', model: 'tiny-marian-en-es' })",
  },
  {
    href: '/virtual-lipstick.html',
    title: 'Virtual lipstick (showcase)',
    text: 'The face mesh live on the camera: the lips recoloured on every frame, following the face.',
    call: 'FACE_LANDMARK_CONNECTIONS.lips',
  },
  {
    href: '/live-text.html',
    title: 'Live text (showcase)',
    text: 'Text recognition on camera frames, boxes over the live view, the text translated on this device.',
    call: 'await recognizer.recognize(videoFrame)',
  },
];

document.body.append(
  el(
    'header',
    {},
    el('h1', { text: '@ondevice playground' }),
    el('p', {
      class: 'blurb',
      text: 'Every task of @ondevice running in this browser. Models and WebAssembly are served by this page itself and cached on your device: nothing you pick leaves it.',
    }),
  ),
  el(
    'nav',
    { class: 'cards' },
    ...TASKS.map((t) =>
      el(
        'a',
        { class: 'card', href: t.href },
        el('h2', { text: t.title }),
        el('p', { text: t.text }),
        el('code', { text: t.call }),
      ),
    ),
  ),
);
document.body.dataset.state = 'done';
