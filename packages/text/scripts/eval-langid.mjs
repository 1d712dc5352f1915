// Top-1 accuracy of identifyLanguage per length class — single words, word pairs, sentences — for
// the combined identifier and each engine alone, on
//   - the TEST part of the package's own evaluation set (eval/langid-test.jsonl; never used for
//     fitting), over all its languages and over the "core" languages all three engines support;
//   - the shared set datasets/language/langid (182 sentences; the first word and first two words of
//     its 150 Tatoeba sentences as words and pairs; never used for fitting).
// Language sets, none defined from TEST: "all"; "core" = the languages all three engines support
// (from their label lists); "FIT-selected" = the languages where the combined identifier reaches
// the word-pair bar (>= 85 % of at least 5 pairs) on FIT.
// Also counts the combined answers that none of the three engines put first.
// Usage (after `pnpm run build`): node scripts/eval-langid.mjs [--json out.json]
import { writeFileSync } from 'node:fs';
import { createLanguageIdentifier } from '../dist/index.js';
import { ownSet, sharedSet } from './langid-data.mjs';

const ENGINES = ['combined', 'fasttext', 'tinyld', 'eld'];
const CLASSES = ['word', 'pair', 'sentence'];
const ids = {};
for (const e of ENGINES) ids[e] = await createLanguageIdentifier({ engine: e, undThreshold: 0 });
const single = ENGINES.slice(1);
const core = (l) => single.every((e) => ids[e].languages.includes(l));
const test = ownSet('test');
// The FIT-selected languages: from FIT answers only.
const fit = ownSet('fit').filter((s) => s.len === 'pair');
const fitAnswers = (await ids.combined.identifyMany(fit.map((s) => s.text))).map((g) => g[0].language);
const perLang = {};
fit.forEach((s, i) => {
  perLang[s.lang] ??= [0, 0];
  perLang[s.lang][0] += fitAnswers[i] === s.lang ? 1 : 0;
  perLang[s.lang][1]++;
});
const selected = new Set(
  Object.entries(perLang)
    .filter(([, [ok, n]]) => n >= 5 && ok / n >= 0.85)
    .map(([l]) => l),
);
console.log(`FIT-selected languages (${selected.size}): ${[...selected].sort().join(' ')}`);
const shared = sharedSet();
const sets = {
  'own TEST, all languages': test,
  'own TEST, core languages': test.filter((s) => core(s.lang)),
  'own TEST, FIT-selected languages': test.filter((s) => selected.has(s.lang)),
  'shared datasets/language/langid': shared,
  'shared, core languages': shared.filter((s) => core(s.lang)),
};
const results = {};
let invented = 0;
let inventedRight = 0;
let scored = 0;
for (const [name, set] of Object.entries(sets)) {
  const answers = {};
  // The combined identifier's guesses are kept whole: their confidences are read below.
  const guesses = {};
  for (const e of ENGINES) {
    guesses[e] = await ids[e].identifyMany(set.map((s) => s.text));
    answers[e] = guesses[e].map((g) => g[0].language);
  }
  if (name === 'own TEST, all languages' || name === 'shared datasets/language/langid')
    for (let i = 0; i < set.length; i++) {
      scored++;
      if (!single.some((e) => answers[e][i] === answers.combined[i])) {
        invented++;
        if (answers.combined[i] === set[i].lang) inventedRight++;
      }
    }
  const langs = new Set(set.map((s) => s.lang)).size;
  console.log(`\n${name} (${set.length} items, ${langs} languages)`);
  console.log(
    `| engine | ${CLASSES.map((c) => `${c} (n=${set.filter((s) => s.len === c).length})`).join(' | ')} |`,
  );
  console.log(`|---|${CLASSES.map(() => '---').join('|')}|`);
  results[name] = {};
  for (const e of ENGINES) {
    const row = {};
    for (const c of CLASSES) {
      const idx = set.map((s, i) => (s.len === c ? i : -1)).filter((i) => i >= 0);
      row[c] = idx.filter((i) => answers[e][i] === set[i].lang).length / idx.length;
    }
    results[name][e] = row;
    console.log(`| ${e} | ${CLASSES.map((c) => (row[c] * 100).toFixed(1)).join(' | ')} |`);
  }
  // The combined identifier with its default undThreshold (0.3): und counts as wrong; share of und.
  const def = (
    await ids.combined.identifyMany(
      set.map((s) => s.text),
      { undThreshold: 0.3 },
    )
  ).map((g) => g[0].language);
  const cells = CLASSES.map((c) => {
    const idx = set.map((s, i) => (s.len === c ? i : -1)).filter((i) => i >= 0);
    const ok = idx.filter((i) => def[i] === set[i].lang).length / idx.length;
    const und = idx.filter((i) => def[i] === 'und').length / idx.length;
    return `${(ok * 100).toFixed(1)} (und ${(und * 100).toFixed(0)} %)`;
  });
  console.log(`| combined, default und 0.3 | ${cells.join(' | ')} |`);
  // How confident the first answers are (undThreshold 0) against how often they are right: a
  // calibrated identifier has the two close on data like its FIT set.
  const firsts = guesses.combined;
  const conf = CLASSES.map((c) => {
    const idx = set.map((s, i) => (s.len === c ? i : -1)).filter((i) => i >= 0);
    const mean = idx.reduce((n, i) => n + firsts[i][0].confidence, 0) / idx.length;
    return (mean * 100).toFixed(1);
  });
  console.log(`| combined, mean confidence of the first answer | ${conf.join(' | ')} |`);
  results[name].meanConfidence = Object.fromEntries(CLASSES.map((c, k) => [c, Number(conf[k]) / 100]));
  // Per script (the non-Latin scripts the engines share): right at the default undThreshold, and und.
  if (name.startsWith('own TEST')) {
    const { detectScript } = await import('../dist/identify-language/script.js');
    const scripts = set.map((s) => detectScript(s.text));
    for (const sc of ['Cyrl', 'Arab', 'Deva', 'Hani', 'Hebr']) {
      const row = CLASSES.map((c) => {
        const idx = set.map((s, i) => (s.len === c && scripts[i] === sc ? i : -1)).filter((i) => i >= 0);
        if (idx.length === 0) return '-';
        const ok = idx.filter((i) => def[i] === set[i].lang).length;
        const und = idx.filter((i) => def[i] === 'und').length;
        return `${ok}/${idx.length} right, ${und} und`;
      });
      console.log(`| ${sc} script, default und 0.3 | ${row.join(' | ')} |`);
    }
  }
}
console.log(
  `\ncombined answers that no engine put first: ${invented} of ${scored} (own TEST + shared), ${inventedRight} of them right`,
);
results.invented = { count: invented, right: inventedRight, of: scored };
results.fitSelected = [...selected].sort();
const i = process.argv.indexOf('--json');
if (i > 0) writeFileSync(process.argv[i + 1], `${JSON.stringify(results, null, 2)}\n`);
