import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import type { Clock, Logger, Progress, Where } from '../log.ts';
import { systemClock } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { buildCatalogueData } from './data.ts';
import type { Catalogue } from './schema.ts';

/*
 * The catalogue data step in a process of its own. At 100,000 objects building the catalogue takes
 * gigabytes, and a Node process does not give its heap back to the system: the stage's own process
 * would keep them while Astro and Pagefind run. A child that exits returns them all. The child
 * (data-child.ts) gets the options over an IPC channel and sends back log lines, progress and the
 * result or the error (code, message, data), which this side turns back into the same VitrineError.
 */

/** What the stage keeps of a catalogue data build: its file and counts, not the catalogue itself. */
export interface CatalogueDataSummary {
  file: string;
  counts: Catalogue['counts'];
  models: number;
  /** The process that built it and its peak resident memory, bytes. */
  pid: number;
  peakRss: number;
}

/** Options the parent sends the child (plain data: the clock's time goes as a string). */
export interface DataBuildRequest {
  ws: Workspace;
  params: Params;
  now: string;
}

/** Messages from the child. */
export type DataBuildMessage =
  | { kind: 'ready' }
  | { kind: 'log'; level: 'info' | 'warn' | 'error' | 'debug'; message: string; where?: Where }
  | { kind: 'progress'; id: number; label: string; total: number }
  | { kind: 'tick'; id: number; n: number }
  | { kind: 'done'; id: number }
  | { kind: 'result'; summary: CatalogueDataSummary }
  | { kind: 'failed'; error: { name: string; code?: string; message: string; data?: unknown; stack?: string } };

/** The child's entry file, next to this one in the sources. */
export const DATA_CHILD = path.join(import.meta.dirname, 'data-child.ts');

/** The summary of a build made in this process (tests, library use, and where no child can start). */
export function summaryOf({ file, catalogue }: { file: string; catalogue: Catalogue }): CatalogueDataSummary {
  return {
    file,
    counts: catalogue.counts,
    models: catalogue.models.length,
    pid: process.pid,
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * `buildCatalogueData` in a child process that exits when done, so its memory is returned before
 * the site builds. Log lines and progress go through `log`; a failure arrives as the VitrineError
 * the child threw (same code, message and data).
 */
export async function buildCatalogueDataApart({
  ws,
  params,
  log,
  clock = systemClock,
  entry = DATA_CHILD,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  clock?: Clock;
  /** The child's entry file (tests point it elsewhere). */
  entry?: string;
}): Promise<CatalogueDataSummary> {
  // Bundled into an action's dist/index.mjs, this module has no data-child.ts beside it (and a bundle
  // cannot start one of its own parts as a process): build in this process then, as before.
  if (!(await stat(entry).catch(() => null))) {
    log.debug(`Catalogue data: built in this process (${entry} is not there, as in a bundled action)`);
    return summaryOf(await buildCatalogueData({ ws, params, log, clock }));
  }
  // Node 24 runs the TypeScript entry as it is (type stripping), as runAstro's child runs plan.ts.
  const child = spawn(process.execPath, [entry], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  log.debug(`Catalogue data: building in a separate process (pid ${child.pid})`);
  const request: DataBuildRequest = { ws, params, now: clock.now().toISOString() };
  const progress = new Map<number, Progress>();
  let result: CatalogueDataSummary | null = null;
  let failure: Extract<DataBuildMessage, { kind: 'failed' }>['error'] | null = null;
  child.on('message', (m: DataBuildMessage) => {
    // The request goes once the child listens: a message that comes while it still loads its modules is lost.
    if (m.kind === 'ready') child.send(request);
    else if (m.kind === 'log') log[m.level](m.message, m.where);
    else if (m.kind === 'progress') progress.set(m.id, log.progress(m.label, m.total));
    else if (m.kind === 'tick') progress.get(m.id)?.tick(m.n);
    else if (m.kind === 'done') progress.get(m.id)?.done();
    else if (m.kind === 'result') result = m.summary;
    else if (m.kind === 'failed') failure = m.error;
  });
  // Nothing in the data step prints; whatever a library writes is kept for the log and a crash's message.
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  for (const line of output.split('\n')) if (line.trim()) log.debug(`catalogue data: ${line}`);
  if (failure) throw rebuilt(failure);
  if (code !== 0 || !result) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    throw new VitrineError(
      'CATALOGUE_DATA_FAILED',
      `The catalogue data step stopped before it finished (${signal ? `signal ${signal}` : `exit code ${code}`})` +
        `${tail ? `:\n${tail}` : ''}`,
      { code, signal },
    );
  }
  const summary: CatalogueDataSummary = result;
  log.debug(`Catalogue data: built in process ${summary.pid}, peak ${(summary.peakRss / 1024 ** 2).toFixed(0)} MB`);
  return summary;
}

/** The child's error as thrown there: a VitrineError keeps its code and data; anything else its message. */
function rebuilt(e: NonNullable<Extract<DataBuildMessage, { kind: 'failed' }>['error']>): Error {
  const error =
    e.code !== undefined
      ? new VitrineError(e.code, e.message, (e.data ?? {}) as Record<string, unknown>)
      : Object.assign(new Error(e.message), { name: e.name });
  if (e.stack) error.stack = e.stack;
  return error;
}
