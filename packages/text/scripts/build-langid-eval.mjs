// Builds the committed language-identification evaluation set (packages/text/eval/langid-*.jsonl)
// from real, licensed multilingual text in npm packages — no UDHR, nothing written by us:
//   words and word pairs: Unicode CLDR 48.2 (cldr-dates-full, cldr-localenames-full,
//     cldr-annotations-full; Unicode-3.0): month/day names, date fields ("last year"), language and
//     territory names, emoji names and keywords;
//   sentences: the translated UI messages of jquery-validation 1.22.1, @uppy/locales 5.2.0 and
//     @vee-validate/i18n 4.15.1 (all MIT).
// Every item is keyed by its concept (e.g. month 3, emoji 😀, message "required"); a concept goes
// wholly to FIT or wholly to TEST (by a hash of its key), so the two parts share no concept and no
// text. Texts that occur in more than one language are dropped (they cannot be labelled).
//
// Usage: mkdir /tmp/src && cd /tmp/src && for p in cldr-dates-full@48.2.0 cldr-localenames-full@48.2.0 \
//   cldr-annotations-full@48.2.0 jquery-validation@1.22.1 @uppy/locales@5.2.0 @vee-validate/i18n@4.15.1; \
//   do npm pack $p; done && for f in *.tgz; do mkdir -p ${f%.tgz} && tar xzf $f -C ${f%.tgz}; done
// then (after `pnpm run build`): node scripts/build-langid-eval.mjs /tmp/src
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lengthClass } from '../dist/identify-language/script.js';
import { normalizeLanguageCode } from '../dist/index.js';
import { FASTTEXT_LABELS, loadEldEngine, loadTinyldEngine } from '../dist/internals.js';

const here = dirname(fileURLToPath(import.meta.url));
const src = process.argv[2];
if (!src) throw new Error('usage: node scripts/build-langid-eval.mjs <dir with unpacked packages>');
const pkg = (prefix) => {
  const d = readdirSync(src).find((n) => n.startsWith(prefix) && !n.endsWith('.tgz'));
  if (!d) throw new Error(`${prefix}* not found in ${src}`);
  return join(src, d, 'package');
};
const readJson = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null);

// Items per language, length class and part (FIT / TEST).
const CAP = { word: 12, pair: 12, sentence: 8 };

const supported = new Set([
  ...FASTTEXT_LABELS.map(normalizeLanguageCode),
  ...(await loadTinyldEngine()).supported,
  ...(await loadEldEngine(1)).supported,
]);

/** CLDR locale → our label, or null to skip (regional variants, non-default scripts, unknown). */
function cldrLang(locale) {
  if (locale === 'zh-Hant') return 'zh';
  if (locale === 'sr-Latn') return 'sr';
  if (locale.includes('-')) return null;
  if (locale === 'und' || locale === 'root') return null;
  const l = normalizeLanguageCode(locale);
  return supported.has(l) ? l : null;
}

const raw = []; // { lang, key, text, src }
const add = (lang, key, text, source) => {
  if (!lang || typeof text !== 'string') return;
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t || !/\p{L}/u.test(t)) return;
  raw.push({ lang, key, text: t, src: source });
};

