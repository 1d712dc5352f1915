// Spawns the built CLI (`pnpm test` builds it first) on real inputs from the shared datasets.
// A task's tests run once its package exports the task (its src/index.ts names the factory); until
// then the command is checked to say "not available yet" with exit status 3.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { datasetPath, repoRoot, startFaultServer } from '@ondevice/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function ondevice(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 240_000,
    cwd: repoRoot,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI with a fresh fake HOME (so the default cache is `<home>/.cache/ondevice`). */
function ondeviceAt(home: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.ONDEVICE_CACHE_DIR;
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 240_000,
    cwd: home,
    env,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];
function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'ondevice-cli-home-'));
  temps.push(home);
  mkdirSync(join(home, 'Documents'));
  writeFileSync(join(home, 'Documents', 'thesis.txt'), 'four years of work');
  mkdirSync(join(home, '.cache', 'ondevice', 'kept', '1'), { recursive: true });
  writeFileSync(join(home, '.cache', 'ondevice', 'kept', '1', 'w.bin'), 'cached');
  return home;
}
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

const lines = (s: string) => s.split('\n').filter(Boolean);
// biome-ignore lint/suspicious/noExplicitAny: each task's results have their own shape
type Json = any;
const jsonLines = (s: string) =>
  lines(s).map((l) => JSON.parse(l) as { input: string; result?: Json; error?: Json });

/** Whether a task package's index exports a factory (the task has landed). */
function exported(pkg: string, factory: string): boolean {
  const index = join(repoRoot, 'packages', pkg, 'src', 'index.ts');
  return existsSync(index) && new RegExp(`\\b${factory}\\b`).test(readFileSync(index, 'utf8'));
}

const missing = join(repoRoot, 'does-not-exist', 'nope.jpg');

describe('ondevice (usage)', () => {
  it('an unknown option exits 2 with one line on stderr', () => {
    const r = ondevice('detect', 'x.jpg', '--frobnicate');
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'ondevice detect: unknown option --frobnicate (see ondevice detect --help)',
    ]);
    expect(r.stdout).toBe('');
  });

  it('an unknown command, a bad option value or no inputs exits 2 with one line', () => {
    for (const args of [
      ['detekt', 'a.jpg'],
      ['detect', 'a.jpg', '--threshold', 'high'],
      ['detect'],
      ['detect', 'a.jpg', '--workers', '0'],
      ['listen', 'a.wav', '--text', 'hello'],
    ]) {
      const r = ondevice(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(lines(r.stderr), args.join(' ')).toHaveLength(1);
    }
  });

  it('translate without --to exits 2', () => {
    const r = ondevice('translate', '--text', 'the cat');
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual(['ondevice translate: translate needs --to LANG (e.g. --to es)']);
  });

  it('keywords train: a missing phrase or an unknown subcommand exits 2 with one line', () => {
    const noPhrase = ondevice('keywords', 'train');
    expect(noPhrase.status).toBe(2);
    expect(lines(noPhrase.stderr)).toEqual([
      'ondevice: keywords train: give the phrase first, e.g. ondevice keywords train "hey computer"',
    ]);
    const unknown = ondevice('keywords', 'forget');
    expect(unknown.status).toBe(2);
    expect(lines(unknown.stderr)).toHaveLength(1);
    expect(ondevice('keywords', '--help').stdout).toContain('espeak-ng');
  });

  it('help lists every command and the exit codes', () => {
    const r = ondevice('--help');
    expect(r.status).toBe(0);
    for (const c of [
      'detect',
      'faces',
      'ocr',
      'listen',
      'langid',
      'translate',
      'models',
      'bench',
      'keywords',
      'exit status',
    ])
      expect(r.stdout).toContain(c);
  });

  it('inputs that do not exist exit 1 with one line each', () => {
    const r = ondevice('detect', missing, `${missing}.2`);
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(r.stderr).toContain('no such file or directory');
  });
});

