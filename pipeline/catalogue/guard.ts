import { Worker } from 'node:worker_threads';

/*
 * A child of the build must not outlive it: a build killed with SIGKILL leaves its children running
 * (nothing tells them), and one still writing the catalogue or updating the site after the build's
 * lock is gone would race the next build. Nor can the child notice by itself: it spends seconds in
 * synchronous loops (800,000 `stat` calls). A worker thread can: it watches the parent process id,
 * and once the child has been handed to another parent it kills the whole process.
 */

/**
 * Kill this process as soon as `parent` (the build's process id, passed by the build: a child that
 * starts after its build died already has another parent) is no longer its parent; checked every `everyMs`.
 */
export function dieWithParent({
  parent = process.ppid,
  everyMs = 200,
}: {
  parent?: number;
  everyMs?: number;
} = {}): void {
  const watch = new Worker(parentWatch({ parent, everyMs }), { eval: true });
  // The watch never keeps the child alive once its work is done.
  watch.unref();
}

/**
 * The source of the worker that `dieWithParent` starts (JavaScript). The Astro child starts it from its own script:
 * importing this file would be the only TypeScript that process loads, and Node loads its type stripper for it (about
 * 0.15 s of CPU a build without a compile cache).
 */
export function parentWatch({ parent, everyMs = 200 }: { parent: number; everyMs?: number }): string {
  return `const parent = ${Number(parent)};
    const check = () => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); };
    check();
    setInterval(check, ${Number(everyMs)});`;
}

/** The build's process id, as `runApart` passes it to a child (its first argument). */
export function buildPid(): number | undefined {
  const pid = Number(process.argv[2]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