// --- CLDR dates: months, days, date fields ---------------------------------------------------
{
  const dir = join(pkg('cldr-dates-full'), 'main');
  for (const loc of readdirSync(dir)) {
    const lang = cldrLang(loc);
    if (!lang) continue;
    const g = readJson(join(dir, loc, 'ca-gregorian.json'))?.main[loc].dates.calendars.gregorian;
    if (!g) continue;
    for (const ctx of ['format', 'stand-alone'])
      for (const [k, v] of Object.entries(g.months[ctx].wide)) add(lang, `month:${k}`, v, 'cldr-dates');
    for (const ctx of ['format', 'stand-alone'])
      for (const [k, v] of Object.entries(g.days[ctx].wide)) add(lang, `day:${k}`, v, 'cldr-dates');
    const fields = readJson(join(dir, loc, 'dateFields.json'))?.main[loc].dates.fields ?? {};
    for (const [f, v] of Object.entries(fields)) {
      if (f.includes('-')) continue; // -short / -narrow are abbreviations
      add(lang, `field:${f}`, v.displayName, 'cldr-dates');
      for (const r of ['-1', '0', '1']) add(lang, `field:${f}:${r}`, v[`relative-type-${r}`], 'cldr-dates');
    }
  }
}
// --- CLDR locale display names: languages and territories -----------------------------------
{
  const dir = join(pkg('cldr-localenames-full'), 'main');
  for (const loc of readdirSync(dir)) {
    const lang = cldrLang(loc);
    if (!lang) continue;
    const names = readJson(join(dir, loc, 'languages.json'))?.main[loc].localeDisplayNames.languages ?? {};
    for (const [k, v] of Object.entries(names))
      if (!k.includes('-')) add(lang, `language:${k}`, v, 'cldr-localenames');
    const terr = readJson(join(dir, loc, 'territories.json'))?.main[loc].localeDisplayNames.territories ?? {};
    for (const [k, v] of Object.entries(terr))
      if (!k.includes('-')) add(lang, `territory:${k}`, v, 'cldr-localenames');
  }
}
// --- CLDR annotations: emoji names (tts) and keywords ---------------------------------------
{
  const dir = join(pkg('cldr-annotations-full'), 'annotations');
  for (const loc of readdirSync(dir)) {
    const lang = cldrLang(loc);
    if (!lang) continue;
    const a = readJson(join(dir, loc, 'annotations.json'))?.annotations.annotations ?? {};
    for (const [ch, v] of Object.entries(a)) {
      for (const t of v.tts ?? []) add(lang, `emoji:${ch}:tts`, t, 'cldr-annotations');
      for (const t of v.default ?? []) add(lang, `emoji:${ch}:kw:${t.toLowerCase()}`, t, 'cldr-annotations');
    }
  }
}
// Emoji keywords are keyed by their own text; re-key them by the English keyword where one exists
// is impossible (no alignment), so every keyword is its own concept — and the FIT/TEST hash still
// keeps a text on one side only.

