// Builds bench/RESULTS.md and one SVG chart per task (bench/charts/<task>.svg) from
// bench/results/<task>.json, written by the benchmark scripts. `node bench/report.mjs`.
// The JSON shape it prefers is described in bench/README.md; any object with a numeric `ratio`
// anywhere in a results file is also picked up, so a script need not follow it to the letter.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const chartsDir = join(here, 'charts');

const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** `{median, spread|iqr|p25/p75|min/max}` or a number → { median, spread? }. */
function stat(v) {
  if (isNum(v)) return { median: v };
  if (!isObj(v)) return undefined;
  const median = [v.median, v.p50, v.value, v.mean].find(isNum);
  if (median === undefined) return undefined;
  let spread = [v.spread, v.iqr, v.mad, v.stdev, v.sd].find(isNum);
  if (spread === undefined && isNum(v.p75) && isNum(v.p25)) spread = v.p75 - v.p25;
  if (spread === undefined && isNum(v.q3) && isNum(v.q1)) spread = v.q3 - v.q1;
  return { median, spread };
}

function nameOf(o, path) {
  const n = [o.name, o.label, o.metric, o.what, o.case, o.title].find((x) => typeof x === 'string');
  return n ?? (path.filter((p) => !/^\d+$/.test(p)).join(' / ') || 'ratio');
}

const LOWER =
  /\b(ms|time|latency|duration|rss|memory|mb|kb|bytes|size|gzip|load|cold|start|rtf|real[- ]time|cer|wer|error|seconds|s)\b/i;
const HIGHER =
  /\b(accuracy|throughput|fps|per ?s(ec(ond)?)?|speed-?up|recall|precision|f1|map|ap|bleu|chrf|img\/s)\b/i;

/** 'lower' | 'higher' | undefined: which way is better for this comparison. */
function direction(c) {
  if (c.better === 'lower' || c.better === 'higher') return c.better;
  if (c.lowerIsBetter === true) return 'lower';
  if (c.lowerIsBetter === false || c.higherIsBetter === true) return 'higher';
  const text = `${c.name} ${c.unit ?? ''}`;
  if (HIGHER.test(text)) return 'higher';
  if (LOWER.test(text)) return 'lower';
  return undefined;
}

/** Every comparison in a results file: its `comparisons` array, else any object with a numeric ratio. */
export function comparisonsOf(json) {
  const out = [];
  const take = (o, path, ratioKey = 'ratio') => {
    const ours = stat(o.ours ?? o.ondevice ?? o.us);
    const peer = stat(o.peer ?? o.them ?? o.baseline);
    let ratio = o[ratioKey];
    if (!isNum(ratio) && ours && peer?.median) ratio = ours.median / peer.median;
    // A count of 0 on either side has no ratio: the row stays in the table, not in the chart.
    if (!isNum(ratio) && !(ours && peer)) return;
    if (!isNum(ratio)) ratio = undefined;
    // A key such as `combinedVsSumOfRawPeers` reads as "combined vs sum of raw peers".
    const words = ratioKey.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
    const parent = path.length ? nameOf(o, path) : '';
    const name = ratioKey === 'ratio' ? nameOf(o, path) : parent ? `${parent}: ${words}` : words;
    const c = { name, ratio, ours, peer, unit: o.unit, runs: o.runs ?? o.n, vs: o.peerName ?? o.vs };
    if (typeof o.peer === 'string') c.vs = o.peer;
    c.better = direction({ ...o, name: c.name });
    out.push(c);
  };
  if (Array.isArray(json.comparisons)) {
    json.comparisons.forEach((c, i) => {
      if (isObj(c)) take(c, [String(i)]);
    });
    return out;
  }
  const walk = (v, path) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        walk(x, [...path, String(i)]);
      });
    else if (isObj(v)) {
      if (isNum(v.ratio) || (stat(v.ours) && stat(v.peer))) take(v, path);
      else if (isObj(v.ratio)) {
        // { ratio: { latency: 0.9, size: 0.3 } }: one row per entry.
        for (const [k, x] of Object.entries(v.ratio))
          if (isNum(x)) take({ ...v, ratio: x, name: `${nameOf(v, path)}: ${k}` }, path);
      } else
        for (const [k, x] of Object.entries(v))
          if (isNum(x) && k !== 'ratio' && (/ratio/i.test(k) || /[a-z]Vs[A-Z]/.test(k))) take(v, path, k);
      for (const [k, x] of Object.entries(v)) if (isObj(x) || Array.isArray(x)) walk(x, [...path, k]);
    }
  };
  walk(json, []);
  return out;
}

const esc = (s) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n) =>
  Number.isInteger(n)
    ? String(n)
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : Math.abs(n) >= 0.1
          ? n.toFixed(2)
          : String(Number(n.toPrecision(2)));

