/*
 * The child process of `buildCatalogueDataApart` (data-process.ts): receives the options over IPC,
 * builds the catalogue data, and sends back log lines, progress, and the summary or the error.
 * It never prints; it exits when done, returning its memory to the system.
 */
import { isVitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { buildCatalogueData } from './data.ts';
import { type DataBuildMessage, type DataBuildRequest, summaryOf } from './data-process.ts';

function send(m: DataBuildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
}

/** Ticks are summed and sent at most every 200 ms: 600,000 thumbnails are not 600,000 messages. */
function childLogger(): Logger {
  let next = 0;
  return {
    info: (message) => void send({ kind: 'log', level: 'info', message }),
    warn: (message, where) => void send({ kind: 'log', level: 'warn', message, where }),
    error: (message, where) => void send({ kind: 'log', level: 'error', message, where }),
    debug: (message) => void send({ kind: 'log', level: 'debug', message }),
    progress: (label, total) => {
      const id = next++;
      void send({ kind: 'progress', id, label, total });
      let pending = 0;
      let last = Date.now();
      return {
        tick: (n = 1) => {
          pending += n;
          if (Date.now() - last < 200) return;
          void send({ kind: 'tick', id, n: pending });
          pending = 0;
          last = Date.now();
        },
        done: () => {
          if (pending) void send({ kind: 'tick', id, n: pending });
          pending = 0;
          void send({ kind: 'done', id });
        },
      };
    },
  };
}

async function serve(request: DataBuildRequest): Promise<void> {
  const log = childLogger();
  const at = new Date(request.now);
  try {
    const built = await buildCatalogueData({ ws: request.ws, params: request.params, log, clock: { now: () => at } });
    await send({ kind: 'result', summary: summaryOf(built) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const failed = {
      name: e.name,
      message: e.message,
      stack: e.stack,
      ...(isVitrineError(e) ? { code: e.code, data: e.data } : {}),
    };
    try {
      await send({ kind: 'failed', error: failed });
    } catch {
      // Data that cannot cross (a function, say): its JSON form does.
      await send({ kind: 'failed', error: { ...failed, data: JSON.parse(JSON.stringify(failed.data ?? {})) } });
    }
  }
  // Exit now: a library's thread pool (sharp, TF.js) must not keep the process, and its memory, alive.
  process.exit(0);
}

process.once('message', (request: DataBuildRequest) => void serve(request));
void send({ kind: 'ready' });
