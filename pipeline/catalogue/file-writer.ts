import { startWorker } from '../worker.ts';

/*
 * Many small files written on a worker thread, each only when its bytes changed. A rebuild compares
 * 100,000 IIIF manifests with the files on disk (an open, a read and a close each) to write the one
 * or two that changed; on a worker, that overlaps what the build's thread writes meanwhile (the
 * catalogue and the downloads), so on two cores it costs no wall time of its own. Every write stays
 * atomic: a temporary file named as the build's leftovers are (pruned if a crash leaves one), then a rename.
 */

// Plain JavaScript (pipeline/worker.ts). Synchronous reads: a small file takes microseconds, less than the
// round trips of an asynchronous read.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
let written = 0;
let failure = null;
parentPort.on('message', (m) => {
  if (m.end) return parentPort.postMessage({ end: true, written });
  if (failure) return parentPort.postMessage({ id: m.id, error: failure });
  for (const { file, data } of m.files) {
    const bytes = Buffer.from(data);
    let same = false;
    try { same = fs.readFileSync(file).equals(bytes); } catch {}
    if (same) continue;
    const temp = file + '.' + randomBytes(6).toString('hex') + '.tmp';
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(temp, bytes);
      fs.renameSync(temp, file);
      written++;
    } catch (e) {
      try { fs.rmSync(temp, { force: true }); } catch {}
      failure = { message: String(e && e.message), code: e && e.code, syscall: e && e.syscall, path: file };
      return parentPort.postMessage({ id: m.id, error: failure });
    }
  }
  parentPort.postMessage({ id: m.id });
});
`;

interface WorkerFailure {
  message: string;
  code?: string;
  syscall?: string;
  path: string;
}

export interface FileWriter {
  /** Queue files to write; waits only while more than a few batches are queued (memory stays bounded). */
  write(files: { file: string; data: string }[]): Promise<void>;
  /** Wait for every queued file; the number written (the others already held these bytes). */
  finish(): Promise<number>;
  /** Stop at once (the caller failed): files not yet written are not written. */
  abort(): Promise<void>;
}

/** A worker that writes files when their bytes change; `finish` (or a failure) ends it. */
export function startFileWriter({ queued = 4 }: { queued?: number } = {}): FileWriter {
  const waiting = new Map<number, { resolve: (value: number) => void; reject: (error: unknown) => void }>();
  const pending: Promise<unknown>[] = [];
  let next = 0;
  const worker = startWorker<{ id?: number; end?: boolean; written?: number; error?: WorkerFailure }>({
    source: WORKER_SOURCE,
    name: 'the file writer',
    onMessage: (m) => {
      const id = m.end ? -1 : m.id!;
      const w = waiting.get(id);
      waiting.delete(id);
      if (m.error) w?.reject(Object.assign(new Error(m.error.message), m.error));
      else w?.resolve(m.written ?? 0);
      if (waiting.size === 0) worker.unref();
    },
    // Rejects every request still waiting: the worker answers no more.
    onStop: (error) => {
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
      worker.unref();
    },
  });
  const ask = (message: Record<string, unknown>, id: number) => {
    const answer = new Promise<number>((resolve, reject) => waiting.set(id, { resolve, reject }));
    // Awaited later (or never, once another has failed): not an unhandled rejection meanwhile.
    answer.catch(() => {});
    // Held open only while it owes an answer: a build that stops between writes is not kept alive by it.
    worker.ref();
    worker.post({ ...message, id });
    return answer;
  };
  return {
    async write(files) {
      pending.push(ask({ files }, next++));
      try {
        while (pending.length > queued) await pending.shift();
      } catch (error) {
        await worker.terminate();
        throw error;
      }
    },
    async abort() {
      await worker.terminate();
    },
    async finish() {
      try {
        for (const p of pending.splice(0)) await p;
        return await ask({ end: true }, -1);
      } finally {
        await worker.terminate();
      }
    },
  };
}
