/** A progress bar on stderr, drawn only when stderr is a terminal. */
export interface Progress {
  /** Sets the count done (or bytes done) and redraws. */
  update(done: number): void;
  /** Runs `write` with the bar lifted, so other output never lands inside it. */
  around(write: () => void): void;
  /** Removes the bar. */
  finish(): void;
}

/**
 * A byte count in B, kB, MB or GB (binary multiples), as the progress bar and `ondevice models` print it.
 *
 * @example
 * ```ts
 * formatBytes(8_155_564); // '7.8 MB'
 * ```
 */
function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
}

/**
 * A progress bar for `total` units (`bytes` formats counts as sizes). When `enabled` is false, or
 * stderr is not a TTY, every method is a no-op except `around`, which just writes.
 *
 * @example
 * ```ts
 * const bar = createProgress('detect', files.length);
 * bar.update(3);
 * bar.finish();
 * ```
 */
export function createProgress(
  label: string,
  total: number,
  { enabled = true, bytes = false, stream = process.stderr } = {},
): Progress {
  const on = enabled && !!stream.isTTY && total > 0;
  const started = Date.now();
  let done = 0;
  let shown = false;
  let last = 0;
  const draw = (force = false) => {
    if (!on) return;
    const now = Date.now();
    if (!force && now - last < 80 && done < total) return;
    last = now;
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - 60));
    const frac = Math.min(1, done / total);
    const filled = Math.round(frac * width);
    const elapsed = (now - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const count = bytes ? `${formatBytes(done)}/${formatBytes(total)}` : `${done}/${total}`;
    const speed = bytes ? `${formatBytes(rate)}/s` : `${rate.toFixed(1)}/s`;
    stream.write(
      `\r\x1b[K${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count} ${Math.round(frac * 100)}% ${speed} eta ${done >= total ? '0s' : formatSeconds(eta)}`,
    );
    shown = true;
  };
  const clear = () => {
    if (on && shown) {
      stream.write('\r\x1b[K');
      shown = false;
    }
  };
  return {
    update(n) {
      done = n;
      draw();
    },
    around(write) {
      clear();
      write();
      draw(true);
    },
    finish() {
      clear();
    },
  };
}

export { formatBytes };
