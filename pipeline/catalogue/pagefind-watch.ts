import { readdirSync, readFileSync } from 'node:fs';
import { VitrineError } from '../errors.ts';

/*
 * Pagefind's Node API talks to a child process (`pagefind_extended --service`) but never notices it
 * exiting: a request pending when the child is killed (out of memory, say) never settles, and the site
 * build would wait for ever. While a request is pending, the child is looked for every second; when it
 * is gone, the request fails. Linux (/proc) only; elsewhere nothing is watched.
 */

/** The state letter and parent of a process, from /proc/<pid>/stat; null when there is no such process. */
function processStat(pid: number): { name: string; state: string; parent: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (name) state ppid …": the name may hold spaces and parentheses, so the fields follow the last ")".
  const close = stat.lastIndexOf(')');
  const [state = '', parent = ''] = stat.slice(close + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, close), state, parent: Number(parent) };
}

/** This process's running children whose name starts with "pagefind" (none where there is no /proc). */
export function pagefindChildren(parent = process.pid): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      const s = processStat(pid);
      return s !== null && s.parent === parent && s.name.startsWith('pagefind') && s.state !== 'Z';
    });
}

/** `work`, or SITE_INDEX_FAILED once none of the Pagefind processes `pids` runs any more. */
export async function whilePagefindRuns<T>({
  work,
  pids,
  everyMs = 1000,
}: {
  work: Promise<T>;
  pids: number[];
  everyMs?: number;
}): Promise<T> {
  if (pids.length === 0) return work;
  // A killed child is a zombie ("Z") until Node reaps it.
  const stopped = () => !pids.some((pid) => (processStat(pid)?.state ?? 'Z') !== 'Z');
  let timer: NodeJS.Timeout | undefined;
  const gone = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (stopped()) reject(stoppedError(pids));
    }, everyMs);
  });
  // A request sent as the child dies fails at once, in Pagefind's words ("Pagefind backend closed"): the same plain
  // words as when the watch notices first.
  const told = work.catch((error: unknown) => {
    throw stopped() ? stoppedError(pids) : error;
  });
  try {
    return await Promise.race([told, gone]);
  } finally {
    clearInterval(timer);
  }
}

function stoppedError(pids: number[]): VitrineError {
  return new VitrineError(
    'SITE_INDEX_FAILED',
    'Search index: the Pagefind process stopped in the middle of its work (it was killed, perhaps because ' +
      'the machine ran out of memory). The site was left as it was: run the build again, and if it stops ' +
      'again, give the runner more memory or lower catalogue.search_part_pages.',
    { pids },
  );
}
