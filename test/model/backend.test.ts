import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type ImportModule, selectBackend } from '../../pipeline/model/backend.ts';

/*
 * The fallback chain is exercised with real modules: tfjs and the wasm backend are really imported;
 * the native packages are really absent here (they cannot install), and `importModule` lets a test
 * stand in a package that registers a backend whose start-up fails, as a broken install would.
 */

const real: ImportModule = (name) => import(name);

/** Behaves as Node does for a package that is not installed. */
function notInstalled(name: string): never {
  throw Object.assign(new Error(`Cannot find package '${name}' imported from /somewhere`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

/** A stand-in for tfjs-node (the GPU one absent): importing it registers a "tensorflow" backend, as the real one does. */
const standInNode: ImportModule = async (name) => {
  if (name === '@tensorflow/tfjs-node-gpu') notInstalled(name);
  if (name === '@tensorflow/tfjs-node') {
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
    tf.registerBackend('tensorflow', () => new MathBackendCPU());
    return {};
  }
  return import(name);
};

describe('selectBackend', () => {
  it('really finds tfjs-node absent here and falls back to wasm with a one-line notice', async () => {
    const log = memoryLogger();
    const selected = await selectBackend({ preference: 'auto', log, importModule: real });
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(selected.tf.sum(selected.tf.tensor1d([1, 2, 3])).dataSync()[0]).toBe(6);
    const lines = log.lines.filter((l) => l.level !== 'debug');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toContain('wasm');
    expect(lines[0]!.message).toContain('@tensorflow/tfjs-node: not installed');
  });

  it('uses a native backend when its package is installed', async () => {
    const log = memoryLogger();
    const selected = await selectBackend({ preference: 'auto', log, importModule: standInNode });
    expect(selected).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node' });
    expect(selected.tf.getBackend()).toBe('tensorflow');
    expect(log.lines.at(-1)!.message).toContain('@tensorflow/tfjs-node-gpu: not installed');
    tf.removeBackend('tensorflow');
  });

  it('fails with a clear error when a forced backend is not available', async () => {
    const error = await selectBackend({ preference: 'tensorflow', log: memoryLogger(), importModule: real }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('train.backend');
    expect((error as Error).message).toContain('@tensorflow/tfjs-node: not installed');

    const noWasm: ImportModule = async (name) =>
      name === '@tensorflow/tfjs-backend-wasm' ? notInstalled(name) : import(name);
    const wasmError = await selectBackend({ preference: 'wasm', log: memoryLogger(), importModule: noWasm }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(wasmError, 'BACKEND_UNAVAILABLE')).toBe(true);
  });

  it('detects a wasm backend that fails silently and falls back to cpu, or refuses when wasm is forced', async () => {
    // TF.js only console-warns when a backend's initialisation throws, and setBackend resolves false.
    const brokenWasm: ImportModule = async (name) => {
      if (name.startsWith('@tensorflow/tfjs-node')) notInstalled(name);
      if (name === '@tensorflow/tfjs-backend-wasm') {
        if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
        tf.registerBackend('wasm', async () => {
          throw new Error('WebAssembly SIMD is not supported');
        });
        return {};
      }
      return import(name);
    };
    const log = memoryLogger();
    const selected = await selectBackend({ preference: 'auto', log, importModule: brokenWasm });
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('WebAssembly backend could not start'))).toBe(
      true,
    );

    const forced = await selectBackend({ preference: 'wasm', log: memoryLogger(), importModule: brokenWasm }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(forced, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((forced as Error).message).toContain('"wasm"');
  });

  it('chooses once per process for the same preference (one notice), but afresh for an injected importer', async () => {
    const first = memoryLogger();
    const selected = await selectBackend({ preference: 'cpu', log: first });
    expect(selected.name).toBe('cpu');
    expect(first.lines.filter((l) => l.level !== 'debug').map((l) => l.message)).toEqual([
      'TensorFlow.js backend: cpu (@tensorflow/tfjs).',
    ]);

    const again = memoryLogger();
    expect(await selectBackend({ preference: 'cpu', log: again })).toBe(selected);
    expect(again.lines.filter((l) => l.level !== 'debug')).toEqual([]);

    // An injected importer is never served from (nor stored in) the memo, and may switch TF.js elsewhere...
    const injected = memoryLogger();
    const native = await selectBackend({ preference: 'cpu', log: injected, importModule: standInNode });
    expect(native).not.toBe(selected);
    expect(injected.lines.filter((l) => l.level !== 'debug')).toHaveLength(1);
    const other = await selectBackend({ preference: 'tensorflow', log: injected, importModule: standInNode });
    expect(other.tf.getBackend()).toBe('tensorflow');
    expect(injected.lines.filter((l) => l.level !== 'debug')).toHaveLength(2);
    // ...after which the remembered choice is switched back on, still without a second notice.
    const back = memoryLogger();
    expect(await selectBackend({ preference: 'cpu', log: back })).toBe(selected);
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(back.lines.filter((l) => l.level !== 'debug')).toEqual([]);
    tf.removeBackend('tensorflow');
  });

  it('runs on cpu when asked', async () => {
    const selected = await selectBackend({ preference: 'cpu', log: memoryLogger(), importModule: real });
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
  });
});
