// Telemetry switches: each case runs in a fresh Node process (the state is per process and the
// real environment is what native code reads). The system-call proof that nothing leaves the
// device is scripts/privacy/check.mjs, which scripts/test.sh runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const core = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const onnx = fileURLToPath(new URL('../dist/onnx.js', import.meta.url));

function node(code: string, env: Record<string, string | undefined> = {}) {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: childEnv,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return { out: r.stdout.trim(), err: r.stderr };
}

describe('dependency telemetry', () => {
  it('importing core turns onnxruntime telemetry off in the real environment, before any runtime loads', () => {
    // A child process sees the real environment: it must inherit the switch.
    const { out } = node(
      `await import(${JSON.stringify(core)});
       const { execFileSync } = await import('node:child_process');
       console.log(execFileSync('sh', ['-c', 'echo "$ORT_DISABLE_TELEMETRY"'], { env: undefined }).toString().trim());`,
      { ORT_DISABLE_TELEMETRY: undefined },
    );
    expect(out).toBe('1');
  });

  it("never overrides the user's own setting, and says so once", () => {
    const { out, err } = node(
      `const core = await import(${JSON.stringify(core)});
       core.disableDependencyTelemetry();
       console.log(process.env.ORT_DISABLE_TELEMETRY, JSON.stringify(core.disableDependencyTelemetry().userOverrides));`,
      { ORT_DISABLE_TELEMETRY: '0' },
    );
    expect(out).toBe('0 {"ORT_DISABLE_TELEMETRY":"0"}');
    expect(err.match(/ORT_DISABLE_TELEMETRY=0 is set/g)).toHaveLength(1);
  });

  it('a worker thread that cannot switch native telemetry off gets onnxruntime-web, or a typed refusal for "node"', () => {
    const { out } = node(
      `const { Worker } = await import('node:worker_threads');
       const w = new Worker(\`
         import { parentPort } from 'node:worker_threads';
         const core = await import(${JSON.stringify(JSON.stringify(core)).slice(1, -1)});
         const { getOrt } = await import(${JSON.stringify(JSON.stringify(onnx)).slice(1, -1)});
         const auto = await getOrt();
         const refused = await getOrt('node').then(() => 'loaded', (e) => e.name);
         parentPort.postMessage([core.nativeRuntimeIsPrivate(), Object.keys(auto.env.versions ?? {}), refused]);\`, { eval: true, env: { PATH: process.env.PATH } });
       w.once('message', (m) => { console.log(JSON.stringify(m)); w.terminate(); });`,
      { ORT_DISABLE_TELEMETRY: undefined },
    );
    const [isPrivate, versions, refused] = JSON.parse(out) as [boolean, string[], string];
    expect(isPrivate).toBe(false);
    expect(versions).toContain('web');
    expect(versions).not.toContain('node');
    expect(refused).toBe('BackendUnavailableError');
  });

  it('a worker thread whose environment already has the switch may use onnxruntime-node', () => {
    const { out } = node(
      `await import(${JSON.stringify(core)});
       const { Worker } = await import('node:worker_threads');
       const w = new Worker(\`
         import { parentPort } from 'node:worker_threads';
         const core = await import(${JSON.stringify(JSON.stringify(core)).slice(1, -1)});
         parentPort.postMessage(core.nativeRuntimeIsPrivate());\`,
         { eval: true });
       w.once('message', (m) => { console.log(m); w.terminate(); });`,
      { ORT_DISABLE_TELEMETRY: undefined },
    );
    expect(out).toBe('true');
  });
});
