// Every `#platform/<name>` import has a Node module (what TypeScript checks callers against,
// through the @ondevice/source condition) and a browser module (what bundlers pick). This fails
// to type-check when the two stop having the same exports with the same types.
import type * as PackageFileBrowser from './package-file.browser.js';
import type * as PackageFileNode from './package-file.node.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const sameSurface: [Same<typeof PackageFileBrowser, typeof PackageFileNode>] = [true];
