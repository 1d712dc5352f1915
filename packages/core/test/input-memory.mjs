// Peak and settled RSS of decodeImage / decodeAudio on over-limit and at-limit inputs, each case
// in a fresh child process. Not a test (RSS is not deterministic enough to assert on); run it by
// hand after `pnpm --filter @ondevice/core run build`:
//
//   node packages/core/test/input-memory.mjs [path/to/core/dist]
//
// Cases: a 10000×10000 PNG (~310 KB), 1 and 4 at once; a 7300×5475 PNG (40 MP, at the limit);
// a sparse 3-hour 44.1 kHz 16-bit WAV file (953 MB).
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.argv[2] ?? join(here, '..', 'dist'));

if (process.env.INPUT_MEMORY_CASE) {
  // Child: run one case, print one JSON line.
  const [kind, file, n] = process.env.INPUT_MEMORY_CASE.split('|');
  const core = await import(pathToFileURL(join(dist, 'index.js')).href);
  const mb = (b) => Math.round(b / 1048576);
  const rssBefore = process.memoryUsage().rss;
  const t0 = Date.now();
  // Inside a function so no decoded pixels stay reachable from this module's frame.
  const outcome = await (async () => {
    const run = () => (kind === 'image' ? core.decodeImage(file) : core.decodeAudio(file));
    const settled = await Promise.allSettled(Array.from({ length: Number(n) }, run));
    return settled
      .map((s) => (s.status === 'fulfilled' ? 'ok' : `${s.reason.constructor.name}: ${s.reason.message}`))
      .filter((v, i, a) => a.indexOf(v) === i)
      .join(' | ');
  })();
  const ms = Date.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  for (let i = 0; i < 5; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(
    JSON.stringify({
      rssBeforeMB: mb(rssBefore),
      peakMB: mb(peak),
      settledMB: mb(process.memoryUsage().rss),
      ms,
      outcome,
    }),
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), 'ondevice-input-memory-'));
  try {
    const require = createRequire(join(here, '..', 'package.json'));
    const sharp = (await import(pathToFileURL(require.resolve('sharp')).href)).default;
    const png = async (w, h) => {
      const path = join(dir, `${w}x${h}.png`);
      await sharp({ create: { width: w, height: h, channels: 3, background: '#808080' } })
        .png()
        .toFile(path);
      return path;
    };
    const big = await png(10000, 10000);
    const atLimit = await png(7300, 5475);
    const wav = join(dir, '3h.wav');
    const dataLength = 3 * 3600 * 44100 * 2;
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + dataLength, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(44100, 24);
    header.writeUInt32LE(88200, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36);
    header.writeUInt32LE(dataLength, 40);
    const fd = openSync(wav, 'w');
    writeSync(fd, header);
    ftruncateSync(fd, 44 + dataLength);
    closeSync(fd);
    const cases = [
      ['10000×10000 PNG', 'image', big, 1],
      ['10000×10000 PNG ×4 at once', 'image', big, 4],
      ['7300×5475 PNG (40 MP)', 'image', atLimit, 1],
      ['7300×5475 PNG (40 MP) ×4 at once', 'image', atLimit, 4],
      ['3-hour WAV file (953 MB)', 'audio', wav, 1],
    ];
    console.log(`core dist: ${dist}`);
    for (const [name, kind, file, n] of cases) {
      const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), dist], {
        env: { ...process.env, INPUT_MEMORY_CASE: `${kind}|${file}|${n}` },
        encoding: 'utf8',
      });
      console.log(`${name}: ${out.trim()}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
