import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addModelMirror,
  configure,
  loadModel,
  ModelIntegrityError,
  type ModelSpec,
  ModelUnavailableOfflineError,
  resetConfig,
} from '../src/index.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = new TextEncoder().encode('mirrored weights');

// A package that is not installed anywhere: only the mirror can answer.
const spec = (id: string, sum = sha(bytes)): ModelSpec => ({
  id,
  version: '1',
  format: 'files',
  license: 'test',
  npm: { package: '@nowhere/weights', version: '2.0.0', dir: 'models' },
  files: [{ path: 'w.bin', sha256: sum, size: bytes.byteLength }],
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ondevice-mirror-'));
  await mkdir(join(dir, 'mirror', '@nowhere', 'weights@2.0.0', 'models'), { recursive: true });
  await writeFile(join(dir, 'mirror', '@nowhere', 'weights@2.0.0', 'models', 'w.bin'), bytes);
  // The same file under another version must not be taken for 2.0.0.
  await mkdir(join(dir, 'mirror', '@nowhere', 'weights@1.0.0', 'models'), { recursive: true });
  configure({ cacheDir: join(dir, 'cache'), allowRemoteModels: false });
});
afterAll(async () => {
  resetConfig();
  await rm(dir, { recursive: true, force: true });
});

describe('model mirrors (addModelMirror)', () => {
  it('finds <root>/<package>@<version>/<dir>/<path> and checks its SHA-256', async () => {
    await expect(loadModel(spec('mirror-a'))).rejects.toBeInstanceOf(ModelUnavailableOfflineError);
    addModelMirror(join(dir, 'mirror'));
    const loaded = await loadModel(spec('mirror-b'));
    expect(new TextDecoder().decode(loaded.files.get('w.bin'))).toBe('mirrored weights');
    await expect(loadModel(spec('mirror-c', '0'.repeat(64)))).rejects.toBeInstanceOf(ModelIntegrityError);
    const other = {
      ...spec('mirror-d'),
      npm: { package: '@nowhere/weights', version: '1.0.0', dir: 'models' },
    };
    await expect(loadModel(other)).rejects.toBeInstanceOf(ModelUnavailableOfflineError);
  });
});

describe('tfjs comes from a provider', () => {
  it('without one, getTfjs rejects with BackendUnavailableError naming the packages that provide it', () => {
    // A fresh process that imports only core's build, as an audio or text app does.
    const tfjsDist = fileURLToPath(new URL('../dist/tfjs.js', import.meta.url));
    const script = `const m = await import(${JSON.stringify(tfjsDist)});
      try { await m.getTfjs(); console.log('loaded'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^BackendUnavailableError: tfjs is not available.*@ondevice\/vision/);
  });
});
