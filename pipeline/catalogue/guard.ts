import { Worker } from 'node:worker_threads';

/*
 * A child of the site build must not outlive it: a build killed with SIGKILL leaves its children
 * running (nothing tells them), and one still updating the site after the build's lock is gone would
 * race the next build. Nor can the child notice by itself: it spends seconds in synchronous loops
 * (800,000 `stat` calls). A worker thread can: it watches the parent process id, and once the child
 * has been handed to another parent it kills the whole process.
 */

/** Kill this process as soon as its parent is gone (it checks every `everyMs`). */
export function dieWithParent({ everyMs = 200 }: { everyMs?: number } = {}): void {
  const parent = process.ppid;
  const watch = new Worker(
    `const parent = ${parent};
    setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, ${everyMs});`,
    { eval: true },
  );
  // The watch never keeps the child alive once its work is done.
  watch.unref();
}
