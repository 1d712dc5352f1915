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
