import { Worker } from 'node:worker_threads';

/*
 * A worker thread running a short CommonJS script given as source (eval): it runs the same from the TypeScript
 * sources, the bundled actions and any Node, and is not type-stripped (plain JavaScript only). The catalogue's
 * thumbnail check and file writer and the data layer's hashing threads start theirs here, so each says the same
 * when its thread fails, and none outlives its caller.
 */

export interface EvalWorker {
  post(message: unknown): void;
  /** Keep the process alive while an answer is owed (`ref`), or not (`unref`). */
  ref(): void;
  unref(): void;
  /** End the thread (`onStop` is then told, if it was not yet: answers still owed will not come). */
  terminate(): Promise<void>;
}

/**
 * Start `source` on a worker thread (`data` is its `workerData`). Each message it posts goes to `onMessage`; a throw
 * in it, or its end (`terminate` included), goes to `onStop` once, as an error naming `name` ("the file writer").
 */
export function startWorker<Message>({
  source,
  name,
  data,
  onMessage,
  onStop,
}: {
  source: string;
  name: string;
  data?: unknown;
  onMessage: (message: Message) => void;
  onStop: (error: Error) => void;
}): EvalWorker {
  const worker = new Worker(source, { eval: true, workerData: data });
  let stopped = false;
  const stop = (error: Error) => {
    if (stopped) return;
    stopped = true;
    onStop(error);
  };
  worker.on('message', onMessage);
  worker.on('error', stop);
  worker.on('exit', (code) => stop(new Error(`${name} stopped (exit code ${code})`)));
  return {
    post: (message) => worker.postMessage(message),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/** Run `source` on a worker thread until it posts one answer; the thread is ended either way. */
export function runWorker<Answer>({
  source,
  name,
  data,
}: {
  source: string;
  name: string;
  data?: unknown;
}): Promise<Answer> {
  let worker: EvalWorker | undefined;
  return new Promise<Answer>((resolve, reject) => {
    worker = startWorker({ source, name, data, onMessage: resolve, onStop: reject });
  }).finally(() => worker?.terminate());
}
