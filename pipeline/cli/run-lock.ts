import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { holdLock } from '../lock.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';

/** The run lock's file in `.vitrine/`: it holds the holder's process id and machine, one a line. */
export const RUN_LOCK = 'run.lock';

/**
 * Hold the repository's run lock while stages run: two runs at once (two terminals, two jobs on one
 * runner) would write the same outputs and `.vitrine/lock.json`. A second run waits, saying which run
 * holds the lock; a lock whose process has ended on this machine is taken over at once (pipeline/lock.ts).
 * `wait` defaults to a timer.
 */
export async function holdRunLock({
  ws,
  log,
  wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
}: {
  ws: Workspace;
  log: Logger;
  wait?: (ms: number) => Promise<void>;
}): Promise<() => Promise<void>> {
  const file = path.join(ws.work, RUN_LOCK);
  return holdLock({
    file,
    what: 'a Vitrine run',
    log,
    waiting: () => holderLine({ file, root: ws.root }),
    wait,
  });
}

/** Which run holds the lock `file`, in plain words. */
async function holderLine({ file, root }: { file: string; root: string }): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const [pid, host, started] = text.split('\n');
  const elsewhere = Boolean(host) && host !== os.hostname();
  const who = pid ? `process ${pid} ${elsewhere ? `on the machine ${host}` : 'on this machine'}` : 'another process';
  const since = started && /^\d{4}-/.test(started) ? `, since ${started.slice(11, 19)} UTC` : '';
  const stale = elsewhere
    ? 'a run renews it every minute; one from another machine is taken over after 30 minutes without renewal'
    : 'should that process end without removing it, this run takes the lock over';
  return (
    `Another Vitrine run (${who}${since}) is running stages in this repository: this one waits for it to ` +
    `finish. (It holds ${path.relative(root, file)}; ${stale}.)`
  );
}
