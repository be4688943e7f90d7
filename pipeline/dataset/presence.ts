import { access } from 'node:fs/promises';
import path from 'node:path';
import { recordedPresence } from '../data/presence.ts';
import { holdsDemoLabels } from '../demo/guard.ts';
import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import { sameNameKey } from './image-names.ts';
import { linkOnTheWay } from './links.ts';
import { readObjectsChecked } from './validate.ts';

/*
 * Before reading the collection: does data/ hold what data.dvc records? A folder that was never pulled,
 * or only half pulled, would otherwise show up as one "image missing" line per object, and those objects
 * would silently leave the model and the public catalogue. Said once, with the fix; the stage stops.
 */

const EXAMPLES = 3;

export async function checkDataPresent({ ws, log }: { ws: Workspace; log: Logger }): Promise<void> {
  const p = await recordedPresence({ root: ws.root, log });
  if (!p) return; // data/ is not versioned: nothing to compare with.
  const recorded = p.nfiles !== undefined ? `${p.nfiles} files` : 'its files';
  if (!p.folder) {
    throw new VitrineError(
      'DATA_NOT_PULLED',
      `data/ is not on this machine, but data.dvc records it (${recorded}). ` +
        ((await holdsDemoLabels({ ws }))
          ? 'This is Vitrine\'s demo collection, whose photographs are made on each machine: run "npm run demo" ' +
            '(or "npx vitrine demo") to make them, or "npx vitrine data pull" if they were pushed to a shared remote.'
          : 'Run "npx vitrine data pull" to fetch it, then run again.'),
      { file: 'data.dvc' },
    );
  }
  const objectsThere = await access(ws.objects).then(
    () => true,
    () => false,
  );
  if (!objectsThere) {
    throw new VitrineError(
      'DATA_NOT_PULLED',
      `data/objects.csv is not there, and data/ holds ${p.present} of the ${recorded} data.dvc records. ` +
        'Run "npx vitrine data pull" to fetch them, then run again.',
      { file: 'data.dvc' },
    );
  }
  if (p.missing === null) {
    if (p.nfiles !== undefined && p.present < p.nfiles) {
      log.warn(
        `data/ holds ${p.present} files but data.dvc records ${p.nfiles}, and the recorded file list is not in ` +
          'the local cache, so Vitrine cannot tell which are missing: run "npx vitrine data pull".',
        { file: 'data.dvc' },
      );
    }
    return;
  }
  if (p.missing.length === 0) return;
  // Only files the collection uses matter: a re-import removes the images of objects that left the export
  // from data/ before anyone runs "data add", and pulling them back would be the wrong advice.
  // Compared in one Unicode form: the table may spell "Café" composed and data.dvc record the Mac's decomposed name
  // (the dataset reads one as the other, image-names.ts).
  const needed = new Set(['objects.csv']);
  const { objects } = await readObjectsChecked({ file: ws.objects, name: 'data/objects.csv' });
  const objectOf = new Map<string, string>();
  for (const o of objects) {
    if (!o.image) continue;
    const relpath = sameNameKey(path.posix.normalize(o.image.split('\\').join('/')));
    needed.add(relpath);
    if (!objectOf.has(relpath)) objectOf.set(relpath, o.id);
  }
  const isNeeded = (f: string) => needed.has(sameNameKey(f));
  const objectOfFile = (f: string) => objectOf.get(sameNameKey(f));
  const missing = p.missing.filter(isNeeded);
  const notFetched = new Set(p.notFetched ?? []);
  // Files no object uses, never fetched (a pull cut short): the dataset is whole, but data/ is not what data.dvc says.
  const unused = p.missing.filter((f) => !isNeeded(f) && notFetched.has(f));
  if (unused.length > 0) {
    const one = unused.length === 1;
    log.warn(
      `${unused.length} file${one ? '' : 's'} that data.dvc records ${one ? 'was' : 'were'} never fetched to this machine ` +
        `(${unused
          .slice(0, EXAMPLES)
          .map((f) => `data/${f}`)
          .join(', ')}${unused.length > EXAMPLES ? ', …' : ''}); ` +
        `no object in data/objects.csv uses ${one ? 'it' : 'them'}, so the dataset is complete. ` +
        `Run "npx vitrine data pull" to fetch ${one ? 'it' : 'them'}.`,
      { file: 'data.dvc' },
    );
  }
  if (missing.length === 0) return;
  // Files in a linked folder are there, but not read (recordedPresence warned, naming the folder), and a link that
  // leads nowhere is no file: pulling would not help, putting the files themselves in place of the links would.
  const broken = new Set(p.brokenLinks);
  const linked = missing.filter((f) => broken.has(f) || p.linkedFolders.some((folder) => f.startsWith(`${folder}/`)));
  if (linked.length === missing.length) {
    const said = await Promise.all(
      linked.slice(0, EXAMPLES).map(async (f) => {
        const words = await linkOnTheWay({ dir: ws.data, root: ws.root, relpath: f });
        return `object "${objectOfFile(f) ?? f}": ${words?.said ?? `data/${f} is behind a link`}`;
      }),
    );
    const folders = linked.some((f) => !broken.has(f));
    throw new VitrineError(
      'DATA_INCOMPLETE',
      `${linked.length} of the ${recorded} data.dvc records, which objects in data/objects.csv use, ` +
        `${linked.length === 1 ? 'is' : 'are'} not missing but behind ${linked.length === 1 ? 'a link' : 'links'} ` +
        `Vitrine does not read through: ${said.join('; ')}${
          linked.length > EXAMPLES ? `; and ${linked.length - EXAMPLES} more` : ''
        }. Put the ${folders ? 'folders and images' : 'images'} themselves (files, not links) in data/ in place ` +
        'of the links, then run "npx vitrine data add" and run again.',
      { file: 'data.dvc', missing: missing.length, object: objectOfFile(linked[0]!), path: `data/${linked[0]}` },
    );
  }
  const examples = missing.slice(0, EXAMPLES).map((f) => `data/${f}`);
  // The last pull found their content missing on the remote: pulling again cannot help, a push can.
  const onRemote = new Set(p.missingOnRemote?.files ?? []);
  const lacked = missing.filter((f) => onRemote.has(f));
  const never = missing.filter((f) => notFetched.has(f) && !onRemote.has(f)).length;
  const remoteLacks =
    lacked.length > 0
      ? `; the last "npx vitrine data pull" found that the remote "${p.missingOnRemote!.remote}" does not have ` +
        (lacked.length === missing.length
          ? `${lacked.length === 1 ? 'it' : 'them'}`
          : `${lacked.length} of them (${lacked
              .slice(0, EXAMPLES)
              .map((f) => `data/${f}`)
              .join(', ')}${lacked.length > EXAMPLES ? ', …' : ''})`) +
        ', so pulling again cannot fetch ' +
        `${lacked.length === 1 ? 'it' : 'them'}`
      : '';
  const fix =
    (lacked.length > 0
      ? 'Ask whoever added those images (git log data.dvc shows who changed it) to run "npx vitrine data push" on the ' +
        'computer that has them, then run "npx vitrine data pull" and run again. '
      : 'Run "npx vitrine data pull" to fetch them, then run again. ') +
    'To leave them out on purpose, record data/ as it is with "npx vitrine data add --remove-missing", commit data.dvc ' +
    'and run again.';
  throw new VitrineError(
    'DATA_INCOMPLETE',
    `data/ lacks ${missing.length} of the ${recorded} data.dvc records, which objects in data/objects.csv use ` +
      `(${examples.join(', ')}` +
      `${missing.length > EXAMPLES ? ', …' : ''})` +
      remoteLacks +
      (never > 0
        ? `; ${never} ${lacked.length > 0 ? 'other' : 'of them'} ${never === 1 ? 'was' : 'were'} never fetched to ` +
          'this machine (a "npx vitrine data pull" cut short, or not run since data.dvc changed?)'
        : '') +
      '. The dataset stops here rather than leave those objects out of the model and the catalogue. ' +
      fix,
    { file: 'data.dvc', missing: missing.length },
  );
}
