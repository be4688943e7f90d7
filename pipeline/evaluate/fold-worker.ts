import { parentPort, workerData } from 'node:worker_threads';
import { isVitrineError, messageOf } from '../errors.ts';
import { silentLogger } from '../log.ts';
import { type BackendPreference, selectBackend } from '../model/backend.ts';
import { predictProbabilities, trainHead } from '../model/head.ts';
import type { Params } from '../params.ts';

/*
 * One cross-validation worker thread: its own TF.js backend (wasm and cpu run on one thread in
 * Node), the embeddings shared with the main thread (one packed matrix, not copied), and one fold's
 * head at a time: trained exactly as on the main thread, the held-out rows sent back.
 */

export interface FoldWorkerSetup {
  backend: BackendPreference;
  /** Every object's embedding, row after row (a SharedArrayBuffer). */
  matrix: Float32Array;
  dim: number;
}

export interface FoldJob {
  fold: number;
  fit: { rows: Int32Array; y: Int32Array };
  validation: { rows: Int32Array; y: Int32Array };
  held: Int32Array;
  labels: string[];
  train: Params['train'];
}

export type FoldResult =
  | { fold: number; probabilities: Float32Array }
  | { fold: number; error: { code: string; message: string; data: Record<string, unknown> } };

const setup = workerData as FoldWorkerSetup;
const port = parentPort!;
const ready = selectBackend({ preference: setup.backend, log: silentLogger });
const rowOf = (i: number) => setup.matrix.subarray(i * setup.dim, (i + 1) * setup.dim);

// The main thread terminates the worker when the work is done; nothing here needs closing first.
port.on('message', async (job: FoldJob) => {
  try {
    const { tf } = await ready;
    const { model } = await trainHead({
      tf,
      train: { x: Array.from(job.fit.rows, rowOf), y: Array.from(job.fit.y) },
      validation: { x: Array.from(job.validation.rows, rowOf), y: Array.from(job.validation.y) },
      labels: job.labels,
      params: job.train,
      log: silentLogger,
    });
    try {
      const rows = predictProbabilities({ tf, model, x: Array.from(job.held, rowOf) });
      const probabilities = new Float32Array(rows.length * job.labels.length);
      rows.forEach((row, j) => probabilities.set(row, j * job.labels.length));
      port.postMessage({ fold: job.fold, probabilities } satisfies FoldResult, [probabilities.buffer]);
    } finally {
      model.dispose();
    }
  } catch (error) {
    port.postMessage({
      fold: job.fold,
      error: {
        code: isVitrineError(error) ? error.code : 'CROSSVAL_FAILED',
        message: messageOf(error),
        data: isVitrineError(error) ? (error.data as Record<string, unknown>) : {},
      },
    } satisfies FoldResult);
  }
});
