import path from 'node:path';
import type { Clock, Logger } from '../log.ts';
import { systemClock } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { entryThere, runApart } from './apart.ts';
import { buildCatalogueData } from './data.ts';
import type { Catalogue } from './schema.ts';

/*
 * The catalogue data step in a process of its own (apart.ts). At 100,000 objects building the
 * catalogue takes gigabytes, and a Node process does not give its heap back to the system: the
 * stage's own process would keep them while Astro and Pagefind run. A child that exits returns them
 * all. The child (data-child.ts) sends back log lines, progress and the summary or the error.
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
  if (!(await entryThere(entry))) {
    log.debug(`Catalogue data: built in this process (${entry} is not there, as in a bundled action)`);
    return summaryOf(await buildCatalogueData({ ws, params, log, clock }));
  }
  const summary = await runApart<DataBuildRequest, CatalogueDataSummary>({
    entry,
    request: { ws, params, now: clock.now().toISOString() },
    log,
    what: 'The catalogue data step',
    code: 'CATALOGUE_DATA_FAILED',
  });
  log.debug(`Catalogue data: built in process ${summary.pid}, peak ${(summary.peakRss / 1024 ** 2).toFixed(0)} MB`);
  return summary;
}