/** Splits a label into at most two lines of about `width` characters (the second one ellipsised). */
function wrap(text, width = 50) {
  if (text.length <= width) return [text];
  let cut = text.lastIndexOf(' ', width);
  if (cut < width * 0.5) cut = width;
  const rest = text.slice(cut).trim();
  return [text.slice(0, cut).trim(), rest.length > width ? `${rest.slice(0, width - 1)}…` : rest];
}

/**
 * A horizontal bar chart of ratios (ours ÷ peer) on a log scale, so 0.5× and 2× lie equally far
 * from the dashed parity line: bars to the left of it are below 1, to the right above 1.
 */
export function chartSvg(title, subtitle, comparisons) {
  const labels = comparisons.map((c) => wrap(c.name));
  const longest = Math.max(10, ...labels.flat().map((l) => l.length));
  const labelW = Math.min(400, Math.round(longest * 7) + 16);
  const rowH = labels.some((l) => l.length > 1) ? 34 : 26;
  const barW = 340;
  const left = 12;
  const top = 62;
  const width = Math.max(left + labelW + barW + 24, Math.round(title.length * 9.4) + 2 * left);
  const axisY = top + comparisons.length * rowH + 4;
  const height = axisY + 26;
  const ratios = comparisons.map((c) => c.ratio).filter((r) => r > 0);
  const lo = Math.max(1 / 64, Math.min(0.25, Math.min(...ratios) / 1.6));
  const hi = Math.min(64, Math.max(4, Math.max(...ratios) * 1.6));
  const x = (r) =>
    left +
    labelW +
    ((Math.log2(Math.min(hi, Math.max(lo, r))) - Math.log2(lo)) / (Math.log2(hi) - Math.log2(lo))) * barW;
  const colour = (c) =>
    c.better === undefined
      ? '#3b6fb6'
      : (c.better === 'lower' ? c.ratio <= 1 : c.ratio >= 1)
        ? '#2e7d32'
        : '#c0392b';
  const rows = comparisons
    .map((c, i) => {
      const y = top + i * rowH;
      const mid = y + rowH / 2;
      const lines = labels[i];
      const text = lines
        .map(
          (l, k) =>
            `<text x="${left + labelW - 10}" y="${(mid + 4 + (k - (lines.length - 1) / 2) * 13).toFixed(1)}" text-anchor="end">${esc(l)}</text>`,
        )
        .join('');
      const x0 = Math.min(x(1), x(c.ratio));
      const w = Math.max(1.5, Math.abs(x(c.ratio) - x(1)));
      const label = `${fmt(c.ratio)}×${c.better ? (c.better === 'lower' ? ' ↓' : ' ↑') : ''}`;
      // The value goes past the bar's end, or beside the parity line when that would hit the labels.
      const fits = x(c.ratio) - 5 - label.length * 7.5 > left + labelW;
      const right = c.ratio >= 1 || !fits;
      const tx = c.ratio >= 1 ? x(c.ratio) + 5 : fits ? x(c.ratio) - 5 : x(1) + 5;
      return [
        text,
        `<rect x="${x0.toFixed(1)}" y="${(mid - 8).toFixed(1)}" width="${w.toFixed(1)}" height="16" fill="${colour(c)}"><title>${esc(`${c.name}: ${fmt(c.ratio)}×`)}</title></rect>`,
        `<text x="${tx.toFixed(1)}" y="${(mid + 4).toFixed(1)}" text-anchor="${right ? 'start' : 'end'}" font-weight="600">${label}</text>`,
      ].join('');
    })
    .join('\n  ');
  const ticks = [];
  for (const t of [1, 2, 4, 8, 16, 32, 64, 1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64])
    if (t >= lo && t <= hi && ticks.every((u) => Math.abs(x(u) - x(t)) >= 38)) ticks.push(t);
  const tickLabel = (t) => (t >= 1 ? `${t}×` : `1/${Math.round(1 / t)}×`);
  const axis = ticks
    .map(
      (t) =>
        `<line x1="${x(t).toFixed(1)}" y1="${axisY}" x2="${x(t).toFixed(1)}" y2="${axisY + 4}" stroke="#888"/><text x="${x(t).toFixed(1)}" y="${axisY + 16}" text-anchor="middle" fill="#666">${tickLabel(t)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12" role="img">
  <title>${esc(`${title}: ${comparisons.map((c) => `${c.name} ${fmt(c.ratio)}×`).join('; ')}`)}</title>
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="${left}" y="20" font-size="15" font-weight="600">${esc(title)}</text>
  <text x="${left}" y="38" fill="#555">${esc(subtitle)}</text>
  <text x="${x(1).toFixed(1)}" y="${top - 6}" text-anchor="middle" fill="#111">parity (1×)</text>
  ${rows}
  <line x1="${x(1).toFixed(1)}" y1="${top - 2}" x2="${x(1).toFixed(1)}" y2="${axisY}" stroke="#111" stroke-dasharray="4 3"/>
  <line x1="${x(lo).toFixed(1)}" y1="${axisY}" x2="${x(hi).toFixed(1)}" y2="${axisY}" stroke="#888"/>${axis}
</svg>
`;
}

function value(s, unit) {
  if (!s) return '';
  const u = unit ? ` ${unit}` : '';
  return s.spread ? `${fmt(s.median)} ± ${fmt(s.spread)}${u}` : `${fmt(s.median)}${u}`;
}

const titleCase = (t) => t.replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** Demotes a task's own markdown by one heading level so it nests under its section. */
function nest(md) {
  return md
    .trim()
    .split('\n')
    .map((l) => (/^#{1,5} /.test(l) ? `#${l}` : l))
    .join('\n');
}

function build() {
  const files = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  mkdirSync(chartsDir, { recursive: true });
  // A chart whose results file is gone would be stale.
  for (const svg of readdirSync(chartsDir).filter((f) => f.endsWith('.svg')))
    if (!files.includes(svg.replace(/\.svg$/, '.json'))) rmSync(join(chartsDir, svg));
  const summary = [];
  const sections = [];
  const problems = [];
  for (const file of files) {
    const task = file.replace(/\.json$/, '');
    let json;
    try {
      json = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    } catch (error) {
      problems.push(`results/${file} is not valid JSON (${error.message})`);
      continue;
    }
    const title =
      typeof json.title === 'string'
        ? json.title
        : titleCase(typeof json.task === 'string' ? json.task : task);
    const peer = typeof json.peer === 'string' ? json.peer : isObj(json.peer) ? (json.peer.name ?? '') : '';
    const comparisons = comparisonsOf(json);
    const when = json.date ?? json.timestamp ?? json.measuredAt ?? json.generated;
    const section = [`## ${title}`, ''];
    const arrow = (c) => (c.better ? (c.better === 'lower' ? ' ↓' : ' ↑') : '');
    // A file with `"summary": false` (browser-engines: runtimes compared with each other, not ours
    // with a peer) gets one summary line pointing to its section instead of a row per comparison.
    if (json.summary === false && comparisons.length)
      summary.push(`| ${title} | ${comparisons.length} comparisons, in its section below | | | |`);
    else
      for (const c of comparisons)
        summary.push(
          `| ${title} | ${c.name}${c.vs ? ` (vs ${c.vs})` : ''} | ${value(c.ours, c.unit)} | ${value(c.peer, c.unit)} | ${isNum(c.ratio) ? `**${fmt(c.ratio)}×**` : '—'}${arrow(c)} |`,
        );
    const charted = comparisons.filter((c) => isNum(c.ratio));
    if (charted.length) {
      writeFileSync(
        join(chartsDir, `${task}.svg`),
        chartSvg(
          `${title}${peer ? ` vs ${peer}` : ''}`,
          'ours ÷ peer, log scale (green: better than the peer, red: worse; ↓ lower is better, ↑ higher is better)',
          charted,
        ),
      );
      section.push(`![${esc(title)}: ratios vs the peer](charts/${task}.svg)`, '');
    } else problems.push(`results/${file} has no ratio to chart (see bench/README.md for the shape)`);
    const md = join(resultsDir, `${task}.md`);
    if (existsSync(md)) section.push(nest(readFileSync(md, 'utf8')), '');
    section.push(`<sub>Source: \`bench/results/${file}\`${when ? `, measured ${when}` : ''}.</sub>`, '');
    sections.push(section.join('\n'));
  }
  const lines = [
    '# Benchmarks: @ondevice side by side with its peers',
    '',
    'Generated by `bench/report.mjs` from `bench/results/*.json`; regenerate everything with `pnpm bench`',
    '(or `ondevice bench`), or only this page with `node bench/report.mjs`. Each benchmark runs ours and',
    'the peer in one process, alternating, after warm-up, and reports medians and spreads over ≥ 20 runs.',
    'On these shared 2-core machines absolute times are noise: read the **ratio** (ours ÷ peer; below 1',
    'means ours takes less of it). ↓ marks a quantity where lower is better, ↑ where higher is better.',
    '',
    '## Summary',
    '',
    '<!-- summary -->',
    summary.length
      ? ['| task | measure | ours | peer | ratio |', '|---|---|---|---|---|', ...summary].join('\n')
      : '_No results yet: run `pnpm bench`._',
    '<!-- /summary -->',
    '',
    ...sections,
  ];
  if (problems.length) lines.push('## Notes', '', ...problems.map((p) => `- ${p}`), '');
  writeFileSync(join(here, 'RESULTS.md'), `${lines.join('\n').trimEnd()}\n`);
  console.log(
    `report: bench/RESULTS.md from ${files.length} result file${files.length === 1 ? '' : 's'}, ${summary.length} ratios${problems.length ? `; ${problems.length} note(s)` : ''}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) build();