// --- UI message catalogues (sentences) ------------------------------------------------------
// Placeholders are removed; a message with two or more of them is dropped (what is left would be a
// fragment, e.g. "between {0} and {1}").
const PLACEHOLDER = /%\{[^}]*\}|\{[^}]*\}|%[sd]|\b\d:\{?/g;
const stripPlaceholders = (s) =>
  (s.match(PLACEHOLDER)?.length ?? 0) >= 2
    ? ''
    : s
        .replace(/%\{[^}]*\}|\{[^}]*\}|%[sd]|\b\d:\{?/g, ' ')
        .replace(/\s+([.,:;!?])/g, '$1')
        .replace(/\(\s*\)/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
{
  const dir = join(pkg('jquery-validation'), 'dist', 'localization');
  const files = readdirSync(dir).filter((f) => /^messages_[a-zA-Z_]+\.js$/.test(f));
  const parse = (js) => {
    const out = {};
    for (const m of js.matchAll(/^\s*(\w+):\s*(?:\$\.validator\.format\(\s*)?(["'])((?:\\.|(?!\2).)*)\2/gm))
      out[m[1]] = m[3].replace(/\\(.)/g, '$1');
    return out;
  };
  const en = parse(
    readFileSync(join(pkg('jquery-validation'), 'dist', 'jquery.validate.js'), 'utf8').split(
      'messages: {',
    )[2] ?? '',
  );
  for (const [k, v] of Object.entries(en)) add('en', `jqv:${k}`, stripPlaceholders(v), 'jquery-validation');
  for (const f of files) {
    const loc = f.slice('messages_'.length, -3);
    const map = { ge: 'ka', tj: 'tg', sr_lat: 'sr', hy_AM: 'hy', bn_BD: 'bn', pt_BR: 'pt', zh_TW: 'zh' };
    if (/_/.test(loc) && !map[loc]) continue;
    const lang = cldrLang(map[loc] ?? loc);
    for (const [k, v] of Object.entries(parse(readFileSync(join(dir, f), 'utf8'))))
      add(lang, `jqv:${k}`, stripPlaceholders(v), 'jquery-validation');
  }
}
{
  const dir = join(pkg('uppy-locales'), 'lib');
  const skip = new Set(['es_MX', 'pt_PT', 'sr_RS_Latin', 'zh_TW']);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const loc = f.slice(0, -3);
    if (skip.has(loc)) continue;
    let lang = cldrLang(loc.split('_')[0]);
    if (loc === 'nb_NO' || loc === 'nn_NO') lang = loc === 'nb_NO' ? 'no' : cldrLang('nn');
    const mod = (await import(pathToFileURL(join(dir, f)).href)).default;
    for (const [k, v] of Object.entries(mod.strings)) {
      const s = typeof v === 'string' ? v : (v?.['1'] ?? v?.['0']);
      add(lang, `uppy:${k}`, stripPlaceholders(String(s ?? '')), 'uppy-locales');
    }
  }
}
{
  const dir = join(pkg('vee-validate-i18n'), 'dist', 'locale');
  const map = { kz: 'kk', nb_NO: 'no', nn_NO: 'nn', ms_MY: 'ms', pt_BR: 'pt', zh_CN: 'zh', sr_Latin: null };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const loc = f.slice(0, -5);
    if (loc.includes('_') && !(loc in map)) continue;
    const code = loc in map ? map[loc] : loc;
    if (!code) continue;
    const lang = cldrLang(code);
    for (const [k, v] of Object.entries(readJson(join(dir, f)).messages ?? {}))
      add(lang, `vee:${k}`, stripPlaceholders(String(v)), 'vee-validate-i18n');
  }
}

// --- Clean, label, split ---------------------------------------------------------------------
// English leakage: a non-English item identical to the English text of the same concept.
const enByKey = new Map(raw.filter((r) => r.lang === 'en').map((r) => [r.key, r.text.toLowerCase()]));
const byText = new Map();
for (const r of raw) {
  const t = r.text.toLowerCase();
  if (!byText.has(t)) byText.set(t, new Set());
  byText.get(t).add(r.lang);
}
const seen = new Set();
const items = [];
for (const r of raw) {
  const t = r.text.toLowerCase();
  if (byText.get(t).size > 1) continue; // same text in two languages
  if (r.lang !== 'en' && enByKey.get(r.key) === t) continue;
  if (/[0-9@/\\<>_=|#]/.test(r.text) || r.text.length > 300) continue;
  const len = lengthClass(r.text);
  // Messages are sentences only when they have at least three words; names and keywords are words
  // or pairs only.
  const fromMessages = !r.src.startsWith('cldr');
  if (fromMessages !== (len === 'sentence')) continue;
  const id = `${r.lang}\u0000${t}`;
  if (seen.has(id)) continue;
  seen.add(id);
  const h = createHash('sha256').update(r.key).digest()[0];
  items.push({ ...r, len, part: h % 2 === 0 ? 'fit' : 'test' });
}

// Deterministic sample: per language × class × part, the CAP items with the smallest hash of text.
const groups = new Map();
for (const it of items) {
  const g = `${it.part}|${it.lang}|${it.len}`;
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g).push(it);
}
const out = { fit: [], test: [] };
const rank = (s) => createHash('sha256').update(s).digest().readUInt32BE(0);
for (const [g, list] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
  const [part, , len] = g.split('|');
  list.sort((a, b) => rank(a.text) - rank(b.text));
  for (const it of list.slice(0, CAP[len]))
    out[part].push({ text: it.text, lang: it.lang, len, src: it.src });
}
for (const part of ['fit', 'test']) {
  const file = join(here, '..', 'eval', `langid-${part}.jsonl`);
  writeFileSync(file, `${out[part].map((o) => JSON.stringify(o)).join('\n')}\n`);
  const langs = new Set(out[part].map((o) => o.lang));
  const per = {};
  for (const o of out[part]) per[o.len] = (per[o.len] ?? 0) + 1;
  const sentLangs = new Set(out[part].filter((o) => o.len === 'sentence').map((o) => o.lang));
  console.log(
    `${part}: ${out[part].length} items, ${langs.size} languages (${sentLangs.size} with sentences)`,
    JSON.stringify(per),
  );
}
