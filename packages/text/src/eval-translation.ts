#!/usr/bin/env node
// Reports chrF, BLEU and speed of MarianMT model folders on the shared translation set
// (datasets/language/translation: Tatoeba and UDHR, en↔es/de/fr), or on a TSV of pairs.
//
//   node packages/text/dist/eval-translation.js <model folder> [<model folder> ...]
//        [--pair en-de] [--set tatoeba|udhr|all] [--tsv file.tsv] [--limit N] [--batch N] [--json out.json]
//
// The pair comes from --pair, else the folder name (…opus-mt-en-de…), else tokenizer_config.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specFromFolder } from './translate/make-spec.js';
import { bleu, chrF } from './translate/metrics.js';
import { registerTranslationModel } from './translate/registry.js';
import { createTranslator } from './translate/translate.js';

interface Pair {
  src: string;
  tgt: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function datasetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return process.env.ONDEVICE_DATASETS ?? join(here, '../../../../shared/datasets');
}

function pairOf(folder: string): [string, string] {
  const given = arg('pair');
  if (given) return given.split('-') as [string, string];
  const m =
    /opus-mt-([a-z]{2,3})-([a-z]{2,3})\b/.exec(basename(folder)) ??
    /-([a-z]{2})-([a-z]{2})$/.exec(basename(folder));
  if (m) return [m[1]!, m[2]!];
  const cfg = JSON.parse(readFileSync(join(folder, 'tokenizer_config.json'), 'utf8')) as Record<
    string,
    string
  >;
  if (cfg.source_lang && cfg.target_lang) return [cfg.source_lang, cfg.target_lang];
  throw new Error(`Cannot tell the language pair of ${folder}; pass --pair xx-yy.`);
}

function loadSet(from: string, to: string): { name: string; pairs: Pair[] }[] {
  const tsv = arg('tsv');
  if (tsv) {
    const pairs = readFileSync(tsv, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [src, tgt] = l.split('\t');
        return { src: src!, tgt: tgt! };
      });
    return [{ name: basename(tsv), pairs }];
  }
  const which = arg('set') ?? 'all';
  const out: { name: string; pairs: Pair[] }[] = [];
  const other = from === 'en' ? to : from;
  for (const set of ['tatoeba', 'udhr']) {
    if (which !== 'all' && which !== set) continue;
    const file = join(datasetsDir(), 'language', 'translation', `${set}_en-${other}.jsonl`);
    if (!existsSync(file)) continue;
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Pair);
    out.push({
      name: `${set} ${from}→${to}`,
      pairs: rows.map((r) => (from === 'en' ? r : { src: r.tgt, tgt: r.src })),
    });
  }
  if (!out.length)
    throw new Error(`No evaluation data for ${from}→${to} (the shared set has en↔es, en↔de, en↔fr).`);
  return out;
}

async function main() {
  const folders = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  if (!folders.length) {
    console.error(
      'usage: node dist/eval-translation.js <model folder> [...] [--pair en-de] [--set tatoeba|udhr|all] [--tsv f] [--limit N] [--batch N] [--json out]',
    );
    process.exit(2);
  }
  const limit = Number(arg('limit') ?? Number.POSITIVE_INFINITY);
  const batch = Number(arg('batch') ?? 8);
  const rows: Record<string, unknown>[] = [];
  for (const folder of folders) {
    const [from, to] = pairOf(folder);
    const spec = await specFromFolder(folder, { id: `eval-${basename(folder)}` });
    registerTranslationModel({ from, to, spec });
    const t0 = performance.now();
    const translator = await createTranslator({ from, to, modelPath: folder, maxBatchSize: batch });
    const loadMs = performance.now() - t0;
    for (const set of loadSet(from, to)) {
      const pairs = set.pairs.slice(0, limit);
      const start = performance.now();
      const { text: hyp } = await translator.translate(pairs.map((p) => p.src));
      const seconds = (performance.now() - start) / 1000;
      const refs = pairs.map((p) => p.tgt);
      const row = {
        model: basename(folder),
        set: set.name,
        items: pairs.length,
        chrF: Math.round(chrF(hyp, refs) * 10) / 10,
        BLEU: Math.round(bleu(hyp, refs) * 10) / 10,
        exact: pairs.filter((p, i) => hyp[i] === p.tgt).length,
        itemsPerSecond: Math.round((pairs.length / seconds) * 10) / 10,
        loadMs: Math.round(loadMs),
      };
      rows.push(row);
      console.log(
        `${row.model} | ${row.set} | ${row.items} items | chrF ${row.chrF} | BLEU ${row.BLEU} | exact ${row.exact} | ${row.itemsPerSecond} items/s | load ${row.loadMs} ms`,
      );
      if (process.argv.includes('--show')) {
        for (const [i, p] of pairs.slice(0, 5).entries())
          console.log(`   ${p.src}\n   → ${hyp[i]}\n   ≈ ${p.tgt}`);
      }
    }
    translator.dispose();
  }
  const json = arg('json');
  if (json) writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
}

await main();
