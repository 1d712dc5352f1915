// Every `#platform/<name>` import has a Node module (what TypeScript checks callers against,
// through the @ondevice/source condition) and a browser module (what bundlers pick). This fails
// to type-check when the two stop having the same exports with the same types.
import type * as FilesBrowser from './files.browser.js';
import type * as FilesNode from './files.node.js';
import type * as GzipBrowser from './gzip.browser.js';
import type * as GzipNode from './gzip.node.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const sameSurface: [
  Same<typeof FilesBrowser, typeof FilesNode>,
  Same<typeof GzipBrowser, typeof GzipNode>,
] = [true, true];
