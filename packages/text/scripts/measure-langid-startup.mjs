// Cold start and peak memory of language identification, each in a fresh Node process: the time
// from process start to the first answer (performance.now() counts from the process's time origin)
// and the peak resident set size (process.resourceUsage().maxRSS), for identifyLanguage and for
// each engine used directly, on a short Latin and a short Han text. Medians of --runs (default 5).
// Usage (after `pnpm run build`): node scripts/measure-langid-startup.mjs [--runs 5]
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js')).href;
const i = process.argv.indexOf('--runs');
const runs = i > 0 ? Number(process.argv[i + 1]) : 5;
const TEXTS = {
  Latin: 'Das ist ein kleines Haus.',
  Han: '我们今天去公园。',
  Cyrillic: 'Это маленький дом.',
  'Hangul (script decides)': '작은 집입니다.',
};
// Only identifyLanguage is run on the last one; the engines alone are measured on the first three.
const ENGINE_TEXTS = ['Latin', 'Han', 'Cyrillic'];
const CASES = {
  identifyLanguage: (t) =>
    `const { identifyLanguage } = await import(${JSON.stringify(dist)}); const r = (await identifyLanguage(${JSON.stringify(t)}))[0].language;`,
  'tinyld alone': (t) => `const tiny = await import('tinyld'); const r = tiny.detect(${JSON.stringify(t)});`,
  'eld (large) alone': (t) =>
    `const { eld } = await import('eld/large'); const r = eld.detect(${JSON.stringify(t)}).language;`,
  'fastText alone (via this package)': (t) =>
    `const { createLanguageIdentifier } = await import(${JSON.stringify(dist)}); const id = await createLanguageIdentifier({ engine: 'fasttext' }); const r = (await id.identify(${JSON.stringify(t)}))[0].language;`,
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| case | text | cold start (s) | peak RSS (MB) | answer |`);
console.log(`|---|---|---|---|---|`);
for (const [name, code] of Object.entries(CASES))
  for (const [script, text] of Object.entries(TEXTS)) {
    if (name !== 'identifyLanguage' && !ENGINE_TEXTS.includes(script)) continue;
    const times = [];
    const rss = [];
    let answer = '';
    for (let k = 0; k < runs; k++) {
      const src = `${code(text)} console.log(JSON.stringify({ t: performance.now(), rss: process.resourceUsage().maxRSS, r }));`;
      const out = JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', src], {
          cwd: join(dirname(fileURLToPath(import.meta.url)), '..'),
          encoding: 'utf8',
        })
          .trim()
          .split('\n')
          .pop(),
      );
      times.push(out.t / 1000);
      rss.push(out.rss / 1024);
      answer = out.r;
    }
    console.log(
      `| ${name} | ${script} | ${median(times).toFixed(2)} | ${median(rss).toFixed(0)} | ${answer} |`,
    );
  }
