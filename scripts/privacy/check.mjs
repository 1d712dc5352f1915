#!/usr/bin/env node
// Privacy check (README "Privacy"): runs every task in Node in a child process with a fresh, empty
// HOME, XDG_CACHE_HOME and TMPDIR, under `strace -f`, idles 20 s after the last call, and fails if
// any process or thread connected anywhere but loopback (a DNS query counts, whatever address the
// resolver has) or created a file outside the project's own model cache.
// A control run with ORT_DISABLE_TELEMETRY=0 (the user's explicit choice, which core respects)
// must be caught: if it is not, the check itself is blind and fails.
// Usage: node scripts/privacy/check.mjs [--idle S] [--only task,task]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    idle: { type: 'string', default: '20' },
    only: { type: 'string' },
    jobs: { type: 'string', default: '4' },
  },
});
const idle = values.idle;

if (spawnSync('strace', ['-V']).status !== 0) {
  console.error('privacy check: strace is missing (apt-get install strace)');
  process.exit(2);
}

const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');
const ocrImages = ['tesseract_eurotext.png', 'ocrs_why-rust.png'].map((f) =>
  join(datasets, 'ocr', 'images', f),
);
const task = (name) => ['node', join(root, 'scripts/privacy/task.mjs'), name, idle];
const cli = (...args) => [
  'node',
  '--import',
  join(root, 'scripts/privacy/keep-alive.mjs'),
  join(root, 'packages/cli/dist/bin.js'),
  ...args,
];

/** name → argv, extra environment, and whether violations are expected (the control). */
const cases = [
  ['detect', task('detect')],
  ['faces', task('faces')],
  ['ocr-ppocr', task('ocr-ppocr')],
  ['ocr-tesseract', task('ocr-tesseract')],
  ['keywords', task('keywords')],
  ['langid', task('langid')],
  ['translate', task('translate')],
  ['keywords-in-worker', task('keywords-in-worker')],
  ['cli-ocr-2-workers', cli('ocr', '--engine', 'ppocr', '--workers', '2', '--json', ...ocrImages)],
  ['control: ORT_DISABLE_TELEMETRY=0', task('keywords'), { ORT_DISABLE_TELEMETRY: '0' }, true],
].map(([name, argv, env = {}, control = false]) => ({ name, argv, env, control }));
const selected = values.only
  ? cases.filter((c) => values.only.split(',').some((o) => c.name.startsWith(o)))
  : cases;

const LOOPBACK4 = /^127\./;
const LOOPBACK6 = /^(::1|::ffff:127\.)/;

/** Parses strace -f output into network attempts and created paths. */
export function analyse(trace, allowedPrefixes) {
  // Join "<unfinished ...>" halves with their "<... resumed>" ends, per pid.
  const pending = new Map();
  const calls = [];
  for (const line of trace.split('\n')) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, pid, rest] = m;
    if (rest.endsWith('<unfinished ...>')) {
      pending.set(pid, rest.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(rest);
    if (resumed) {
      calls.push(`${pending.get(pid) ?? ''}${resumed[1]}`);
      pending.delete(pid);
    } else calls.push(rest);
  }
  const network = [];
  const created = [];
  const inCache = [];
  for (const call of calls) {
    const name = /^(\w+)\(/.exec(call)?.[1];
    if (!name) continue;
    const ret = /=\s*(-?\d+)/.exec(call.slice(call.lastIndexOf(')')))?.[1];
    if (['connect', 'sendto', 'sendmsg'].includes(name)) {
      const family = /sa_family=(AF_\w+)/.exec(call)?.[1];
      if (!family) continue;
      const port = /htons\((\d+)\)/.exec(call)?.[1];
      if (family === 'AF_INET' || family === 'AF_INET6') {
        const addr = /inet_(?:addr|pton)\((?:AF_INET6, )?"([^"]+)"/.exec(call)?.[1] ?? '?';
        const loopback = family === 'AF_INET' ? LOOPBACK4.test(addr) : LOOPBACK6.test(addr);
        if (!loopback || port === '53')
          network.push(`${name} ${addr}:${port}${port === '53' ? ' (DNS)' : ''}`);
      } else if (family === 'AF_UNIX') {
        const path = /sun_path="([^"]*)"/.exec(call)?.[1] ?? '';
        if (/nscd|resolve|dbus/.test(path)) network.push(`${name} unix:${path} (name lookup)`);
      }
      continue;
    }
    let path;
    if (name === 'open' || name === 'openat' || name === 'creat') {
      if (name !== 'creat' && !/O_CREAT/.test(call)) continue;
      path = /"([^"]*)"/.exec(call)?.[1];
    } else if (
      [
        'mkdir',
        'mkdirat',
        'link',
        'linkat',
        'symlink',
        'symlinkat',
        'rename',
        'renameat',
        'renameat2',
      ].includes(name)
    ) {
      const strings = [...call.matchAll(/"([^"]*)"/g)].map((x) => x[1]);
      path = strings.at(-1); // the new name
    } else continue;
    if (path === undefined || ret === undefined || Number(ret) < 0) continue;
    if (/^\/(dev|proc|sys)\//.test(path)) continue;
    (allowedPrefixes.some((p) => path.startsWith(p)) ? inCache : created).push(`${name} ${path}`);
  }
  return { network, created, inCache };
}

