import { parentPort, workerData } from 'node:worker_threads';
import { isVitrineError, messageOf } from '../errors.ts';
import { silentLogger } from '../log.ts';
import type { Params } from '../params.ts';
import { loadBackbone } from './backbone.ts';
import { type BackendPreference, selectBackend } from './backend.ts';
import { type EmbedJob, type EmbedJobResult, embedBatch } from './embed-batch.ts';

/*
 * One embedding worker thread: its own TF.js backend (wasm and cpu run on one thread in Node)
 * and its own copy of the backbone. It takes small batches of image files from the main thread and
 * sends back their vectors. Errors travel back as plain data; the main thread rethrows them.
 */

export interface WorkerSetup {
  params: Params;
  root: string;
  backend: BackendPreference;
}

const setup = workerData as WorkerSetup;
const port = parentPort!;

const ready = (async () => {
  const { tf } = await selectBackend({ preference: setup.backend, log: silentLogger });
  return loadBackbone({ params: setup.params.backbone, root: setup.root, tf, log: silentLogger });
})();

// The main thread terminates the worker when the work is done; nothing here needs closing first.
port.on('message', async (job: EmbedJob) => {
  try {
    const backbone = await ready;
    const results = await embedBatch({
      backbone,
      job,
      maxPixels: setup.params.dataset.image.max_pixels,
      background: setup.params.dataset.image.background,
      root: setup.root,
    });
    const transfer = results.flatMap((r) =>
      [r.vector?.buffer, r.flipped?.buffer].filter((b) => b !== undefined),
    ) as ArrayBuffer[];
    port.postMessage({ id: job.id, results } satisfies EmbedJobResult, transfer);
  } catch (error) {
    port.postMessage({
      id: job.id,
      error: {
        code: isVitrineError(error) ? error.code : 'EMBED_FAILED',
        message: messageOf(error),
        data: isVitrineError(error) ? error.data : {},
      },
    } satisfies EmbedJobResult);
  }
});
