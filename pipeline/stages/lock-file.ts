import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import type { StageName } from './stage.ts';

/*
 * `.vitrine/lock.json`, the record of what each stage last ran on, and its reading: apart from the stage graph
 * (stages/graph.ts), so that a command that only reads it (`vitrine serve`, for the base path the site was built
 * for) does not load the graph's hashing and git code.
 */

export interface LockEntry {
  /** Hash of everything the stage read. */
  fingerprint: string;
  deps: {
    paths: Record<string, string>;
    params: Record<string, unknown>;
    stages: Record<string, string>;
    extra: unknown;
  };
  /** Content hash of each output path. */
  outs: Record<string, string>;
  ranAt: string;
  durationMs: number;
  summary: string;
}

/** `.vitrine/lock.json` */
export interface Lock {
  schema: 'vitrine.lock/1';
  stages: Partial<Record<StageName, LockEntry>>;
  /**
   * Stages whose run began and is not recorded yet, with when it began (ISO time): set before a stage runs, cleared
   * in the same write as its record. One left there was stopped (killed, the machine off) or failed part-way, so its
   * outputs may be half written: the next run says so rather than that someone changed them.
   */
  unfinished?: Partial<Record<StageName, string>>;
}

/**
 * Read the lock file; a missing one means nothing has run (with `log`, a damaged one is said). One this user may not
 * read is the machine's fault to mend, not a record to replace: its error goes to the CLI's boundary, which names it.
 */
export async function readLock({ file, log }: { file: string; log?: Logger }): Promise<Lock> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw error;
    // Missing (a first run, a fresh clone): nothing ran.
    return { schema: 'vitrine.lock/1', stages: {} };
  }
  try {
    const lock = JSON.parse(text) as Lock;
    if (lock.schema === 'vitrine.lock/1' && lock.stages) return lock;
  } catch {
    // Said below: a damaged lock only costs a rerun, but a run redoing everything unasked must say why.
  }
  log?.warn(
    `${path.basename(path.dirname(file))}/${path.basename(file)} (the record of what each stage last ran on) is ` +
      'damaged or not one Vitrine wrote: every stage runs again this time, and the record is written anew.',
  );
  return { schema: 'vitrine.lock/1', stages: {} };
}
