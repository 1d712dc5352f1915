// @ondevice/text's Web Worker: with configure({ worker: true }) on a page, language identification
// and translation run here (see ./tasks.ts), off the page's main thread. Started by the package.
import { serveTasks } from '@ondevice/core/worker';
import {
  createLanguageIdentifier,
  identifyLanguage,
  identifyLanguages,
} from '../identify-language/identify-language.js';
import { registerTranslationModel } from '../translate/registry.js';
import { createTranslator, translate } from '../translate/translate.js';

serveTasks({
  identifyLanguage,
  identifyLanguages,
  createLanguageIdentifier,
  translate,
  createTranslator,
  registerTranslationModel,
});
