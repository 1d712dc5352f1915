// Every `#platform/<name>` import has a Node module (what TypeScript checks callers against,
// through the @ondevice/source condition) and a browser module (what bundlers pick). This fails
// to type-check when the two stop having the same exports with the same types.
import type * as PackageRootBrowser from './package-root.browser.js';
import type * as PackageRootNode from './package-root.node.js';
import type * as SystemBrowser from './system.browser.js';
import type * as SystemNode from './system.node.js';
import type * as TesseractBrowser from './tesseract.browser.js';
import type * as TesseractNode from './tesseract.node.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const sameSurface: [
  Same<typeof PackageRootBrowser, typeof PackageRootNode>,
  Same<typeof SystemBrowser, typeof SystemNode>,
  Same<typeof TesseractBrowser, typeof TesseractNode>,
] = [true, true, true];
