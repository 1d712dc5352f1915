// Fits the language-identification combination (src/identify-language/calibration.ts) on the FIT
// part of packages/text/eval only — never on the TEST part or on the shared datasets, which are
// what eval-langid.mjs reports.
//
// For every script group (Latn, Cyrl, Arab, Hani, Deva, other) and length class (word, pair,
// sentence) — and for each length class over all scripts, the fallback of cells with too little
// data — it grid-searches the engine weights (0 leaves an engine out and unloaded), which of eld's
// n-gram databases to run (small, medium, large), the probability floor and the offset for
// languages an engine cannot return. A configuration is acceptable when it beats the best engine
// alone (cut to the script; eld with its large database, as `engine: 'eld'` runs it) by MARGIN in
// both views — all FIT items (where fastText is the engine to beat) and those in languages all three
// engines support (where eld is) — and among those the best mean of the two accuracies wins, less a
// charge for what the cell loads (eld large ~360 MB, medium ~175, small ~135; fastText and tinyld
// < 40), so a smaller eld database is taken only where it keeps the margin. When no vote is
// acceptable, the configuration whose worse view comes closest to its best engine is taken, which
// may be one engine alone (the fallback). The confidences' softmax temperature is then fitted by
// log-loss. Texts whose script admits one language are answered without engines; their FIT
// accuracy sets `forcedConfidence`. PRIOR_POWER (the speaker prior's power, see
// CombineParams.priorPower; default 1) is written as given: 0, 0.5 and 1 were compared on FIT at the
// default undThreshold (the "at und 0.3" lines) and 1 was best on words and pairs.
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
import { ELD_SIZES, loadEngines, ownSet } from './langid-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ELD_POWER = 32;
const PARAMS_OUT = process.env.PARAMS_OUT;
const MIN_CELL = 20;
const PRIOR_POWER = Number(process.env.PRIOR_POWER ?? 1);
const ENGINES = ['fasttext', 'tinyld', 'eld'];
// Load cost per cell, in units of COST_WEIGHT accuracy (peak RSS over a bare Node process, from
// bench/text.mjs: eld large ~360 MB, medium ~175, small ~135; fastText ~25, tinyld ~40).
const COST = { fasttext: 0.5, tinyld: 0.5, eld: { small: 1.5, medium: 2, large: 4 } };
const COST_WEIGHT = Number(process.env.COST_WEIGHT ?? 0.002);
const MARGIN = Number(process.env.MARGIN ?? 0.01);
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
  const eldBySize = Object.fromEntries(
    ELD_SIZES.map((size) => [size, toEngineScores(s.eldRawBySize[size], ELD_POWER, true)]),
  );
  return {
    ...s,
    eld,
    eldBySize,
    cutEld: Object.fromEntries(ELD_SIZES.map((size) => [size, restrict(eldBySize[size], s.script)])),
    cut: {
      fasttext: restrict(s.fasttext, s.script),
      tinyld: restrict(s.tinyld, s.script),
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
    const ranked = combineEngineScores(
      { ...s.cut, eld: s.cutEld[cell.eldDatabase ?? 'large'] },
      supported,
      cell,
    );
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

// The grid search's fast path: the first answer of combineEngineScores without building the whole
// ranking. That answer is the best-scoring of the engines' first choices (it never answers another
// language), so only those (at most three) need a score. Ties go to the earlier engine; the
// fitted cells are checked against combineEngineScores itself below ("fast/exact").
const topOf = (scores) => {
  let top = '';
  for (const [code, p] of Object.entries(scores)) if (!top || p > scores[top]) top = code;
  return top;
};
for (const s of items) {
  s.top = { fasttext: topOf(s.cut.fasttext), tinyld: topOf(s.cut.tinyld) };
  s.topEld = Object.fromEntries(ELD_SIZES.map((size) => [size, topOf(s.cutEld[size])]));
}
function fastRun(cell, subset) {
  const logFloor = Math.log(cell.floor);
  const unsup = logFloor + cell.unsupported;
  const db = cell.eldDatabase ?? 'large';
  const w = cell.weights;
  let all = 0;
  let coreOk = 0;
  let coreN = 0;
  for (const s of subset) {
    const probs = { fasttext: s.cut.fasttext, tinyld: s.cut.tinyld, eld: s.cutEld[db] };
    const picks = [];
    for (const e of ENGINES) {
      if (w[e] === 0) continue;
      const t = e === 'eld' ? s.topEld[db] : s.top[e];
      if (t) picks.push(t);
    }
    let best = '';
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const l of picks) {
      let sc = 0;
      for (const e of ENGINES) {
        if (w[e] === 0) continue;
        sc += w[e] * (supported[e].has(l) ? Math.log(Math.max(probs[e][l] ?? 0, cell.floor)) : unsup);
      }
      if (sc > bestScore) {
        bestScore = sc;
        best = l;
      }
    }
    const ok = best === s.lang;
    all += ok ? 1 : 0;
    if (s.core) {
      coreN++;
      coreOk += ok ? 1 : 0;
    }
  }
  const accAll = all / subset.length;
  return { accAll, accCore: coreN ? coreOk / coreN : accAll, nll: 0 };
}

function fitCell(subset) {
  // The engines alone (eld with its large database, as `engine: 'eld'` runs it), cut to the script.
  const refs = ENGINES.map((e) => fastRun(singles[e], subset));
  const refAll = Math.max(...refs.map((r) => r.accAll));
  const refCore = Math.max(...refs.map((r) => r.accCore));
  // A configuration is acceptable when it beats the best engine alone by MARGIN in both views; among
  // those the best mean accuracy (less what it loads) wins. When none is, the configuration (a vote
  // or one engine alone) whose worse view is closest to its best engine is taken.
  const objective = (r, cost) => {
    const margin = Math.min(r.accAll - refAll, r.accCore - refCore);
    const mean = (r.accAll + r.accCore) / 2;
    // (Below the margin, ties in the worse view go to the better mean: 1e-4 is under one item.)
    return margin >= MARGIN - 1e-9 ? 2 + mean - COST_WEIGHT * cost : margin + 1e-4 * mean;
  };
  let best;
  for (const a of W)
    for (const b of W)
      for (const c of W) {
        if (Math.max(a, b, c) !== 1) continue;
        const weights = { fasttext: a, tinyld: b, eld: c };
        const single = [a, b, c].filter((x) => x > 0).length === 1;
        for (const eldDatabase of c > 0 ? ELD_SIZES : ['large'])
          for (const floor of single ? [1e-2] : FLOORS)
            for (const unsupported of single ? [0] : OFFSETS) {
              const cost =
                (a > 0 ? COST.fasttext : 0) + (b > 0 ? COST.tinyld : 0) + (c > 0 ? COST.eld[eldDatabase] : 0);
              const cell = { weights, floor, unsupported, temperature: 1, eldDatabase };
              const r = fastRun(cell, subset);
              r.objective = objective(r, cost);
              const better =
                !best ||
                r.objective > best.r.objective + 1e-9 ||
                (Math.abs(r.objective - best.r.objective) <= 1e-9 && cost < best.cost);
              if (better) best = { cell, r, cost, single, feasible: r.objective > 1.5 };
            }
      }
  const chosen = best;
  // The confidences (the evidence softmax of combineEngineScores; the ranking does not depend on
  // it): the temperature by log-loss, without the speaker prior (FIT's languages are about equally
  // frequent, so the prior would only be fitted away here).
  let bestT = chosen.cell;
  let bestNll = Number.POSITIVE_INFINITY;
  for (const temperature of TEMPERATURES) {
    const cell = { ...chosen.cell, temperature };
    const r = run(cell, subset);
    if (r.nll < bestNll) {
      bestNll = r.nll;
      bestT = cell;
    }
  }
  if (!(bestT.weights.eld > 0)) delete bestT.eldDatabase;
  return { cell: bestT, fellBack: chosen.single, feasible: chosen.feasible };
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
    const { cell, fellBack, feasible } = fitCell(subset);
    cells[`${group}:${cls}`] = cell;
    console.log(
      `${`${group}:${cls}`.padEnd(14)} n=${String(subset.length).padStart(4)} ${fellBack ? 'one engine' : 'vote      '} ${feasible ? '>=margin' : 'BELOW   '} ${fmt(run(cell, subset))} (fast ${fmt(fastRun(cell, subset))}) |`,
      ENGINES.map((e) => `${e} ${fmt(run(singles[e], subset))}`).join(' | '),
      JSON.stringify(cell),
    );
  }
}
const params = {
  eldPower: ELD_POWER,
  forcedConfidence: Math.min(0.99, Math.floor(forcedAcc * 100) / 100),
  priorPower: PRIOR_POWER,
  cells,
};
// Whole-FIT check per length class and view, with the cells as the runtime picks them, beside
// each engine alone (its raw first choice, as createLanguageIdentifier({ engine }) answers).
const top1 = (scores) => Object.entries(scores).sort((a, b) => b[1] - a[1])[0]?.[0];
for (const view of ['all', 'core'])
  for (const cls of ['word', 'pair', 'sentence']) {
    const subset = items.filter((s) => s.len === cls && (view === 'all' || s.core));
    let ok = 0;
    // Right at the default undThreshold (0.3; und counts wrong), and how many went to und.
    let okDefault = 0;
    let und = 0;
    const alone = { fasttext: 0, tinyld: 0, eld: 0 };
    for (const s of subset) {
      for (const e of ENGINES) alone[e] += top1(s[e]) === s.lang ? 1 : 0;
      const f = forcedLanguage(s.script, known);
      if (f) {
        ok += f === s.lang ? 1 : 0;
        okDefault += f === s.lang ? 1 : 0;
      } else {
        const cell = cellFor(params, s.group, s.cls);
        const ranked = combineEngineScores(
          { fasttext: s.fasttext, tinyld: s.tinyld, eld: s.eldBySize[cell.eldDatabase ?? 'large'] },
          supported,
          cell,
          (l) => languageFitsScript(l, s.script),
          params.priorPower,
        );
        ok += ranked[0]?.language === s.lang ? 1 : 0;
        if (!(ranked[0]?.confidence >= 0.3)) und++;
        else okDefault += ranked[0].language === s.lang ? 1 : 0;
      }
    }
    const pct = (n) => ((100 * n) / subset.length).toFixed(1);
    console.log(
      `FIT ${view} ${cls} (n=${subset.length}): combined ${pct(ok)}, at und 0.3 ${pct(okDefault)} (und ${pct(und)} %) |`,
      ENGINES.map((e) => `${e} ${pct(alone[e])}`).join(' | '),
    );
  }
if (PARAMS_OUT) writeFileSync(PARAMS_OUT, JSON.stringify(params));
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
