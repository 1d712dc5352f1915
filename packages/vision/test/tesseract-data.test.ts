// Where the Tesseract engine's language data lives and what a bad copy does. Each case runs the
// built package (`pnpm run build` first) in a fresh Node process with an empty HOME,
// XDG_CACHE_HOME and TMPDIR and a working directory outside this package, so that neither a
// leftover copy nor this package's node_modules can help, and a crash shows as an exit code.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { TESSERACT_ENG } from '../src/models.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const image = datasetPath('ocr', 'images/tesseractjs_simple.png');
const roots: string[] = [];

/** A fresh, empty home / cache / temp folder and a working directory outside the package. */
function freshRoot() {
  const root = mkdtempSync(join(tmpdir(), 'ondevice-tessdata-test-'));
  roots.push(root);
  const dirs = {
    root,
    home: join(root, 'home'),
    xdg: join(root, 'xdg'),
    tmp: join(root, 'tmp'),
    cwd: join(root, 'cwd'),
  };
  for (const d of [dirs.home, dirs.xdg, dirs.tmp, dirs.cwd]) mkdirSync(d);
  return dirs;
}

afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function run(dirs: ReturnType<typeof freshRoot>, code: string) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: dirs.cwd,
    env: { PATH: process.env.PATH, HOME: dirs.home, XDG_CACHE_HOME: dirs.xdg, TMPDIR: dirs.tmp },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: r.status, signal: r.signal, out: r.stdout.trim(), err: r.stderr };
}

/** Reads the test image once and prints `ok <text>` or `<ErrorName> <message>`. */
const recognizeOnce = (languages: string[]) => `
  const { createTextRecognizer } = await import(${JSON.stringify(join(dist, 'index.js'))});
  try {
    const r = await createTextRecognizer({ engine: 'tesseract', languages: ${JSON.stringify(languages)}, workers: 1, deskew: false });
    const { text } = await r.recognize(${JSON.stringify(image)});
    await r.dispose();
    console.log('ok ' + JSON.stringify(text));
  } catch (e) {
    console.log(e.name + ' ' + e.message);
  }`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** Where core may put its model cache in a fresh home (`~/.cache/ondevice`, or under XDG_CACHE_HOME). */
const cacheRoots = (dirs: ReturnType<typeof freshRoot>) => [
  join(dirs.home, '.cache', 'ondevice'),
  join(dirs.xdg, 'ondevice'),
];
const copyOf = (dirs: ReturnType<typeof freshRoot>) => {
  const found = cacheRoots(dirs)
    .map((root) => join(root, 'tesseract-tessdata', TESSERACT_ENG.version, 'eng.traineddata.gz'))
    .filter((p) => existsSync(p));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('Tesseract language data', () => {
  it('is found from another working directory with a fresh HOME and TMPDIR; one language is read in place', () => {
    const dirs = freshRoot();
    const r = run(dirs, recognizeOnce(['eng']));
    expect(r.out, r.err).toBe('ok "Tesseract.js"');
    expect(r.status).toBe(0);
    // Read from the installed package: no file anywhere, not even in the model cache.
    expect(filesUnder(dirs.root)).toEqual([]);
  });

  it('copies several languages into the model cache only, never a temporary folder', () => {
    const dirs = freshRoot();
    const r = run(dirs, recognizeOnce(['eng', 'fra']));
    expect(r.out, r.err).toBe('ok "Tesseract.js"');
    const created = filesUnder(dirs.root);
    const inCache = (f: string) => cacheRoots(dirs).some((root) => join(dirs.root, f).startsWith(root));
    expect(created.filter((f) => !inCache(f))).toEqual([]);
    expect(created.length).toBe(2);
    expect(sha256(readFileSync(copyOf(dirs)))).toBe(TESSERACT_ENG.files[0]!.sha256);
  });

  it('turns a tampered copy into ModelIntegrityError, replaces it from the package and reads again', () => {
    const dirs = freshRoot();
    expect(run(dirs, recognizeOnce(['eng', 'fra'])).out).toBe('ok "Tesseract.js"');
    const good = readFileSync(copyOf(dirs));
    const tampered = [
      Buffer.from('not language data '.repeat(64)), // not even gzip
      (() => {
        // A valid gzip of the real data with its header overwritten: the worker cannot load it.
        const raw = Buffer.from(gunzipSync(good));
        for (let i = 0; i < 256; i++) raw[i]! ^= 0x5a;
        return gzipSync(raw);
      })(),
    ];
    for (const bad of tampered) {
      writeFileSync(copyOf(dirs), bad);
      const r = run(dirs, recognizeOnce(['eng', 'fra']));
      expect(r.status, r.err).toBe(0);
      expect(r.out).toMatch(/^ModelIntegrityError .*replaced/);
      expect(sha256(readFileSync(copyOf(dirs)))).toBe(TESSERACT_ENG.files[0]!.sha256);
      expect(run(dirs, recognizeOnce(['eng', 'fra'])).out).toBe('ok "Tesseract.js"');
    }
  });

  it('turns a worker that rejects its language data into ModelLoadError without crashing the process', () => {
    // A langPath (test hook) skips the checksum, so the worker itself meets the bad data:
    // tesseract.js 7 then settles its start-up job twice, which used to throw in the parent.
    const dirs = freshRoot();
    const bad = join(dirs.root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'eng.traineddata.gz'), Buffer.from('garbage'.repeat(50)));
    const r = run(
      dirs,
      `const { TesseractEngine } = await import(${JSON.stringify(join(dist, 'recognize-text', 'tesseract.js'))});
       const result = await TesseractEngine.create({ langPath: ${JSON.stringify(bad)}, startTimeout: 20000 }).then(
         () => 'started', (e) => e.name);
       // Give a late message from the failed worker time to arrive.
       await new Promise((r) => setTimeout(r, 1500));
       console.log(result);`,
    );
    expect(r.err).not.toMatch(/TypeError/);
    expect(r.status).toBe(0);
    expect(r.out).toBe('ModelLoadError');
  });
});