describe.runIf(exported('vision', 'createObjectDetector'))('ondevice detect', () => {
  it('prints the objects of a photo', () => {
    const r = ondevice('detect', 'samples/kitchen.jpg');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^samples\/kitchen\.jpg: \d+ objects?\n/);
    expect(r.stdout).toMatch(/\n {2}(person|cup|bowl) +\d+% {2}at x=\d+ y=\d+ \d+×\d+\n/);
  });

  it('a batch with a missing and an undecodable file still processes the others on 2 workers, exit 1', () => {
    const images = datasetPath('object_detection', 'images');
    const r = ondevice(
      'detect',
      join(images, '000000000790.jpg'),
      missing,
      datasetPath('object_detection', 'MANIFEST.md'),
      join(images, '000000006818.jpg'),
      '--json',
      '--workers',
      '2',
      '--threshold',
      '0.4',
    );
    expect(r.status).toBe(1);
    const out = jsonLines(r.stdout);
    // Problems found while expanding inputs come first, then results in the order given.
    expect(out.map((o) => [o.input.split('/').pop(), o.result ? 'result' : o.error.code])).toEqual([
      ['nope.jpg', 'ERR_INPUT'],
      ['000000000790.jpg', 'result'],
      ['MANIFEST.md', 'ERR_INPUT'],
      ['000000006818.jpg', 'result'],
    ]);
    const first = out[1]?.result as { label: string; score: number; box: { width: number } }[];
    expect(first.map((o) => o.label)).toContain('person');
    expect(first.every((o) => o.score >= 0.4 && o.box.width > 0)).toBe(true);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(r.stderr).toContain('MANIFEST.md');
  });

  it('a folder collects only the image types the decoder reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ondevice-bmp-'));
    temps.push(dir);
    // A valid 1×1 24-bit BMP.
    const bmp = Buffer.from(
      '424d3a0000000000000036000000280000000100000001000000010018000000000004000000130b0000130b00000000000000000000ff000000',
      'hex',
    );
    writeFileSync(join(dir, 'only.bmp'), bmp);
    const r = ondevice('detect', dir, '--json');
    // What core's decoder accepts decides what a folder contributes.
    const core = (await import(
      pathToFileURL(join(repoRoot, 'packages', 'core', 'dist', 'index.js')).href
    )) as {
      decodeImage(input: Uint8Array): Promise<unknown>;
    };
    const decodesBmp = await core.decodeImage(new Uint8Array(bmp)).then(
      () => true,
      () => false,
    );
    if (decodesBmp) {
      expect(r.status, r.stderr).toBe(0);
      expect(jsonLines(r.stdout)).toEqual([expect.objectContaining({ input: join(dir, 'only.bmp') })]);
    } else {
      // Not collected, so not a decode failure per file: the folder has no image files.
      expect(r.status).toBe(1);
      expect(lines(r.stderr)).toEqual([expect.stringMatching(/folder has no image files \(.*\.png.*\)/)]);
      expect(r.stderr).not.toContain('.bmp');
    }
  });

  it('a library option error exits 2 with one line', () => {
    const r = ondevice('detect', 'samples/kitchen.jpg', '--model', 'huge');
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('balanced');
  });
});

describe.runIf(exported('audio', 'createKeywordSpotter'))('ondevice listen', () => {
  it('spots a wake word in a recording and nothing in silence (a folder input)', () => {
    const r = ondevice(
      'listen',
      datasetPath('keyword_spotting', 'porcupine', 'en_multiple_keywords.wav'),
      datasetPath('keyword_spotting', 'tflite_micro'),
      '--keywords',
      'alexa,hey_jarvis',
      '--json',
    );
    expect(r.status).toBe(0);
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(5);
    expect(out[0]?.result.map((d: { keyword: string }) => d.keyword)).toContain('alexa');
    const silence = out.find((o) => o.input.endsWith('silence_1000ms.wav'));
    expect(silence?.result).toEqual([]);
  });

  it('a keyword head file that is not valid JSON, not a head, or malformed is a usage error like a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ondevice-heads-'));
    temps.push(dir);
    const good = JSON.parse(readFileSync(join(repoRoot, 'packages', 'audio', 'heads', 'yes.json'), 'utf8'));
    const files: Record<string, string> = {
      'not-json.json': '{bad',
      'not-a-head.json': '{"format":"something-else"}',
      'malformed.json': JSON.stringify({ ...good, mlp: { ...good.mlp, w1: [1, 2] } }),
      'huge-window.json': JSON.stringify({ ...good, mlp: { ...good.mlp, windowSize: 1e9 } }),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    for (const name of [...Object.keys(files), 'missing.json']) {
      const r = ondevice(
        'listen',
        datasetPath('keyword_spotting', 'tflite_micro'),
        '--keywords',
        join(dir, name),
      );
      expect(r.status, `${name}: ${r.stderr}`).toBe(2);
      expect(lines(r.stderr), name).toHaveLength(1);
    }
  });

  it('a keyword head file that cannot be read is a usage error', () => {
    const r = ondevice(
      'listen',
      datasetPath('keyword_spotting', 'tflite_micro'),
      '--keywords',
      'alexa,missing-head.json',
    );
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'ondevice listen: --keywords: cannot read the keyword head file missing-head.json',
    ]);
  });
});

