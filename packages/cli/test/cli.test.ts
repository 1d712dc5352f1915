// Spawns the built CLI (`pnpm test` builds it first) on real inputs from the shared datasets.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function ondevice(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('ondevice (usage)', () => {
  it('is built', () => expect(existsSync(bin)).toBe(true));

  it('an unknown option exits 2 with one line on stderr', () => {
    const r = ondevice('detect', 'x.jpg', '--frobnicate');
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'ondevice detect: unknown option --frobnicate (see ondevice detect --help)',
    ]);
    expect(r.stdout).toBe('');
  });

  it('an unknown command or a bad option value exits 2 with one line', () => {
    for (const args of [
      ['detekt', 'a.jpg'],
      ['detect', 'a.jpg', '--threshold', 'high'],
      ['detect'],
      ['detect', 'a.jpg', '--workers', '0'],
    ]) {
      const r = ondevice(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(lines(r.stderr), args.join(' ')).toHaveLength(1);
    }
  });

  it('help lists every task and the exit codes', () => {
    const r = ondevice('--help');
    expect(r.status).toBe(0);
    for (const c of [
      'detect',
      'faces',
      'ocr',
      'listen',
      'langid',
      'translate',
      'models',
      'bench',
      'exit status',
    ])
      expect(r.stdout).toContain(c);
  });

  it('inputs that do not exist exit 1 with one line each', () => {
    const r = ondevice('detect', join(tmpdirName(), 'nope-1.jpg'), join(tmpdirName(), 'nope-2.jpg'));
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(r.stderr).toContain('no such file or directory');
  });
});

function tmpdirName() {
  return join(fileURLToPath(new URL('.', import.meta.url)), 'does-not-exist');
}
