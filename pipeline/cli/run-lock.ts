import path from 'node:path';
import { holdLock } from '../lock.ts';
import type { Logger, Whereabouts } from '../log.ts';
import type { Workspace } from '../paths.ts';

/** The run lock's file in `.vitrine/`: it names the holder's process, machine and start (pipeline/lock.ts). */
export const RUN_LOCK = 'run.lock';

/**
 * Hold the repository's run lock while stages run: two runs at once (two terminals, two jobs on one
 * runner) would write the same outputs and `.vitrine/lock.json`. A second run waits, saying which run
 * holds the lock and what to delete should it be gone; a lock whose process has ended on this machine is
 * taken over at once, and one held is removed on Ctrl-C (pipeline/lock.ts). `wait` defaults to a timer.
 */
export async function holdRunLock({
  ws,
  log,
  wait,
}: {
  ws: Workspace;
  log: Logger;
  wait?: (ms: number) => Promise<void>;
}): Promise<() => Promise<void>> {
  return holdLock({ file: path.join(ws.work, RUN_LOCK), what: 'a Vitrine run', log, root: ws.root, wait });
}

/**
 * Do `work` holding the run lock: a command that changes what a run reads (data/, labels.csv, data/objects.csv,
 * data.dvc: import, demo, init in a folder that exists, data add, data pull, data checkout) waits for a run as a
 * second run does, and a run started meanwhile waits for it. An import that rewrote data/ while a run read it left
 * the run's outputs made from neither collection.
 */
export async function underRunLock<T>({ ws, log }: { ws: Workspace; log: Logger }, work: () => Promise<T>): Promise<T> {
  const release = await holdRunLock({ ws, log });
  try {
    return await work();
  } finally {
    await release();
  }
}

/**
 * While a run goes on, say as soon as a Ctrl-C is heard that the run is stopping: otherwise the terminal
 * shows "^C" and nothing else until the process ends. pipeline/lock.ts's handler removes the lock and
 * ends the process; this one only speaks, and, left alone (no lock held yet, or released already), ends it
 * as the signal would have. `again`: the command stopped, as typed (`vitrine run catalogue --single`, `vitrine run
 * --shard 2/3`), which carries on from there; `kept`: what of its work is kept (default: the stages that finished).
 * Returns the function that stops listening.
 */
export function noticeCtrlC({
  log,
  again,
  kept = 'Stages that finished are kept',
}: {
  log: Logger;
  again: string;
  kept?: string;
}): () => void {
  const onInterrupt = () => {
    process.removeListener('SIGINT', onInterrupt);
    log.warn(`Stopping: Ctrl-C pressed. ${kept}; \`${again}\` carries on from there.`);
    if (process.listenerCount('SIGINT') === 0) process.kill(process.pid, 'SIGINT');
  };
  process.on('SIGINT', onInterrupt);
  return () => process.removeListener('SIGINT', onInterrupt);
}

/**
 * While a push, a pull or a publish goes on, say on Ctrl-C (or SIGTERM: a job cancelled, `kill`) that it was
 * stopped and how far it got (`where.now()`: what was sent, that it is kept, what to run again): otherwise it ends
 * without a word. Then it ends as the signal would have (a run lock's handler, when one is held, removes the lock
 * and ends it). Returns the function that stops listening.
 */
export function sayWhenStopped({ log, where }: { log: Logger; where: Whereabouts }): () => void {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const onStop = (signal: NodeJS.Signals) => {
    for (const s of signals) process.removeListener(s, onStop);
    const how = signal === 'SIGINT' ? 'Ctrl-C pressed' : `the process was told to stop (${signal})`;
    log.warn(`Stopped: ${how}. ${where.now?.() ?? 'It had not started yet: nothing was changed.'}`);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const s of signals) process.on(s, onStop);
  return () => {
    for (const s of signals) process.removeListener(s, onStop);
  };
}
