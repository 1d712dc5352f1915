// Fits the language-identification combination (src/identify-language/calibration.ts) on the FIT
// part of packages/text/eval only — never on the TEST part or on the shared datasets, which are
// what eval-langid.mjs reports.
//
// For every script group (Latn, Cyrl, Arab, Hani, Deva, other) and length class (word, pair,
// sentence) — and for each length class over all scripts, the fallback of cells with too little
// data — it grid-searches the engine weights (0 leaves an engine out and unloaded), the probability
// floor and the offset for languages an engine cannot return, maximising top-1 accuracy (half on
// all FIT items, half on those in languages all three engines support); ties go to the
// configuration that loads less (eld is the heavy one), then to the lower log-loss. The softmax
// temperature is then fitted by log-loss. Texts whose script admits one language are answered
// without engines; their FIT accuracy sets `forcedConfidence`.
//
// Usage (after `pnpm run build`): node scripts/fit-langid.mjs [--write]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { languageFitsScript } from '../dist/identify-language/script.js';
import {
  cellFor,
  combineEngineScores,
  forcedLanguage,
  scriptGroup,
  toEngineScores,
} from '../dist/identify-language/postprocess.js';
import { loadEngines, ownSet } from './langid-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ELD_POWER = 32;
const MIN_CELL = 20;
const ENGINES = ['fasttext', 'tinyld', 'eld'];
// Load cost (eld's large n-gram table is ~1.4 s and ~320 MB; the others ~0.2 s and < 50 MB): a
// cell pays COST_WEIGHT per unit in accuracy, so eld is only loaded where it adds > 1.2 points.
const COST = { fasttext: 1, tinyld: 1, eld: 4 };
const COST_WEIGHT = 0.003;
const W = [0, 0.15, 0.3, 0.6, 1];
const FLOORS = [1e-2, 3e-2, 0.1];
const OFFSETS = [0, 1, 3];
const TEMPERATURES = [0.15, 0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 3];

const engines = await loadEngines();
const { supported } = engines;
const known = new Set(ENGINES.flatMap((n) => [...supported[n]]));
const core = (l) => ENGINES.every((n) => supported[n].has(l));
// Each engine's scores cut to the languages the item's script allows, once (combineEngineScores
// does the same cut; doing it here only saves time in the grid search).
const restrict = (scores, script) => {
  const kept = Object.entries(scores).filter(([l]) => languageFitsScript(l, script));
  const total = kept.reduce((n, [, p]) => n + p, 0);
  return Object.fromEntries(kept.map(([l, p]) => [l, p / total]));
};
const items = engines.score(ownSet('fit')).map((s) => {
  const eld = toEngineScores(s.eldRaw, ELD_POWER, true);
  return {
    ...s,
    eld,
    cut: {
      fasttext: restrict(s.fasttext, s.script),
      tinyld: restrict(s.tinyld, s.script),
      eld: restrict(eld, s.script),
    },
    group: scriptGroup(s.script),
    core: core(s.lang),
  };
});

const forced = items.filter((s) => forcedLanguage(s.script, known));
const forcedAcc = forced.filter((s) => forcedLanguage(s.script, known) === s.lang).length / forced.length;
const open = items.filter((s) => !forcedLanguage(s.script, known));
console.log(
  `FIT: ${items.length} items; ${forced.length} answered by script alone (accuracy ${forcedAcc.toFixed(3)})`,
);

function run(cell, subset) {
  let all = 0;
  let coreOk = 0;
  let coreN = 0;
  let nll = 0;
  for (const s of subset) {
    const ranked = combineEngineScores(s.cut, supported, cell);
    const ok = ranked[0]?.language === s.lang;
    all += ok ? 1 : 0;
    if (s.core) {
      coreN++;
      coreOk += ok ? 1 : 0;
    }
    nll -= Math.log(Math.max(ranked.find((r) => r.language === s.lang)?.confidence ?? 0, 1e-4));
  }
  const accAll = all / subset.length;
  const accCore = coreN ? coreOk / coreN : accAll;
  return { accAll, accCore, nll: nll / subset.length };
}

