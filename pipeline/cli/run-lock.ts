import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { holdBuildLock } from '../catalogue/site.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';

/** The run lock's file in `.vitrine/`: it holds the holder's process id and machine, one a line. */
export const RUN_LOCK = 'run.lock';

/**
 * Hold the repository's run lock while stages run: two runs at once (two terminals, two jobs on one
 * runner) would write the same outputs and `.vitrine/lock.json`. A second run waits, saying which run
 * holds the lock; a lock whose process has ended on this machine is taken over at once. The lock is
 * the catalogue build's (holdBuildLock), so there is one lock helper. `wait` defaults to a timer.
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
  let told = false;
  return holdBuildLock({
    file,
    // Its own waiting line speaks of a catalogue build: the line below names the run instead.
    log: {
      info: (message) => log.debug(message),
      warn: (message, where) => log.warn(message, where),
      error: (message, where) => log.error(message, where),
      debug: (message) => log.debug(message),
      progress: (label, total) => log.progress(label, total),
    },
    wait: async (ms) => {
      if (!told) log.info(await holderLine({ file, root: ws.root }));
      told = true;
      await wait(ms);
    },
  });
}

/** Which run holds the lock `file`, in plain words. */
async function holderLine({ file, root }: { file: string; root: string }): Promise<string> {
  const [text, info] = await Promise.all([readFile(file, 'utf8').catch(() => ''), stat(file).catch(() => null)]);
  const [pid, host] = text.split('\n');
  const elsewhere = Boolean(host) && host !== os.hostname();
  const who = pid ? `process ${pid} ${elsewhere ? `on the machine ${host}` : 'on this machine'}` : 'another process';
  const since = info ? `, since ${info.mtime.toISOString().slice(11, 19)} UTC` : '';
  const stale = elsewhere
    ? 'a lock from another machine is taken over once it is 30 minutes old'
    : 'should that process end without removing it, this run takes the lock over';
  return (
    `Another Vitrine run (${who}${since}) is running stages in this repository: this one waits for it to ` +
    `finish. (It holds ${path.relative(root, file)}; ${stale}.)`
  );
}
