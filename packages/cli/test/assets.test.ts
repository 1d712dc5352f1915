// `ondevice assets` and the Vite plugin `@ondevice/cli/vite`: they put exactly the files the tasks
// load in a browser into the assets folder (models from the task packages' own specs, runtimes
// from core's file lists), each SHA-256 checked; a wrong sum fails; the CDN URLs name exact
// versions. Runs the built CLI (`pnpm test` builds it first) and a real Vite build and dev server.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as core from '@ondevice/core';
import { ORT_WASM_FILES } from '@ondevice/core/onnx';
import * as coreTfjs from '@ondevice/core/tfjs';
import type { ModelSpec } from '@ondevice/core';
import * as audio from '@ondevice/audio';
import * as text from '@ondevice/text';
import * as vision from '@ondevice/vision';
import { afterAll, describe, expect, it } from 'vitest';
import type { AssetPlan } from '../src/commands/assets.js';
import { ondeviceAssets } from '../src/vite.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const repo = join(here, '..', '..', '..');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const work = mkdtempSync(join(tmpdir(), 'ondevice-assets-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const { TFJS_WASM_FILES } = coreTfjs;

/** What each task loads, written out here from the specs themselves (the check, not the code under test). */
const EXPECTED: Record<string, { models: ModelSpec[]; wasm: readonly string[] }> = {
  detect: { models: [vision.CENTERNET_MOBILENETV3], wasm: TFJS_WASM_FILES },
  // BlazeFace on tfjs, FaceMesh and Iris on onnxruntime-web (core's browser engine choice).
  faces: {
    models: [vision.BLAZEFACE, vision.FACEMESH, vision.IRIS],
    wasm: [...TFJS_WASM_FILES, ...ORT_WASM_FILES],
  },
  ocr: { models: [vision.PPOCR_V4_DET, vision.PPOCR_V4_REC, vision.PPOCR_KEYS], wasm: ORT_WASM_FILES },
  keywords: { models: [audio.OWW_MELSPECTROGRAM, audio.OWW_EMBEDDING], wasm: ORT_WASM_FILES },
  langid: { models: [text.FASTTEXT_LID176], wasm: ['fastText.common.wasm'] },
};
function expectedFiles(tasks: string[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const t of tasks) {
    for (const spec of EXPECTED[t]?.models ?? [])
      for (const f of spec.files) out.set(`models/${spec.id}/${spec.version}/${f.path}`, f.sha256);
    for (const w of EXPECTED[t]?.wasm ?? []) out.set(`wasm/${w}`, undefined);
  }
  return out;
}

/** Every file under `dir`, as '/'-separated paths relative to it. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

function ondevice(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A spec of our own: CenterNet's files under another id, the weights' SHA-256 one hex digit off. */
function wrongSumSpec(): ModelSpec {
  const spec = vision.CENTERNET_MOBILENETV3;
  const [json, bin] = spec.files as [ModelSpec['files'][0], ModelSpec['files'][0]];
  const off = `${bin.sha256.slice(0, -1)}${bin.sha256.endsWith('0') ? '1' : '0'}`;
  return { ...spec, id: 'my-centernet', files: [json, { ...bin, sha256: off }] };
}

