// Every `#platform/<name>` import has a Node module (what TypeScript checks callers against,
// through the @ondevice/source condition) and a browser module (what bundlers pick). This fails
// to type-check when the two stop having the same exports with the same types.
import type * as CacheBrowser from './cache.browser.js';
import type * as CacheNode from './cache.node.js';
import type * as FilesBrowser from './files.browser.js';
import type * as FilesNode from './files.node.js';
import type * as HashBrowser from './hash.browser.js';
import type * as HashNode from './hash.node.js';
import type * as LoadBrowser from './load.browser.js';
import type * as LoadNode from './load.node.js';
import type * as OrtBrowser from './ort.browser.js';
import type * as OrtNode from './ort.node.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const sameSurface: [
  Same<typeof CacheBrowser, typeof CacheNode>,
  Same<typeof FilesBrowser, typeof FilesNode>,
  Same<typeof HashBrowser, typeof HashNode>,
  Same<typeof LoadBrowser, typeof LoadNode>,
  Same<typeof OrtBrowser, typeof OrtNode>,
] = [true, true, true, true, true];
