import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stage, StageName } from '../../pipeline/stages/stage.ts';

/*
 * What the stage graph's tests share: stages shaped like the real ones (same deps and outs) whose work is
 * plain file copying, so each decision is visible, and the inputs they read.
 */

/** A stage that copies what it reads, and the params keys it reads, into its output; it notes itself in `runs`. */
export function copyStage({
  name,
  deps,
  read,
  runs,
}: {
  name: StageName;
  deps: Stage['deps'];
  /** Files (relative to the workspace) copied into the output; a missing one is copied as empty. */
  read: string[];
  runs: StageName[];
}): Stage {
  const out = `.vitrine/${name}`;
  return {
    name,
    summary: name,
    deps,
    outs: [out],
    async run(ctx) {
      runs.push(name);
      const parts: string[] = [];
      for (const p of read) parts.push(await readFile(path.join(ctx.ws.root, p), 'utf8').catch(() => ''));
      for (const key of deps.params)
        parts.push(
          JSON.stringify(key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], ctx.params)),
        );
      await mkdir(path.join(ctx.ws.root, out), { recursive: true });
      await writeFile(path.join(ctx.ws.root, out, 'out.txt'), parts.join('|'));
      return { summary: `${name} done` };
    },
  };
}

/** The inputs: data/ with two objects and an image, labels.csv, and site/. */
export async function writeInputs({ root }: { root: string }): Promise<void> {
  await mkdir(path.join(root, 'data', 'images'), { recursive: true });
  await writeFile(path.join(root, 'data', 'objects.csv'), 'id,title\nA,Bowl\nB,Coin\n');
  await writeFile(path.join(root, 'data', 'images', 'A.jpg'), 'image A');
  await writeFile(path.join(root, 'labels.csv'), 'object_id,label\nA,vessel\nB,coin\n');
  await mkdir(path.join(root, 'site'));
  await writeFile(path.join(root, 'site', 'index.astro'), '<h1/>');
}
