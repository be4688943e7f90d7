import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { VitrineError } from '../errors.ts';
import type { Logger, Progress, Where } from '../log.ts';

/*
 * One step of the site build in a process of its own that exits when done. A Node process does not
 * give its heap back to the system: at 100,000 objects, updating the site's 800,000 files left the
 * build process at 1.8 GB while Pagefind ran beside it. The child (see `serveApart`) gets its request
 * over an IPC channel and sends back log lines, progress and the result or the error (code, message,
 * data), which `runApart` turns back into the same VitrineError. The child dies with the build: see guard.ts.
 */

/** Messages from the child. */
export type ApartMessage<R> =
  | { kind: 'ready' }
  | { kind: 'log'; level: 'info' | 'warn' | 'error' | 'debug'; message: string; where?: Where }
  | { kind: 'progress'; id: number; label: string; total: number }
  | { kind: 'tick'; id: number; n: number }
  | { kind: 'done'; id: number }
  | { kind: 'result'; result: R }
  | { kind: 'failed'; error: FailedError };

interface FailedError {
  name: string;
  code?: string;
  message: string;
  data?: unknown;
  stack?: string;
  /** A Node system error's fields (ENOSPC…): the boundary words a full disk from them (errors.ts). */
  system?: SystemFields;
}

interface SystemFields {
  code: string;
  errno?: number;
  syscall?: string;
  path?: string;
  dest?: string;
}

/**
 * Run the child `entry` (a TypeScript file calling `serveApart`; Node 24 runs it as it is) with
 * `request`; resolve with its result. The child's log lines and progress go through `log`. `what` names
 * the step in messages; a child that stops with no answer (out of memory, killed) is a VitrineError
 * `code`. `nodeOptions` go to the child's Node.
 */
export async function runApart<Q, R>({
  entry,
  request,
  log,
  what,
  code,
  nodeOptions = [],
}: {
  entry: string;
  request: Q;
  log: Logger;
  what: string;
  code: string;
  nodeOptions?: string[];
}): Promise<R & { pid: number }> {
  // The build's process id goes first: the child's guard (guard.ts) watches it.
  const child = spawn(process.execPath, [...nodeOptions, entry, String(process.pid)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  log.debug(`${what}: in a separate process (pid ${child.pid})`);
  const progress = new Map<number, Progress>();
  let result: R | null = null;
  let failure: FailedError | null = null;
  child.on('message', (m: ApartMessage<R>) => {
    // The request goes once the child listens: a message sent while it still loads its modules is lost.
    if (m.kind === 'ready') child.send(request as object);
    else if (m.kind === 'log') log[m.level](m.message, m.where);
    else if (m.kind === 'progress') progress.set(m.id, log.progress(m.label, m.total));
    else if (m.kind === 'tick') progress.get(m.id)?.tick(m.n);
    else if (m.kind === 'done') progress.get(m.id)?.done();
    else if (m.kind === 'result') result = m.result;
    else if (m.kind === 'failed') failure = m.error;
  });
  // The step never prints; whatever a library writes is kept for the log and a crash's message.
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const [exit, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  for (const line of output.split('\n')) if (line.trim()) log.debug(`${what}: ${line}`);
  if (failure) throw rebuilt(failure);
  if (exit !== 0 || !result) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    throw new VitrineError(
      code,
      `${what} stopped before it finished (${signal ? `signal ${signal}` : `exit code ${exit}`})${tail ? `:\n${tail}` : ''}`,
      { code: exit, signal },
    );
  }
  return { ...(result as R), pid: child.pid ?? 0 };
}

/** The child's error as thrown there: a VitrineError keeps its code and data; anything else its message. */
function rebuilt(e: FailedError): Error {
  const error =
    e.code !== undefined
      ? new VitrineError(e.code, e.message, (e.data ?? {}) as Record<string, unknown>)
      : Object.assign(new Error(e.message), { name: e.name }, e.system ?? {});
  if (e.stack) error.stack = e.stack;
  return error;
}

function send<R>(m: ApartMessage<R>): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
}

/**
 * A logger whose lines and progress go to the parent. Ticks are summed and sent at most every 200 ms:
 * 600,000 thumbnails are not 600,000 messages.
 */
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

/**
 * The child's side: wait for the request, run `work`, send back its result or error, and exit (its
 * memory goes back to the system, and a library's thread pool, sharp's or TF.js's, cannot keep it alive).
 */
export function serveApart<Q, R>(work: (request: Q, log: Logger) => Promise<R>): void {
  const serve = async (request: Q) => {
    try {
      await send<R>({ kind: 'result', result: await work(request, childLogger()) });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      const failed: FailedError = {
        name: e.name,
        message: e.message,
        stack: e.stack,
        ...(e instanceof VitrineError ? { code: e.code, data: e.data } : systemFields(e)),
      };
      try {
        await send({ kind: 'failed', error: failed });
      } catch {
        // Data that cannot cross (a function, say): its JSON form does.
        await send({ kind: 'failed', error: { ...failed, data: JSON.parse(JSON.stringify(failed.data ?? {})) } });
      }
    }
    process.exit(0);
  };
  process.once('message', (request: Q) => void serve(request));
  void send({ kind: 'ready' });
}

/** A system error's code, call and paths (all strings and numbers: they cross the IPC channel). */
function systemFields(e: Error): { system?: SystemFields } {
  const { code, errno, syscall, path, dest } = e as Partial<Record<keyof SystemFields, unknown>>;
  if (typeof code !== 'string') return {};
  const system: SystemFields = { code };
  if (typeof errno === 'number') system.errno = errno;
  if (typeof syscall === 'string') system.syscall = syscall;
  if (typeof path === 'string') system.path = path;
  if (typeof dest === 'string') system.dest = dest;
  return { system };
}

/** Whether the child's entry file is there (not in a bundled action, whose modules are all in one file). */
export async function entryThere(entry: string): Promise<boolean> {
  return (await stat(entry).catch(() => null))?.isFile() === true;
}
