import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** What a task reads. */
export type InputKind = 'image' | 'audio' | 'text';

/**
 * File extensions a folder or glob contributes for each input kind (explicit file paths are always
 * taken). Images: exactly the formats core's `decodeImage` reads (JPEG, PNG, WebP, GIF, TIFF, AVIF,
 * BMP, PBM/PGM/PPM); a type it cannot decode (HEIC: sharp's libvips has no HEVC decoder) is not
 * collected, so a folder of them is one "no image files" line instead of a decode failure per file.
 *
 * @example
 * ```ts
 * const isImage = EXTENSIONS.image.includes(extname(file).toLowerCase());
 * ```
 */
export const EXTENSIONS: Record<InputKind, readonly string[]> = {
  image: [
    '.jpg',
    '.jpeg',
    '.png',
    '.webp',
    '.gif',
    '.tif',
    '.tiff',
    '.avif',
    '.bmp',
    '.dib',
    '.pbm',
    '.pgm',
    '.ppm',
    '.pnm',
  ],
  audio: ['.wav'],
  text: ['.txt', '.md'],
};

/** One unit of work: a file path, bytes read from stdin, or a text. */
export interface InputItem {
  /** How the input is named in output: the path as given or found, `stdin`, or `text:<n>`. */
  name: string;
  path?: string;
  bytes?: Uint8Array;
  text?: string;
}

/** An argument that gave no input, with the reason (reported as one line, exit status 1). */
export interface InputProblem {
  name: string;
  message: string;
}

const MAGIC = /[*?[{]/;

/**
 * Whether a string contains glob syntax.
 *
 * @example
 * ```ts
 * hasMagic('photos/*.jpg'); // true
 * ```
 */
export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/**
 * Converts a glob to a regular expression over `/`-separated relative paths: `*` and `?` stay in
 * one path segment, `**` crosses segments, `[abc]` is a character class, `{a,b}` alternatives.
 *
 * @example
 * ```ts
 * globToRegExp('images/**\/*.{jpg,png}').test('images/a/b.jpg'); // true
 * ```
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:[^/]+/)*' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      depth++;
      re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function walk(
  dir: string,
  out: string[],
  maxDepth = Number.POSITIVE_INFINITY,
  depth = 0,
): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth + 1 < maxDepth) await walk(p, out, maxDepth, depth + 1);
    } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
}

function hasExtension(path: string, kind: InputKind): boolean {
  const lower = path.toLowerCase();
  return EXTENSIONS[kind].some((ext) => lower.endsWith(ext));
}

/**
 * Expands one glob to the matching files, sorted.
 *
 * @example
 * ```ts
 * const files = await expandGlob('photos/*.jpg');
 * ```
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const norm = pattern.split(sep).join('/');
  const parts = norm.split('/');
  const firstMagic = parts.findIndex((p) => hasMagic(p));
  const baseParts = parts.slice(0, firstMagic);
  const base = baseParts.length ? baseParts.join('/') || '/' : '.';
  const rest = parts.slice(firstMagic);
  const re = globToRegExp(rest.join('/'));
  const deep = rest.some((p) => p.includes('**'));
  const files: string[] = [];
  try {
    await walk(base, files, deep ? Number.POSITIVE_INFINITY : rest.length);
  } catch {
    return [];
  }
  return files
    .filter((f) => re.test(relative(base, f).split(sep).join('/')))
    .map((f) => (baseParts.length ? f : relative('.', f)));
}

/**
 * Turns command-line arguments into inputs: files as given, folders walked recursively for files
 * of the task's kind, globs expanded (for shells that did not), `-` read from stdin (text: one input
 * per non-empty line). Arguments that give nothing are returned as problems, never thrown.
 *
 * @example
 * ```ts
 * const { items, problems } = await expandInputs(['photos/', '*.jpg'], 'image');
 * ```
 */
export async function expandInputs(
  args: readonly string[],
  kind: InputKind,
  readStdin: () => Promise<Uint8Array> = readAllStdin,
): Promise<{ items: InputItem[]; problems: InputProblem[] }> {
  const items: InputItem[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const addFile = async (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    if (kind === 'text') {
      try {
        items.push({ name: path, path, text: await readFile(path, 'utf8') });
      } catch (error) {
        problems.push({ name: path, message: fsMessage(error) });
      }
    } else items.push({ name: path, path });
  };
  for (const arg of args) {
    if (arg === '-') {
      const bytes = await readStdin();
      if (kind === 'text') {
        const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
        let n = 0;
        for (const line of lines) {
          n++;
          if (line.trim()) items.push({ name: `stdin:${n}`, text: line });
        }
      } else items.push({ name: 'stdin', bytes });
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      info = await stat(arg);
    } catch (error) {
      if (hasMagic(arg)) {
        const matches = (await expandGlob(arg)).filter((f) => hasExtension(f, kind));
        if (!matches.length) problems.push({ name: arg, message: `no ${kind} files match this pattern` });
        for (const m of matches) await addFile(m);
      } else problems.push({ name: arg, message: fsMessage(error) });
      continue;
    }
    if (info.isDirectory()) {
      const files: string[] = [];
      await walk(arg, files);
      const matching = files.filter((f) => hasExtension(f, kind));
      if (!matching.length)
        problems.push({
          name: arg,
          message: `folder has no ${kind} files (${EXTENSIONS[kind].join(' ')})`,
        });
      for (const f of matching) await addFile(f);
    } else await addFile(arg);
  }
  return { items, problems };
}

function fsMessage(error: unknown): string {
  const code = (error as { code?: string })?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}

async function readAllStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const b = Buffer.concat(chunks);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
