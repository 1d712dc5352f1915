import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, globToRegExp } from './inputs.js';

describe('globToRegExp', () => {
  it('keeps * and ? inside one segment and lets ** cross segments', () => {
    expect(globToRegExp('*.jpg').test('a.jpg')).toBe(true);
    expect(globToRegExp('*.jpg').test('d/a.jpg')).toBe(false);
    expect(globToRegExp('**/*.jpg').test('a.jpg')).toBe(true);
    expect(globToRegExp('**/*.jpg').test('d/e/a.jpg')).toBe(true);
    expect(globToRegExp('a?.png').test('ab.png')).toBe(true);
    expect(globToRegExp('a?.png').test('a/.png')).toBe(false);
  });
  it('supports classes, negated classes and alternatives, and escapes the rest', () => {
    expect(globToRegExp('[0-4]*.{jpg,png}').test('3x.png')).toBe(true);
    expect(globToRegExp('[!0-4]*.{jpg,png}').test('3x.png')).toBe(false);
    expect(globToRegExp('a+b.(1).jpg').test('a+b.(1).jpg')).toBe(true);
    expect(globToRegExp('a.jpg').test('abjpg')).toBe(false);
  });
});

describe('expandInputs', () => {
  it('takes files as given, walks folders for the kind, expands globs and reports what gave nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ondevice-cli-'));
    await mkdir(join(dir, 'sub'));
    for (const f of ['a.jpg', 'b.PNG', 'notes.txt', 'sub/c.jpeg', 'sub/d.wav'])
      await writeFile(join(dir, f), 'x');
    const { items, problems } = await expandInputs(
      [dir, join(dir, 'notes.txt'), join(dir, '**/*.wav'), join(dir, 'missing.jpg'), join(dir, '*.gif')],
      'image',
    );
    expect(items.map((i) => i.path?.slice(dir.length + 1))).toEqual([
      'a.jpg',
      'b.PNG',
      'sub/c.jpeg',
      'notes.txt',
    ]);
    expect(problems.map((p) => [p.name.slice(dir.length + 1), p.message])).toEqual([
      ['**/*.wav', 'no image files match this pattern'],
      ['missing.jpg', 'no such file or directory'],
      ['*.gif', 'no image files match this pattern'],
    ]);
  });
  it('reads text files and splits stdin into one text per non-empty line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ondevice-cli-'));
    await writeFile(join(dir, 't.txt'), 'Bonjour');
    const { items } = await expandInputs([join(dir, 't.txt'), '-'], 'text', async () =>
      new TextEncoder().encode('Hola\n\nHallo\n'),
    );
    expect(items.map((i) => [i.name.replace(dir, ''), i.text])).toEqual([
      ['/t.txt', 'Bonjour'],
      ['stdin:1', 'Hola'],
      ['stdin:3', 'Hallo'],
    ]);
  });
});
