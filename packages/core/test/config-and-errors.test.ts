import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AbortedError,
  configure,
  DisposedError,
  getConfig,
  InputError,
  labelFilterSchema,
  lazyDefault,
  OnDeviceError,
  OptionsError,
  parseOptions,
  resetConfig,
  TimeoutError,
  withDeadline,
} from '../src/index.js';

afterEach(() => resetConfig());

describe('configure', () => {
  it('sets and reads options', () => {
    configure({ modelBaseUrl: 'https://example.invalid/m/', allowRemoteModels: false, backend: 'cpu' });
    expect(getConfig()).toMatchObject({
      modelBaseUrl: 'https://example.invalid/m/',
      allowRemoteModels: false,
      backend: 'cpu',
    });
  });
  it('rejects unknown keys and values with an OptionsError naming the allowed ones', () => {
    expect(() => configure({ backnd: 'wasm' } as never)).toThrow(/Should be one of: modelBaseUrl/);
    expect(() => configure({ backend: 'cuda' as never })).toThrow(
      /Should be one of: auto, wasm, cpu, webgl, webgpu/,
    );
    expect(() => configure({ logger: {} as never })).toThrow(OptionsError);
  });

  it('validates every field: a wrong type or value is an OptionsError naming what is allowed', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ cacheDir: 5 }, /cacheDir must be a folder path/],
      [{ cacheDir: '' }, /cacheDir must be a folder path/],
      [{ cacheDir: 'a\0b' }, /cacheDir must be a folder path/],
      [{ modelBaseUrl: 42 }, /modelBaseUrl must be a URL string/],
      [{ modelBaseUrl: 'models/' }, /absolute http:\/\/, https:\/\/ or file:\/\/ URL/],
      [{ wasmBaseUrl: 7 }, /wasmBaseUrl must be a URL string/],
      [{ allowRemoteModels: 'yes' }, /allowRemoteModels must be true or false/],
      [{ downloadResponseTimeout: 0 }, /downloadResponseTimeout must be a number of milliseconds > 0/],
      [{ downloadIdleTimeout: -5 }, /downloadIdleTimeout must be a number of milliseconds > 0/],
      [{ downloadIdleTimeout: '30s' }, /downloadIdleTimeout must be a number/],
      [{ downloadIdleTimeout: Number.NaN }, /downloadIdleTimeout must be a number/],
    ];
    for (const [options, message] of bad) {
      expect(() => configure(options as never), JSON.stringify(options)).toThrow(OptionsError);
      expect(() => configure(options as never), JSON.stringify(options)).toThrow(message);
    }
    expect(() => configure(5 as never)).toThrow(OptionsError);
    expect(() => configure([] as never)).toThrow(OptionsError);
    // Nothing of a rejected call was applied.
    expect(getConfig()).toMatchObject({
      cacheDir: undefined,
      modelBaseUrl: undefined,
      allowRemoteModels: true,
    });
  });

  it('has documented download time limits; undefined restores a default', () => {
    expect(getConfig()).toMatchObject({ downloadResponseTimeout: 30_000, downloadIdleTimeout: 30_000 });
    configure({
      downloadIdleTimeout: Number.POSITIVE_INFINITY,
      downloadResponseTimeout: 500,
      cacheDir: '/tmp/x',
    });
    expect(getConfig()).toMatchObject({
      downloadIdleTimeout: Number.POSITIVE_INFINITY,
      downloadResponseTimeout: 500,
    });
    configure({ downloadIdleTimeout: undefined, cacheDir: undefined });
    expect(getConfig()).toMatchObject({ downloadIdleTimeout: 30_000, cacheDir: undefined });
  });
});

describe('errors', () => {
  it('have stable codes and are instances of OnDeviceError', () => {
    const cases: [OnDeviceError, string][] = [
      [new OptionsError('x'), 'ERR_OPTIONS'],
      [new InputError('x'), 'ERR_INPUT'],
      [new DisposedError('The detector'), 'ERR_DISPOSED'],
      [new AbortedError(), 'ERR_ABORTED'],
      [new TimeoutError('x', 5), 'ERR_TIMEOUT'],
    ];
    for (const [e, code] of cases) {
      expect(e).toBeInstanceOf(OnDeviceError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toBe(code);
      expect(e.name).toBe(e.constructor.name);
    }
  });

  it('withDeadline rejects with TimeoutError or AbortedError and calls onCancel', async () => {
    let cancelled = 0;
    const never = new Promise<never>(() => {});
    await expect(
      withDeadline(never, { timeout: 20, what: 'x', onCancel: () => cancelled++ }),
    ).rejects.toBeInstanceOf(TimeoutError);
    const c = new AbortController();
    const p = withDeadline(never, { signal: c.signal, what: 'x', onCancel: () => cancelled++ });
    c.abort();
    await expect(p).rejects.toBeInstanceOf(AbortedError);
    expect(cancelled).toBe(2);
    await expect(withDeadline(Promise.resolve(3), { timeout: 100, what: 'x' })).resolves.toBe(3);
  });
});

describe('options', () => {
  const schema = z
    .object({ scoreThreshold: z.number().min(0).max(1).default(0.3), ...labelFilterSchema(['cat', 'dog']) })
    .strict();
  it('parses, applies defaults and rejects with the allowed values', () => {
    expect(parseOptions(schema, undefined, 'f')).toEqual({ scoreThreshold: 0.3 });
    expect(() => parseOptions(schema, { categoryAllowlist: ['cta'] }, 'f')).toThrow(
      /unknown label\(s\) "cta". Should be one of: cat, dog/,
    );
    expect(() => parseOptions(schema, { scoreThreshold: 2 }, 'f')).toThrow(OptionsError);
    expect(() => parseOptions(schema, 'fast', 'f')).toThrow(/must be an object/);
    expect(() => parseOptions(schema, { nope: 1 }, 'f')).toThrow(/nope/);
  });

  it('lazyDefault shares one creation and retries after a failure', async () => {
    let made = 0;
    let fail = true;
    const d = lazyDefault(async () => {
      made++;
      if (fail) throw new Error('first');
      return { n: made };
    });
    await expect(d.get()).rejects.toThrow('first');
    fail = false;
    const [a, b] = await Promise.all([d.get(), d.get()]);
    expect(a).toBe(b);
    expect(made).toBe(2);
  });
});