describe.runIf(exported('vision', 'createFaceLandmarker'))('ondevice faces', () => {
  it('finds a face with its mesh', () => {
    const r = ondevice('faces', datasetPath('faces', 'images', 'einstein.jpg'), '--json');
    expect(r.status).toBe(0);
    const [one] = jsonLines(r.stdout);
    expect(one?.result.faces.length).toBeGreaterThanOrEqual(1);
    expect(one?.result.faces[0].keypoints.length).toBeGreaterThanOrEqual(468);
  });
});

describe.runIf(exported('vision', 'createTextRecognizer'))('ondevice ocr', () => {
  it('reads a printed page', () => {
    const r = ondevice('ocr', datasetPath('ocr', 'images', 'tesseract_phototest.png'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/tesseract_phototest\.png: \d+ lines/);
    expect(r.stdout.toLowerCase()).toContain('quick brown');
  });
});

describe.runIf(exported('text', 'identifyLanguage'))('ondevice langid', () => {
  it('identifies texts given with --text and on stdin', () => {
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'langid',
        '--text',
        'Todos los seres humanos nacen libres e iguales en dignidad y derechos.',
        '-',
        '--json',
        '--workers',
        '1',
      ],
      {
        encoding: 'utf8',
        input: 'Alle Menschen sind frei und gleich an Würde und Rechten geboren.\n',
        cwd: repoRoot,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = jsonLines(r.stdout);
    expect(out.map((o) => o.input)).toEqual(['text:1', 'stdin:1']);
    const top = (o: (typeof out)[number]) => (Array.isArray(o.result) ? o.result[0] : o.result).language;
    expect(out.map(top)).toEqual(['es', 'de']);
  });
});

// Translation needs a model on the device: the project's tiny en→es model once it is committed.
const tinyMarian = join(repoRoot, 'packages', 'text', 'models', 'tiny-marian-en-es', 'config.json');

describe.runIf(exported('text', 'createTranslator') && existsSync(tinyMarian))('ondevice translate', () => {
  it('translates a text to Spanish', () => {
    const r = ondevice(
      'translate',
      '--from',
      'en',
      '--to',
      'es',
      '--model',
      'tiny-marian-en-es',
      '--text',
      'the cat',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const [one] = jsonLines(r.stdout);
    expect(one?.result).toMatchObject({ from: 'en', to: 'es' });
    expect(typeof one?.result.text).toBe('string');
    expect(one?.result.text.length).toBeGreaterThan(2);
  });
});

describe('ondevice models remove (the cache only, never a path)', () => {
  it('a path-like name is a usage error that deletes nothing: not the home folder, not the cache', () => {
    for (const name of ['../..', '..', '.', '/', '../../Documents', 'kept@..', 'kept@../../..', 'a/b', '']) {
      const home = tempHome();
      const r = ondeviceAt(home, 'models', 'remove', name);
      expect(r.status, `${name}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(lines(r.stderr), name).toHaveLength(1);
      expect(r.stderr).toMatch(/not allowed/);
      expect(r.stdout, name).toBe('');
      expect(readFileSync(join(home, 'Documents', 'thesis.txt'), 'utf8'), name).toBe('four years of work');
      expect(existsSync(join(home, '.cache', 'ondevice', 'kept', '1', 'w.bin')), name).toBe(true);
    }
  });

  it('one bad name among good ones removes nothing', () => {
    const home = tempHome();
    const r = ondeviceAt(home, 'models', 'remove', 'kept', '../..');
    expect(r.status).toBe(2);
    expect(existsSync(join(home, '.cache', 'ondevice', 'kept', '1', 'w.bin'))).toBe(true);
  });

  it('a cached model is removed by name, and a second remove says it is not there', () => {
    const home = tempHome();
    const r = ondeviceAt(home, 'models', 'remove', 'kept@1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('removed kept@1 from the cache\n');
    expect(existsSync(join(home, '.cache', 'ondevice', 'kept', '1'))).toBe(false);
    const again = ondeviceAt(home, 'models', 'remove', 'kept');
    expect(again.status).toBe(1);
    expect(readFileSync(join(home, 'Documents', 'thesis.txt'), 'utf8')).toBe('four years of work');
  });
});

describe('ondevice models list: partial downloads', () => {
  it('a download killed with SIGKILL leaves a .part that list reports and removes', async () => {
    const home = tempHome();
    const cache = join(home, '.cache', 'ondevice');
    const server = await startFaultServer();
    const bytes = new Uint8Array(120_000).map((_, i) => (i * 13) % 251);
    server.serve('killed/1.0.0/w.bin', bytes);
    const spec = {
      id: 'killed',
      version: '1.0.0',
      format: 'files',
      license: 'test',
      files: [
        { path: 'w.bin', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length },
      ],
    };
    const core = join(repoRoot, 'packages', 'core', 'dist', 'index.js');
    // A process that downloads slowly into the cache (1 KiB every 50 ms), killed mid-write.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { configure, loadModel } from ${JSON.stringify(core)};
         configure({ cacheDir: ${JSON.stringify(cache)}, modelBaseUrl: ${JSON.stringify(server.baseUrl('slow'))} });
         await loadModel(${JSON.stringify(spec)});`,
      ],
      { stdio: 'ignore' },
    );
    const dir = join(cache, 'killed', '1.0.0');
    const part = () => (existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.part')) : undefined);
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      const p = part();
      if (p && statSync(join(dir, p)).size > 2048) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const name = part();
    expect(name, 'the child never started writing').toBeTruthy();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await server.close();

    const r = ondeviceAt(home, 'models', 'list', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      partial: { removed: { model: string; path: string }[]; inProgress: unknown[] };
    };
    expect(out.partial.removed).toEqual([expect.objectContaining({ model: 'killed@1.0.0', path: name })]);
    expect(out.partial.inProgress).toEqual([]);
    expect(part()).toBeUndefined();
    const text = ondeviceAt(home, 'models', 'list');
    expect(text.stdout).not.toContain('partial');
  });
});

describe.runIf(existsSync(join(repoRoot, 'packages', 'vision', 'src', 'models.ts')))(
  'ondevice models',
  () => {
    it('verify with no names exits 0 on a healthy install, the built-in tiny translation model included', () => {
      const home = tempHome();
      const r = ondeviceAt(home, 'models', 'verify');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^ok {4}tiny-marian-en-es@1 .* match their SHA-256 \(from package\)$/m);
      const list = JSON.parse(ondeviceAt(home, 'models', 'list', '--json').stdout) as {
        models: { model: string; installed: boolean }[];
      };
      expect(list.models.find((m) => m.model === 'tiny-marian-en-es@1')).toMatchObject({ installed: true });
    });

    it('lists every task package model with its size and where it is installed', () => {
      const r = ondevice('models', 'list', '--json');
      expect(r.status).toBe(0);
      const { models } = JSON.parse(r.stdout) as {
        models: { model: string; package: string; size: number; installed: boolean }[];
      };
      const centernet = models.find((m) => m.model.startsWith('centernet-mobilenetv3-coco@'));
      expect(centernet).toMatchObject({ package: '@ondevice/vision', installed: true });
      expect(centernet?.size).toBeGreaterThan(1_000_000);
    });

    it('verifies a model by SHA-256, and an unknown model is a usage error', () => {
      const ok = ondevice('models', 'verify', 'centernet-mobilenetv3-coco');
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^ok {4}centernet-mobilenetv3-coco@\S+ .* match their SHA-256/);
      const bad = ondevice('models', 'verify', 'no-such-model');
      expect(bad.status).toBe(2);
      expect(lines(bad.stderr)).toHaveLength(1);
    });
  },
);
