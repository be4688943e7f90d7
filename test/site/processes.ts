import { readdir, readFile } from 'node:fs/promises';

/*
 * A process's children, from Linux's /proc: `/proc/<pid>/task/<tid>/children` where the kernel has it;
 * where it does not (a kernel built without it, some sandboxes), every `/proc/<n>/stat` whose parent
 * id is `pid`. None elsewhere.
 */

/** The ids of the live child processes of `pid`. */
export async function childPids(pid: number): Promise<number[]> {
  return (await listedChildren(pid)) ?? (await parents()).get(pid) ?? [];
}

/** `pid`'s children, its children's children and so on (not `pid`), each before its own children. */
export async function descendantPids(pid: number): Promise<number[]> {
  let table: Map<number, number[]> | null = null;
  const out: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const p = pending.shift()!;
    let children = await listedChildren(p);
    if (children === null) {
      table ??= await parents();
      children = table.get(p) ?? [];
    }
    out.push(...children);
    pending.push(...children);
  }
  return out;
}

/** The children the kernel lists under `pid`'s tasks; null when it lists none of its tasks' children. */
async function listedChildren(pid: number): Promise<number[] | null> {
  let listed = false;
  const out: number[] = [];
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => null);
    if (children === null) continue;
    listed = true;
    for (const c of children.split(' ')) if (c.trim()) out.push(Number(c));
  }
  return listed ? out : null;
}

/** Every process's children by its parent's id, from each `/proc/<n>/stat`. */
async function parents(): Promise<Map<number, number[]>> {
  const table = new Map<number, number[]>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    // "pid (command) state ppid …": the command may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    table.set(ppid, [...(table.get(ppid) ?? []), Number(entry)]);
  }
  return table;
}
