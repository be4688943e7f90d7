import { readFile } from 'node:fs/promises';
import { readCachedManifest } from '../data/cache.ts';
import { readDvcConfig } from '../data/config.ts';
import { readDvcFile } from '../data/dvcfile.ts';
import { refuseLinkedFile } from '../dataset/linked-file.ts';
import { VitrineError } from '../errors.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';

/*
 * The demo writes labels.csv, data/ and data.dvc, and then pushes to the data remote: in a museum's
 * repository that destroys real work. data/ is not in git (a fresh clone has none), so the guard judges
 * from what git does track: params.yaml's import settings, labels.csv and data.dvc.
 */

const DEMO_ID = /^DM-/;
const DEMO_FILE = /^(objects\.csv|images\/DM-[^/]+\.jpg)$/;
// What an operating system leaves in a folder someone opened (Finder, Explorer): not a collection's file.
const SYSTEM_FILE = /(^|\/)(\.[^/]*|Thumbs\.db|desktop\.ini)$/i;
const AWAY =
  'To try the demo, clone Vitrine into a new folder and run "npm run demo" there; ' +
  'in this repository use "vitrine data pull" to get the collection, then "vitrine run".';

function refuse(found: string, data: Record<string, unknown>): never {
  throw new VitrineError(
    'DEMO_REAL_COLLECTION',
    `This repository holds a real collection: ${found}. ` +
      `"vitrine demo" would overwrite its labels.csv, data/ and data.dvc, so it changed nothing. ${AWAY}`,
    data,
  );
}

/** The first cell of each data line of a CSV (enough to tell demo ids from others; quotes and a BOM removed). */
function firstCells(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .map((line) => (line.split(',')[0] ?? '').trim().replace(/^"(.*)"$/, '$1'))
    .filter((id) => id !== '');
}

/** Whether labels.csv holds the demo's objects only (and some): a fresh clone of Vitrine itself. */
export async function holdsDemoLabels({ ws }: { ws: Workspace }): Promise<boolean> {
  const ids = firstCells(await readFile(ws.labels, 'utf8').catch(() => ''));
  return ids.length > 0 && ids.every((id) => DEMO_ID.test(id));
}

/** Throw unless everything the demo would overwrite is the demo's own (or absent), labels.csv not a link. */
export async function refuseNonDemoRepository({ ws, params }: { ws: Workspace; params: Params }): Promise<void> {
  // Not read through a link: its first ids would be printed, and the demo would write over it.
  await refuseLinkedFile({ file: ws.labels, name: 'labels.csv' });
  const imported = params.import.metadata || params.import.images;
  if (imported) {
    refuse(
      `params.yaml has import settings (import.${params.import.metadata ? 'metadata' : 'images'}: "${imported}")`,
      {
        file: 'params.yaml',
      },
    );
  }
  for (const [file, name] of [
    [ws.labels, 'labels.csv'],
    [ws.objects, 'data/objects.csv'],
  ] as const) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const foreign = firstCells(text).filter((id) => !DEMO_ID.test(id));
    if (foreign.length > 0) {
      refuse(
        `${name} has ${foreign.length} object${foreign.length === 1 ? '' : 's'} not from the demo (e.g. "${foreign[0]}")`,
        { file: name, object: foreign[0] },
      );
    }
  }
  let dvc: Awaited<ReturnType<typeof readDvcFile>>;
  try {
    dvc = await readDvcFile({ file: ws.dataDvc });
  } catch {
    return; // No (readable) data.dvc: nothing recorded to lose.
  }
  const out = dvc.outs[0];
  if (!out?.md5) return;
  const { cacheDir } = await readDvcConfig({ root: ws.root });
  const manifest = await readCachedManifest({ cacheDir, md5: out.md5 }).catch(() => undefined);
  if (manifest) {
    const other = manifest.find((e) => !DEMO_FILE.test(e.relpath) && !SYSTEM_FILE.test(e.relpath));
    if (other)
      refuse(`data.dvc records files that are not the demo's (e.g. data/${other.relpath})`, { file: 'data.dvc' });
    return;
  }
  // data.dvc's file list is not on this machine: with no demo labels either, nothing says it is the demo's.
  const labels = await readFile(ws.labels, 'utf8').catch(() => '');
  if (firstCells(labels).length === 0) {
    throw new VitrineError(
      'DEMO_REAL_COLLECTION',
      `data.dvc records a data/ folder${out.nfiles ? ` of ${out.nfiles} files` : ''} that is not on this machine, ` +
        `so "vitrine demo" cannot tell whether it is the demo's and changed nothing. Run "vitrine data pull" to ` +
        `fetch it. ${AWAY}`,
      { file: 'data.dvc' },
    );
  }
}