// The objective: by default the mean of the two views; OBJECTIVE=margin maximises the smaller of
// the two margins over the best single engine in that view (then the mean).
const OBJECTIVE = process.env.OBJECTIVE ?? 'mean';
function fitCell(subset) {
  const base = ENGINES.map((e) => run(singles[e], subset));
  const bestAll = Math.max(...base.map((r) => r.accAll));
  const bestCore = Math.max(...base.map((r) => r.accCore));
  const score = (r, cost) =>
    (OBJECTIVE === 'margin'
      ? Math.min(r.accAll - bestAll, r.accCore - bestCore) + 0.01 * (r.accAll + r.accCore)
      : (r.accAll + r.accCore) / 2) -
    COST_WEIGHT * cost;
  let best;
  for (const a of W)
    for (const b of W)
      for (const c of W) {
        if (Math.max(a, b, c) !== 1) continue;
        const weights = { fasttext: a, tinyld: b, eld: c };
        const cost = ENGINES.reduce((n, e) => n + (weights[e] > 0 ? COST[e] : 0), 0);
        const single = [a, b, c].filter((x) => x > 0).length === 1;
        for (const floor of single ? [1e-2] : FLOORS)
          for (const unsupported of single ? [0] : OFFSETS) {
            const cell = { weights, floor, unsupported, temperature: 1 };
            const r = run(cell, subset);
            r.objective = score(r, cost);
            const better =
              !best ||
              r.objective > best.r.objective + 1e-9 ||
              (Math.abs(r.objective - best.r.objective) <= 1e-9 &&
                (cost < best.cost || (cost === best.cost && r.nll < best.r.nll)));
            if (better) best = { cell, r, cost };
          }
      }
  let bestT = best.cell;
  let bestNll = Number.POSITIVE_INFINITY;
  for (const temperature of TEMPERATURES) {
    const cell = { ...best.cell, temperature };
    const r = run(cell, subset);
    if (r.nll < bestNll) {
      bestNll = r.nll;
      bestT = cell;
    }
  }
  return bestT;
}

const singles = Object.fromEntries(
  ENGINES.map((e) => [
    e,
    { weights: { fasttext: 0, tinyld: 0, eld: 0, [e]: 1 }, floor: 1e-2, unsupported: 0, temperature: 1 },
  ]),
);
const fmt = (r) => `all ${r.accAll.toFixed(3)} core ${r.accCore.toFixed(3)}`;
const cells = {};
for (const cls of ['word', 'pair', 'sentence']) {
  const keys = ['*', 'Latn', 'Cyrl', 'Arab', 'Hani', 'Deva', 'other'];
  for (const group of keys) {
    const subset = open.filter((s) => s.cls === cls && (group === '*' || s.group === group));
    if (subset.length < MIN_CELL && group !== '*') {
      console.log(`${group}:${cls} ${subset.length} items: uses *:${cls}`);
      continue;
    }
    const cell = fitCell(subset);
    cells[`${group}:${cls}`] = cell;
    console.log(
      `${`${group}:${cls}`.padEnd(14)} n=${String(subset.length).padStart(4)} fitted ${fmt(run(cell, subset))} |`,
      ENGINES.map((e) => `${e} ${fmt(run(singles[e], subset))}`).join(' | '),
      JSON.stringify(cell),
    );
  }
}
const params = {
  eldPower: ELD_POWER,
  forcedConfidence: Math.min(0.99, Math.floor(forcedAcc * 100) / 100),
  cells,
};
// Whole-FIT check per length class and view, with the cells as the runtime picks them, beside
// each engine alone (its raw first choice, as createLanguageIdentifier({ engine }) answers).
const top1 = (scores) => Object.entries(scores).sort((a, b) => b[1] - a[1])[0]?.[0];
for (const view of ['all', 'core'])
  for (const cls of ['word', 'pair', 'sentence']) {
    const subset = items.filter((s) => s.len === cls && (view === 'all' || s.core));
    let ok = 0;
    const alone = { fasttext: 0, tinyld: 0, eld: 0 };
    for (const s of subset) {
      for (const e of ENGINES) alone[e] += top1(s[e]) === s.lang ? 1 : 0;
      const f = forcedLanguage(s.script, known);
      if (f) ok += f === s.lang ? 1 : 0;
      else {
        const ranked = combineEngineScores(
          { fasttext: s.fasttext, tinyld: s.tinyld, eld: s.eld },
          supported,
          cellFor(params, s.group, s.cls),
          (l) => languageFitsScript(l, s.script),
        );
        ok += ranked[0]?.language === s.lang ? 1 : 0;
      }
    }
    const pct = (n) => ((100 * n) / subset.length).toFixed(1);
    console.log(
      `FIT ${view} ${cls} (n=${subset.length}): combined ${pct(ok)} |`,
      ENGINES.map((e) => `${e} ${pct(alone[e])}`).join(' | '),
    );
  }
if (process.argv.includes('--write')) {
  const ts = `// Generated by scripts/fit-langid.mjs from eval/langid-fit.jsonl (${items.length} items). Do not edit.
import type { CombineParams } from './postprocess.js';

/**
 * Combination parameters per script group and length class, fitted on the FIT part of the
 * package's own evaluation set (never on its TEST part or the shared datasets).
 */
export const CALIBRATION: CombineParams = ${JSON.stringify(params, null, 2)};
`;
  writeFileSync(join(here, '..', 'src', 'identify-language', 'calibration.ts'), ts);
  console.log('wrote src/identify-language/calibration.ts');
}