async function runCase(c) {
  const dir = mkdtempSync(join(tmpdir(), 'ondevice-privacy-'));
  const home = join(dir, 'home');
  const cache = join(dir, 'cache');
  const tmp = join(dir, 'tmp');
  for (const d of [home, cache, tmp]) mkdirSync(d);
  const traceFile = join(dir, 'trace');
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CACHE_HOME: cache,
    TMPDIR: tmp,
    ONDEVICE_DATASETS: datasets,
    ONDEVICE_PRIVACY_IDLE: idle,
    ...c.env,
  };
  const syscalls =
    'connect,sendto,sendmsg,open,openat,creat,mkdir,mkdirat,link,linkat,symlink,symlinkat,rename,renameat,renameat2';
  const started = Date.now();
  const { code, stdout, stderr } = await new Promise((resolve) => {
    const child = spawn(
      'strace',
      ['-f', '-qq', '-s', '256', '-e', `trace=${syscalls}`, '-e', 'signal=none', '-o', traceFile, ...c.argv],
      { cwd: dir, env },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const seconds = (Date.now() - started) / 1000;
  const allowed = [join(cache, 'ondevice'), join(home, '.cache', 'ondevice')];
  const report = analyse(readFileSync(traceFile, 'utf8'), allowed);
  rmSync(dir, { recursive: true, force: true });
  return { ...c, code, stdout, stderr, seconds, ...report };
}

const results = [];
const queue = [...selected];
await Promise.all(
  Array.from({ length: Number(values.jobs) }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) results.push(await runCase(c));
  }),
);

let failed = 0;
console.log(`privacy check: strace -f, fresh HOME/XDG_CACHE_HOME/TMPDIR, ${idle} s idle after the last call`);
console.log(
  '| case | exit | seconds | non-loopback connects (DNS incl.) | files outside the model cache | files in the model cache | verdict |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of selected.map((c) => results.find((x) => x.name === c.name))) {
  const violations = r.network.length + r.created.length;
  const ok = r.code === 0 && (r.control ? violations > 0 : violations === 0);
  if (!ok) failed++;
  const verdict = ok
    ? r.control
      ? 'caught (control)'
      : 'ok'
    : r.control
      ? 'FAIL: the control was not caught'
      : 'FAIL';
  console.log(
    `| ${r.name} | ${r.code} | ${r.seconds.toFixed(0)} | ${r.network.length} | ${r.created.length} | ${r.inCache.length} | ${verdict} |`,
  );
  if (!ok || process.env.ONDEVICE_PRIVACY_VERBOSE) {
    for (const n of [...new Set(r.network)].slice(0, 5)) console.log(`    network: ${n}`);
    for (const f of [...new Set(r.created)].slice(0, 10)) console.log(`    created: ${f}`);
    if (r.code !== 0) console.log(`    stderr: ${r.stderr.trim().split('\n').slice(-5).join('\n    ')}`);
  }
}
console.log(`privacy: ${selected.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
