// What every published package carries, checked from the CLI (which depends on all of them).
// The full consumer test (packed tarballs in fresh apps, bundlers, browsers) is the packaging
// issue's; this holds the pieces that exist: require(), licences, shipped sources for the maps.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PACKAGES = {
  '@ondevice/core': 'configure',
  '@ondevice/vision': 'detectObjects',
  '@ondevice/audio': 'spotKeywords',
  '@ondevice/text': 'identifyLanguage',
  '@ondevice/optimize': 'optimizeGraphModel',
  '@ondevice/cli': 'main',
} as const;
const here = dirname(new URL(import.meta.url).pathname);
const resolveFromCli = createRequire(join(here, '..', 'package.json'));

function packageDir(name: string): string {
  if (name === '@ondevice/cli') return join(here, '..');
  return dirname(resolveFromCli.resolve(`${name}/package.json`));
}

describe('published packages', () => {
  it.each(Object.entries(PACKAGES))('require("%s") works from CommonJS on this Node', (name, fn) => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const m = require(${JSON.stringify(name)}); process.stdout.write(typeof m[${JSON.stringify(fn)}]);`,
      ],
      { cwd: join(here, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toBe('function');
  });

  it.each(Object.keys(PACKAGES))('%s ships LICENSE, NOTICE and the sources its source maps name', (name) => {
    const dir = packageDir(name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      files: string[];
      license: string;
    };
    expect(pkg.license).toBe('Apache-2.0');
    for (const f of ['LICENSE', 'NOTICE', 'src']) expect(pkg.files).toContain(f);
    expect(existsSync(join(dir, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(dir, 'NOTICE'), 'utf8')).toContain('CC BY-NC-SA 4.0');
    // A map beside the entry point names a source file that the package ships.
    const map = JSON.parse(readFileSync(join(dir, 'dist', 'index.js.map'), 'utf8')) as { sources: string[] };
    for (const source of map.sources) expect(existsSync(join(dir, 'dist', source))).toBe(true);
  });

  it.each(['@ondevice/vision', '@ondevice/audio', '@ondevice/text'])(
    '%s re-exports configure and the error classes, the same objects as core',
    (name) => {
      const out = execFileSync(
        process.execPath,
        [
          '-e',
          `const core = require('@ondevice/core'); const m = require(${JSON.stringify(name)});
           const names = ['configure', 'OnDeviceError', 'OptionsError', 'InputError', 'ModelLoadError', 'ModelIntegrityError', 'ModelUnavailableOfflineError', 'BackendUnavailableError', 'DisposedError', 'AbortedError', 'TimeoutError'];
           process.stdout.write(JSON.stringify(names.filter((n) => m[n] === undefined || m[n] !== core[n])));`,
        ],
        { cwd: join(here, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(JSON.parse(out)).toEqual([]);
    },
  );
});