describe('ondevice assets', () => {
  const tasks = ['detect', 'faces', 'ocr', 'keywords', 'langid'];
  const dir = join(work, 'public', 'ondevice');

  it('copies exactly the files the tasks load, each with its SHA-256, and says what it copied', () => {
    const r = ondevice(['assets', dir, '--tasks', tasks.join(',')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = expectedFiles(tasks);
    expect(listFiles(dir)).toEqual([...expected.keys()].sort());
    for (const [path, sum] of expected) {
      if (sum) expect(sha(readFileSync(join(dir, path))), path).toBe(sum);
      expect(r.stdout).toMatch(new RegExp(`^copied +${path.replace(/[.+]/g, '\\$&')} `, 'm'));
    }
    expect(r.stdout).toContain(`${expected.size} files`);
    // A second run finds everything in place.
    const again = ondevice(['assets', dir, '--tasks', tasks.join(',')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`0 copied, ${expected.size} unchanged`);
  });

  it('runtime files are the installed ones core loads (same bytes as the packages)', async () => {
    const ort = await realpath(join(repo, 'packages', 'core', 'node_modules', 'onnxruntime-web'));
    for (const f of ORT_WASM_FILES)
      expect(sha(readFileSync(join(dir, 'wasm', f))), f).toBe(sha(readFileSync(join(ort, 'dist', f))));
    const tfjs = await realpath(
      join(repo, 'packages', 'vision', 'node_modules', '@tensorflow', 'tfjs-backend-wasm'),
    );
    for (const f of TFJS_WASM_FILES)
      expect(sha(readFileSync(join(dir, 'wasm', f))), f).toBe(sha(readFileSync(join(tfjs, 'dist', f))));
  });

  it('lists the plan as JSON with npm CDN URLs of exact versions', async () => {
    const r = ondevice(['assets', join(work, 'unused'), '--tasks', 'detect,ocr,langid', '--list', '--json']);
    expect(r.code).toBe(0);
    expect(existsSync(join(work, 'unused'))).toBe(false);
    const plan = JSON.parse(r.stdout) as AssetPlan;
    expect(plan.files.map((f) => f.path).sort()).toEqual(
      [...expectedFiles(['detect', 'ocr', 'langid']).keys()].sort(),
    );
    const installed = (name: string, from: string) =>
      JSON.parse(readFileSync(join(from, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    for (const f of plan.files) {
      expect(f.npm.version, f.path).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
      expect(f.cdnUrl).toBe(
        `https://cdn.jsdelivr.net/npm/${f.npm.package}@${f.npm.version}/${f.npm.dir}/${f.file}`,
      );
      if (f.kind === 'model') {
        const spec = [...Object.values(EXPECTED).flatMap((e) => e.models), ...text.MODEL_SPECS].find(
          (s) => f.model === `${s.id}@${s.version}`,
        );
        expect(f.npm).toEqual(spec?.npm);
      }
    }
    const ortFile = plan.files.find((f) => f.path === 'wasm/ort-wasm-simd-threaded.wasm');
    expect(ortFile?.npm.version).toBe(installed('onnxruntime-web', join(repo, 'packages', 'core')));
    expect(ortFile?.cdnUrl).toBe(
      'https://cdn.jsdelivr.net/npm/onnxruntime-web@1.30.0/dist/ort-wasm-simd-threaded.wasm',
    );
    const tfjsFile = plan.files.find((f) => f.path === 'wasm/tfjs-backend-wasm-simd.wasm');
    expect(tfjsFile?.npm.version).toBe(
      installed('@tensorflow/tfjs-backend-wasm', join(repo, 'packages', 'vision')),
    );
  });

  it.each(Object.keys(EXPECTED))('%s alone needs exactly its own files', (name) => {
    const r = ondevice(['assets', join(work, 'unused'), '--tasks', name, '--list', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as AssetPlan;
    expect(plan.files.map((f) => f.path).sort()).toEqual([...expectedFiles([name]).keys()].sort());
  });

  it('fails on a wrong SHA-256: the file is not written, nothing half-written is left', () => {
    const specFile = join(work, 'my-centernet.json');
    writeFileSync(specFile, JSON.stringify(wrongSumSpec()));
    const out = join(work, 'bad');
    const r = ondevice(['assets', out, '--spec', specFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /models\/my-centernet\/3\.3\.6\/centernet\.bin: .* SHA-256 1b635a15[0-9a-f]+, expected .* [0-9a-f]{64}/,
    );
    expect(r.stderr).toContain('Install exactly @vladmandic/human@3.3.6');
    expect(listFiles(out)).toEqual(['models/my-centernet/3.3.6/centernet.json']);
  });

  it('refuses an unknown task, naming the known ones', () => {
    const r = ondevice(['assets', join(work, 'x'), '--tasks', 'detect,segment']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown task "segment"; tasks: detect, faces, ocr, keywords, listen, wake-words, langid, translate',
    );
    expect(ondevice(['help']).stdout).toContain('assets     copy the runtime and model files');
  });
});

// A real Vite (the playground's) with the plugin, on a one-page app.
const viteDir = await realpath(join(repo, 'apps', 'playground', 'node_modules', 'vite'));
/** The parts of Vite's API used here (the CLI does not depend on Vite; the playground's is used). */
interface ViteApi {
  build(config: Record<string, unknown>): Promise<unknown>;
  createServer(config: Record<string, unknown>): Promise<{
    listen(): Promise<unknown>;
    close(): Promise<void>;
    httpServer: { address(): AddressInfo | string | null } | null;
  }>;
}
const vite = (await import(pathToFileURL(join(viteDir, 'dist', 'node', 'index.js')).href)) as ViteApi;

function app(): string {
  const root = mkdtempSync(join(work, 'vite-app-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  writeFileSync(join(root, 'main.js'), 'console.log("app");\n');
  return root;
}

describe('@ondevice/cli/vite', () => {
  it("vite build emits exactly the tasks' files under ondevice/, checked", async () => {
    const root = app();
    await vite.build({
      root,
      logLevel: 'silent',
      configFile: false,
      plugins: [ondeviceAssets({ tasks: ['detect', 'ocr'] })],
    });
    const expected = expectedFiles(['detect', 'ocr']);
    const emitted = listFiles(join(root, 'dist', 'ondevice'));
    expect(emitted).toEqual([...expected.keys()].sort());
    for (const [path, sum] of expected)
      if (sum) expect(sha(readFileSync(join(root, 'dist', 'ondevice', path)))).toBe(sum);
  });

  it('vite build fails on a wrong SHA-256, naming the file', async () => {
    const root = app();
    const error = await vite
      .build({
        root,
        logLevel: 'silent',
        configFile: false,
        plugins: [ondeviceAssets({ tasks: [], models: [wrongSumSpec()] })],
      })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(
      /models\/my-centernet\/3\.3\.6\/centernet\.bin: .*SHA-256 1b635a15[0-9a-f]+, expected/,
    );
    expect(
      existsSync(join(root, 'dist', 'ondevice', 'models', 'my-centernet', '3.3.6', 'centernet.bin')),
    ).toBe(false);
  });

  it('vite dev serves them at /ondevice/ with their types, and nothing else there', async () => {
    const server = await vite.createServer({
      root: app(),
      logLevel: 'silent',
      configFile: false,
      server: { host: '127.0.0.1', port: 0 },
      plugins: [ondeviceAssets({ tasks: ['detect'] })],
    });
    await server.listen();
    try {
      const address = server.httpServer?.address() as AddressInfo;
      const origin = `http://127.0.0.1:${address.port}`;
      const wasm = await fetch(`${origin}/ondevice/wasm/tfjs-backend-wasm-simd.wasm`);
      expect(wasm.status).toBe(200);
      expect(wasm.headers.get('content-type')).toBe('application/wasm');
      const bytes = new Uint8Array(await wasm.arrayBuffer());
      expect(sha(bytes)).toBe(
        core.runtimeAssets('@tensorflow/tfjs-backend-wasm', '4.22.0', ['tfjs-backend-wasm-simd.wasm'])
          .files[0]?.sha256,
      );
      const bin = vision.CENTERNET_MOBILENETV3.files[1] as ModelSpec['files'][0];
      const model = await fetch(
        `${origin}/ondevice/models/${vision.CENTERNET_MOBILENETV3.id}/3.3.6/${bin.path}`,
      );
      expect(sha(new Uint8Array(await model.arrayBuffer()))).toBe(bin.sha256);
      expect((await fetch(`${origin}/ondevice/wasm/ort-wasm-simd-threaded.wasm`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
