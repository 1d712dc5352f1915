// Every `#platform/<name>` import has a Node module (what TypeScript checks callers against,
// through the @ondevice/source condition) and a browser module (what bundlers pick). This fails
// to type-check when the two stop having the same exports with the same types.
import type * as FasttextBrowser from './fasttext.browser.js';
import type * as FasttextNode from './fasttext.node.js';
import type * as PackagesBrowser from './packages.browser.js';
import type * as PackagesNode from './packages.node.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const sameSurface: [
  Same<typeof FasttextBrowser, typeof FasttextNode>,
  Same<typeof PackagesBrowser, typeof PackagesNode>,
] = [true, true];
