import { getConfig, isNode } from './env.js';

/**
 * Environment switches that turn a dependency's phone-home behaviour off. Each must be in the
 * process environment before the dependency's native library loads: onnxruntime-node reads
 * `ORT_DISABLE_TELEMETRY` once, when its shared library starts, and otherwise writes a device id
 * under `~/.cache/Microsoft/DeveloperTools/` and sends session events to Microsoft from about 9 s
 * after the first session is created (measured: 6–10 DNS look-ups a minute).
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(TELEMETRY_SWITCHES)) console.log(`${name}=${value}`);
 * ```
 */
export const TELEMETRY_SWITCHES: Readonly<Record<string, string>> = Object.freeze({
  ORT_DISABLE_TELEMETRY: '1',
});

/** What {@link disableDependencyTelemetry} found, per switch. */
export interface TelemetryState {
  /** Switches this process turned on because the environment did not set them. */
  set: string[];
  /** Switches the user set to another value themselves; those are left as they are. */
  userOverrides: Record<string, string>;
  /**
   * False in a Node worker thread whose environment lacked a switch: a worker's `process.env` is a
   * copy, so setting it there does not reach native code. Native runtimes must not be started
   * there (see {@link nativeRuntimeIsPrivate}).
   */
  reachesNativeCode: boolean;
}

let state: TelemetryState | undefined;

/** True in a Node worker thread, whose `process.env` is a private copy that native code never sees. */
function inWorkerThread(): boolean {
  const load = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const threads = load?.('node:worker_threads') as { isMainThread?: boolean } | undefined;
  return threads?.isMainThread === false;
}

/**
 * Turns off every dependency's telemetry for this process, before any of those dependencies
 * loads: sets each switch in {@link TELEMETRY_SWITCHES} that the environment does not already
 * set. A value the user set themselves (such as `ORT_DISABLE_TELEMETRY=0`) is never overridden;
 * a warning says once that it keeps the dependency's telemetry on. Idempotent; does nothing in
 * browsers. Core calls it when it loads and before it loads onnxruntime-node, so apps need not.
 *
 * @example
 * ```ts
 * import { disableDependencyTelemetry } from '@ondevice/core';
 * disableDependencyTelemetry(); // before your own code imports onnxruntime-node directly
 * ```
 */
export function disableDependencyTelemetry(): TelemetryState {
  if (state) return state;
  const result: TelemetryState = { set: [], userOverrides: {}, reachesNativeCode: true };
  if (!isNode()) {
    state = result;
    return result;
  }
  const env = process.env;
  for (const [name, off] of Object.entries(TELEMETRY_SWITCHES)) {
    const current = env[name];
    if (current === undefined || current === '') {
      env[name] = off;
      result.set.push(name);
    } else if (current !== off) {
      result.userOverrides[name] = current;
    }
  }
  if (result.set.length && inWorkerThread()) result.reachesNativeCode = false;
  for (const [name, value] of Object.entries(result.userOverrides)) {
    getConfig().logger.warn(
      `${name}=${value} is set in the environment, so that dependency's telemetry stays on as you asked. Unset it (or set ${name}=${TELEMETRY_SWITCHES[name]}) to keep everything on the device.`,
    );
  }
  state = result;
  return result;
}

/**
 * Whether a native runtime (onnxruntime-node) may start now: true in the main thread, in a worker
 * thread whose environment already carried the switches (set by the thread that started it, or by
 * the shell), and where the user set a switch themselves.
 *
 * @example
 * ```ts
 * if (!nativeRuntimeIsPrivate()) console.log('onnxruntime-web will be used in this worker');
 * ```
 */
export function nativeRuntimeIsPrivate(): boolean {
  const s = disableDependencyTelemetry();
  return s.reachesNativeCode || Object.keys(s.userOverrides).length > 0;
}
