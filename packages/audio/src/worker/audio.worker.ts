// @ondevice/audio's Web Worker: with configure({ worker: true }) on a page, keyword spotting runs
// here (see ./tasks.ts), off the page's main thread. Started by the package itself.
import { serveTasks } from '@ondevice/core/worker';
import { createKeywordSpotter, spotKeywords } from '../spot-keywords/spot-keywords.js';

serveTasks({ spotKeywords, createKeywordSpotter });
