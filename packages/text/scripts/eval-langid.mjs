// Accuracy of identifyLanguage on the shared evaluation set (never used for fitting), for the
// combined engine and each engine alone: all 182 samples, and the first 1, 2 and 3 words of the 150
// Tatoeba sentences (for scripts written without spaces — zh, ja, th — 2, 4 and 6 characters).
// Usage (after `pnpm run build`): node scripts/eval-langid.mjs [--json out.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLanguageIdentifier, normalizeLanguageCode } from '../dist/index.js';

// Same resolution as @ondevice/testkit's datasetPath (that package ships TypeScript only).
const datasets =
  process.env.ONDEVICE_DATASETS ??
  join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/datasets');
const datasetPath = (...p) => join(datasets, ...p);
const read = (f) =>
  readFileSync(datasetPath('language', 'langid', f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const tatoeba = read('tatoeba_langid.jsonl');
const all = [...tatoeba, ...read('udhr_article1_langid.jsonl')];
const NO_SPACES = new Set(['zh', 'ja', 'th']);
const prefix = (s, n) => {
  const lang = normalizeLanguageCode(s.lang);
  if (NO_SPACES.has(lang)) return [...s.text.replace(/[\s\p{P}]/gu, '')].slice(0, 2 * n).join('');
  return s.text.split(/\s+/).slice(0, n).join(' ');
};
const sets = {
  all: all.map((s) => ({ lang: s.lang, text: s.text })),
  '1 word': tatoeba.map((s) => ({ lang: s.lang, text: prefix(s, 1) })),
  '2 words': tatoeba.map((s) => ({ lang: s.lang, text: prefix(s, 2) })),
  '3 words': tatoeba.map((s) => ({ lang: s.lang, text: prefix(s, 3) })),
};
const results = {};
for (const engine of ['combined', 'fasttext', 'tinyld', 'eld']) {
  const id = await createLanguageIdentifier({ engine, undThreshold: 0 });
  const row = { languages: id.languages.length };
  for (const [name, set] of Object.entries(sets)) {
    const guesses = await id.identifyMany(set.map((s) => s.text));
    const ok = guesses.filter((g, i) => g[0].language === normalizeLanguageCode(set[i].lang)).length;
    row[name] = ok / set.length;
  }
  // With the default "und" threshold (0.3): und counts as wrong.
  const def = await id.identifyMany(
    sets.all.map((s) => s.text),
    { undThreshold: 0.3 },
  );
  row['all, und≥0.3'] =
    def.filter((g, i) => g[0].language === normalizeLanguageCode(sets.all[i].lang)).length / all.length;
  results[engine] = row;
  console.log(
    engine.padEnd(9),
    Object.entries(row)
      .map(([k, v]) => `${k} ${typeof v === 'number' && v <= 1 ? v.toFixed(3) : v}`)
      .join(' | '),
  );
  id.dispose();
}
const i = process.argv.indexOf('--json');
if (i > 0) writeFileSync(process.argv[i + 1], `${JSON.stringify(results, null, 2)}\n`);
