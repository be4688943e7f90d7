import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { startImport } from '../../pipeline/collection/import-marker.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Reviewer, 2026-12-03: the next import "put back" what an interrupted one had changed without looking at the
 * files first. (1) labels.csv edited after the kill (after "git checkout labels.csv", as the import's own failure
 * message suggests) was replaced by the old copy, and an image was deleted, while the warning said the files
 * "were put back as they were before it". (2) A backup whose folder had been deleted since made every import exit
 * 70, and `vitrine run` refuse for ever. The journal now records what each placed file holds (size, md5); a file
 * is put back or taken away only while it is still the one the import placed, and an entry that cannot be put
 * back is kept aside, named, and the recovery completes.
 * Real files in temp folders: the marker and journal a killed import leaves, then the next import's start.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const TEMP = '.vitrine/tmp/import-999-deadbeef';
const OLD_LABELS = 'id,label\nA1,coin\n';
const NEW_LABELS = 'id,label\nA1,coin\nA2,mask\n';
const NEW_IMAGE = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9]);

type FileIdentity = { size: number; md5: string };

function identity(bytes: string | Buffer): FileIdentity {
  return { size: Buffer.byteLength(bytes), md5: createHash('md5').update(bytes).digest('hex') };
}

/** A repository as a killed import leaves it: the marker, the journal, the backups, and the files it placed. */
async function killedImport(
  entries: { from: string; to: string; backup?: string; placed?: FileIdentity; replaced?: FileIdentity }[],
  backups: Record<string, string | Buffer>,
  /** What each table holds once the import is done, those it does not change too. */
  tables?: { to: string; placed: FileIdentity }[],
) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-recover-'));
  dirs.push(root);
  await mkdir(path.join(root, TEMP), { recursive: true });
  await writeFile(
    path.join(root, '.vitrine', 'import-unfinished.json'),
    JSON.stringify({
      started: '2026-12-03T03:12:00.000Z',
      pid: 999,
      temp: TEMP,
      phase: 'writing',
      command: 'npx vitrine import',
    }),
  );
  await writeFile(path.join(root, TEMP, 'journal.json'), JSON.stringify({ entries, ...(tables ? { tables } : {}) }));
  for (const [name, bytes] of Object.entries(backups)) await writeFile(path.join(root, TEMP, name), bytes);
  return root;
}

async function nextImport(root: string) {
  const log = memoryLogger();
  const session = await startImport({ ws: workspace(root), log });
  await session.finish();
  return log.lines.map((l) => l.message).join('\n');
}

async function recovered(root: string): Promise<string[]> {
  const base = path.join(root, '.vitrine', 'import-recovered');
  return (await readdir(base, { recursive: true }).catch(() => [] as string[]))
    .map((p) => String(p).split(path.sep).join('/'))
    .sort();
}

describe('the next import puts back only what the interrupted one placed', () => {
  it('an old journal (no identities): a labels.csv edited since stays, its old copy is kept aside, named', async () => {
    const root = await killedImport(
      [
        { from: 'new.jpg', to: 'data/images/new.jpg' },
        { from: 'labels.csv', to: 'labels.csv', backup: 'was-1' },
      ],
      { 'was-1': OLD_LABELS },
    );
    await mkdir(path.join(root, 'data', 'images'), { recursive: true });
    await writeFile(path.join(root, 'data', 'images', 'new.jpg'), NEW_IMAGE);
    // Staff, after the kill: "git checkout labels.csv", then a label of their own.
    await writeFile(path.join(root, 'labels.csv'), 'id,label\nA1,coin\nA3,bowl\n');

    const said = await nextImport(root);
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe('id,label\nA1,coin\nA3,bowl\n');
    expect(existsSync(path.join(root, 'data', 'images', 'new.jpg'))).toBe(true);
    expect(said).not.toContain('were put back as they were before it');
    expect(said).toContain('labels.csv');
    expect(said).toContain('data/images/new.jpg');
    expect(said).toMatch(/Left as (it is|they are), because changed after the import was interrupted/);
    const kept = await recovered(root);
    const old = kept.find((p) => p.endsWith('/labels.csv') && !p.includes('/edited/'));
    expect(old, kept.join(', ')).toBeDefined();
    expect(await readFile(path.join(root, '.vitrine', 'import-recovered', old!), 'utf8')).toBe(OLD_LABELS);
    expect(said).toContain(`.vitrine/import-recovered/${old!.split('/')[0]}/`);
    expect(existsSync(path.join(root, '.vitrine', 'import-unfinished.json'))).toBe(false);
    expect(existsSync(path.join(root, TEMP))).toBe(false);
  });

  it('a journal with identities: files still as the import placed them are put back and taken away', async () => {
    const root = await killedImport(
      [
        { from: 'new.jpg', to: 'data/images/new.jpg', placed: identity(NEW_IMAGE) },
        { from: 'labels.csv', to: 'labels.csv', backup: 'was-1', placed: identity(NEW_LABELS) },
      ],
      { 'was-1': OLD_LABELS },
    );
    await mkdir(path.join(root, 'data', 'images'), { recursive: true });
    await writeFile(path.join(root, 'data', 'images', 'new.jpg'), NEW_IMAGE);
    await writeFile(path.join(root, 'labels.csv'), NEW_LABELS);

    const said = await nextImport(root);
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe(OLD_LABELS);
    expect(existsSync(path.join(root, 'data', 'images', 'new.jpg'))).toBe(false);
    // labels.csv existed before: put back; the image did not (the import had added it): removed, and said so.
    expect(said).toContain(
      'It had begun to put its files in place: labels.csv was put back as it was before it. ' +
        'The file it had added was removed: data/images/new.jpg.',
    );
    expect(await recovered(root)).toEqual([]);
  });

  it('a journal with identities: labels.csv edited since stays, an image changed since stays, both named', async () => {
    const root = await killedImport(
      [
        { from: 'new.jpg', to: 'data/images/new.jpg', placed: identity(NEW_IMAGE) },
        { from: 'labels.csv', to: 'labels.csv', backup: 'was-1', placed: identity(NEW_LABELS) },
      ],
      { 'was-1': OLD_LABELS },
    );
    await mkdir(path.join(root, 'data', 'images'), { recursive: true });
    await writeFile(path.join(root, 'data', 'images', 'new.jpg'), Buffer.from('another photograph'));
    await writeFile(path.join(root, 'labels.csv'), 'id,label\nA1,coin\nA2,bowl\n');

    const said = await nextImport(root);
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe('id,label\nA1,coin\nA2,bowl\n');
    expect(await readFile(path.join(root, 'data', 'images', 'new.jpg'), 'utf8')).toBe('another photograph');
    expect(said).toContain('labels.csv');
    expect(said).toContain('data/images/new.jpg');
    expect(said).not.toContain('were put back as they were before it');
    const kept = await recovered(root);
    // What it held before the import, and (changed since) a copy of it as it is now.
    expect(kept.filter((p) => p.endsWith('labels.csv'))).toHaveLength(2);
    expect(kept.some((p) => p.endsWith('new.jpg'))).toBe(false);
  });

  it('a file the import had moved aside, its place empty: put back', async () => {
    const root = await killedImport(
      [{ from: 'labels.csv', to: 'labels.csv', backup: 'was-0', placed: identity(NEW_LABELS) }],
      {
        'was-0': OLD_LABELS,
        'labels.csv': NEW_LABELS,
      },
    );
    const said = await nextImport(root);
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe(OLD_LABELS);
    expect(said).toContain('It had begun to put its files in place: labels.csv was put back as it was before it');
  });
});

describe('an entry that cannot be put back does not stop every import after it', () => {
  it('a backup whose folder was deleted since: kept aside, named, and the recovery completes', async () => {
    const root = await killedImport(
      [
        { from: '0', to: 'data/images/egypt/x.jpg', backup: 'was-0', placed: identity(NEW_IMAGE) },
        { from: 'labels.csv', to: 'labels.csv', backup: 'was-1', placed: identity(NEW_LABELS) },
      ],
      { 'was-0': 'old photograph', 'was-1': OLD_LABELS },
    );
    // Killed after moving x.jpg aside; the egypt folder deleted afterwards.
    await writeFile(path.join(root, 'labels.csv'), NEW_LABELS);

    const said = await nextImport(root);
    expect(said).toContain('data/images/egypt/x.jpg');
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe(OLD_LABELS);
    expect(existsSync(path.join(root, 'data', 'images', 'egypt'))).toBe(false);
    const kept = await recovered(root);
    const x = kept.find((p) => p.endsWith('data/images/egypt/x.jpg'));
    expect(x, kept.join(', ')).toBeDefined();
    expect(await readFile(path.join(root, '.vitrine', 'import-recovered', x!), 'utf8')).toBe('old photograph');
    expect(said).toContain(`.vitrine/import-recovered/${x}`);
    expect(existsSync(path.join(root, '.vitrine', 'import-unfinished.json'))).toBe(false);
    expect(existsSync(path.join(root, TEMP))).toBe(false);
    // And the import after it has nothing to recover.
    expect(await nextImport(root)).not.toContain('interrupted');
  });

  it('an unexpected failure: a typed error naming the note to delete and where the files are kept', async () => {
    const root = await killedImport(
      [{ from: 'labels.csv', to: 'labels.csv', backup: 'was-0', placed: identity(NEW_LABELS) }],
      {
        'was-0': OLD_LABELS,
      },
    );
    // Where the kept copies would go is a file: nothing can be kept aside there, nor labels.csv put back (a folder).
    await mkdir(path.join(root, 'labels.csv'));
    await writeFile(path.join(root, '.vitrine', 'import-recovered'), 'in the way');
    const error = await startImport({ ws: workspace(root), log: memoryLogger() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'VitrineError', code: 'IMPORT_RECOVERY_FAILED' });
    const message = (error as Error).message;
    expect(message).toContain('.vitrine/import-unfinished.json');
    expect(message).toContain(TEMP);
    // Nothing lost: the backup is where the message says.
    expect(await readFile(path.join(root, TEMP, 'was-0'), 'utf8')).toBe(OLD_LABELS);
  });
});

/*
 * Outside tester, 2026-12-03: (1) re-running an interrupted `--labels replace` import took every label from the
 * export again, so labels.csv edited by staff after the kill was overwritten and kept nowhere (the copy kept aside
 * was the file from before the import), and the advice "git checkout labels.csv undoes it" went to the committed
 * file, not to the edit. (2) The warning said "the 2 files it had changed ... were put back" and then "Left as it
 * is" without naming the files put back. Now labels.csv or data/objects.csv changed since (neither what the
 * stopped import placed nor what was there before it) is also copied aside, named with its path, and every
 * sentence of the warning names its files.
 */
const EDITED_LABELS = 'object_id,label\nA1,bowl\nA3,vase\n';

describe('a table edited after the kill is kept aside before the next import can change it', () => {
  it('labels.csv the import had placed, edited since: stays, and a copy of the edit is kept, named with its path', async () => {
    const root = await killedImport(
      [{ from: 'labels.csv', to: 'labels.csv', backup: 'was-0', placed: identity(NEW_LABELS) }],
      { 'was-0': OLD_LABELS },
    );
    await writeFile(path.join(root, 'labels.csv'), EDITED_LABELS);

    const said = await nextImport(root);
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe(EDITED_LABELS);
    const kept = await recovered(root);
    const edit = kept.find((p) => p.endsWith('/edited/labels.csv'));
    expect(edit, kept.join(', ')).toBeDefined();
    expect(await readFile(path.join(root, '.vitrine', 'import-recovered', edit!), 'utf8')).toBe(EDITED_LABELS);
    expect(said).toContain(`.vitrine/import-recovered/${edit}`);
    // The file from before the import is kept too, apart from the edit.
    const old = kept.find((p) => p.endsWith('labels.csv') && !p.includes('/edited/'));
    expect(await readFile(path.join(root, '.vitrine', 'import-recovered', old!), 'utf8')).toBe(OLD_LABELS);
    // No temp file of the copy is left.
    expect(kept.filter((p) => p.endsWith('.tmp'))).toEqual([]);
  });

  it('killed before it placed labels.csv, edited since: a copy of the edit is kept; unedited, nothing is', async () => {
    const entries = [
      { from: 'new.jpg', to: 'data/images/new.jpg', placed: identity(NEW_IMAGE) },
      // Not yet moved aside: was-1 does not exist, the staged copy is still in the temp folder.
      {
        from: 'labels.csv',
        to: 'labels.csv',
        backup: 'was-1',
        placed: identity(NEW_LABELS),
        replaced: identity(OLD_LABELS),
      },
    ];
    const edited = await killedImport(entries, { 'labels.csv': NEW_LABELS });
    await writeFile(path.join(edited, 'labels.csv'), EDITED_LABELS);
    const said = await nextImport(edited);
    expect(await readFile(path.join(edited, 'labels.csv'), 'utf8')).toBe(EDITED_LABELS);
    const edit = (await recovered(edited)).find((p) => p.endsWith('/edited/labels.csv'));
    expect(edit).toBeDefined();
    expect(await readFile(path.join(edited, '.vitrine', 'import-recovered', edit!), 'utf8')).toBe(EDITED_LABELS);
    expect(said).toContain(`.vitrine/import-recovered/${edit}`);

    const untouched = await killedImport(entries, { 'labels.csv': NEW_LABELS });
    await writeFile(path.join(untouched, 'labels.csv'), OLD_LABELS);
    const quiet = await nextImport(untouched);
    expect(await recovered(untouched)).toEqual([]);
    expect(quiet).not.toContain('labels.csv as it is now');
  });

  it('labels.csv the import did not change (the same labels), edited since: a copy of the edit is kept', async () => {
    const journal = [{ from: 'new.jpg', to: 'data/images/new.jpg', placed: identity(NEW_IMAGE) }];
    const tables = [{ to: 'labels.csv', placed: identity(OLD_LABELS) }];
    const edited = await killedImport(journal, { 'new.jpg': NEW_IMAGE }, tables);
    await writeFile(path.join(edited, 'labels.csv'), EDITED_LABELS);
    const said = await nextImport(edited);
    const edit = (await recovered(edited)).find((p) => p.endsWith('/edited/labels.csv'));
    expect(edit).toBeDefined();
    expect(await readFile(path.join(edited, '.vitrine', 'import-recovered', edit!), 'utf8')).toBe(EDITED_LABELS);
    expect(said).toContain(`.vitrine/import-recovered/${edit}`);

    const same = await killedImport(journal, { 'new.jpg': NEW_IMAGE }, tables);
    await writeFile(path.join(same, 'labels.csv'), OLD_LABELS);
    await nextImport(same);
    expect(await recovered(same)).toEqual([]);
  });

  it('an interrupted --labels replace run again: the edit made since is kept, and the warning says where', async () => {
    const root = await killedImport(
      [{ from: 'labels.csv', to: 'labels.csv', backup: 'was-0', placed: identity(NEW_LABELS) }],
      { 'was-0': OLD_LABELS },
    );
    await mkdir(path.join(root, 'export'), { recursive: true });
    await writeFile(path.join(root, 'export', 'objects.csv'), 'id,image,label\nA1,a1.jpg,coin\nA2,a2.jpg,mask\n');
    await writeFile(path.join(root, 'export', 'a1.jpg'), NEW_IMAGE);
    await writeFile(path.join(root, 'export', 'a2.jpg'), Buffer.concat([NEW_IMAGE, Buffer.from([1])]));
    await writeFile(path.join(root, 'labels.csv'), EDITED_LABELS);

    const log = memoryLogger();
    await importCollection({
      ws: workspace(root),
      params: defaultParams(),
      metadata: path.join(root, 'export', 'objects.csv'),
      labels: 'replace',
      log,
    });
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe('object_id,label\nA1,coin\nA2,mask\n');
    const edit = (await recovered(root)).find((p) => p.endsWith('/edited/labels.csv'));
    expect(edit).toBeDefined();
    expect(await readFile(path.join(root, '.vitrine', 'import-recovered', edit!), 'utf8')).toBe(EDITED_LABELS);
    const replaced = log.lines.find((l) => l.message.startsWith('--labels replace'))?.message ?? '';
    expect(replaced).toContain(`.vitrine/import-recovered/${edit}`);
    expect(replaced).not.toContain('git checkout labels.csv undoes it');
  });
});

/*
 * Outside tester, 2026-12-03: "data/images/a.jpg ... were put back as they were before it" also named images the
 * killed import had added, which recovery in fact removes. Now files that were there before are "put back", and
 * files it had added are said to be "removed", each list named (the first five, and how many more).
 */
describe('every sentence of the recovery warning names its files', () => {
  it('files put back, taken away and left as they are: each named where it is spoken of', async () => {
    const root = await killedImport(
      [
        { from: '0', to: 'data/images/a.jpg', placed: identity(NEW_IMAGE) },
        { from: '1', to: 'data/images/b.jpg', backup: 'was-1', placed: identity(NEW_IMAGE) },
        { from: 'labels.csv', to: 'labels.csv', backup: 'was-2', placed: identity(NEW_LABELS) },
      ],
      { 'was-1': 'old photograph', 'was-2': OLD_LABELS },
    );
    await mkdir(path.join(root, 'data', 'images'), { recursive: true });
    await writeFile(path.join(root, 'data', 'images', 'a.jpg'), NEW_IMAGE);
    await writeFile(path.join(root, 'data', 'images', 'b.jpg'), NEW_IMAGE);
    await writeFile(path.join(root, 'labels.csv'), EDITED_LABELS);

    const said = await nextImport(root);
    expect(existsSync(path.join(root, 'data', 'images', 'a.jpg'))).toBe(false);
    expect(await readFile(path.join(root, 'data', 'images', 'b.jpg'), 'utf8')).toBe('old photograph');
    const sentences = said
      .split('\n')[0]!
      .replace(/^An import was interrupted on .*? \(process 999 stopped before it finished\)\. /, '')
      .replace(/ This import starts again from the export\.$/, '')
      .split(/(?<=\.) (?=[A-Z])/);
    expect(sentences.length).toBeGreaterThan(2);
    for (const sentence of sentences) expect(sentence).toMatch(/data\/images\/[ab]\.jpg|labels\.csv/);
    // b.jpg existed before the import: put back. a.jpg it had added: removed, not "put back".
    const back = sentences.find((s) => s.includes('put back'))!;
    expect(back).toContain('data/images/b.jpg');
    expect(back).not.toContain('data/images/a.jpg');
    expect(back).not.toContain('labels.csv');
    const removed = sentences.find((s) => s.includes('removed'))!;
    expect(removed).toBe('The file it had added was removed: data/images/a.jpg.');
  });

  it('many files: the first few, and how many more', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => ({
      from: String(i),
      to: `data/images/obj-${String(i).padStart(2, '0')}.jpg`,
      placed: identity(NEW_IMAGE),
    }));
    const root = await killedImport(entries, {});
    await mkdir(path.join(root, 'data', 'images'), { recursive: true });
    for (const e of entries) await writeFile(path.join(root, e.to), NEW_IMAGE);
    const said = await nextImport(root);
    // Images the import had added, none of them there before it: removed, the first five named, and how many more.
    expect(said).toContain(
      'It had begun to put its files in place: data/images/obj-00.jpg, data/images/obj-01.jpg, data/images/obj-02.jpg, ' +
        'data/images/obj-03.jpg, data/images/obj-04.jpg and 7 more, which it had added, were removed.',
    );
    expect(said).not.toContain('put back');
  });
});

describe('interrupted after it had written everything (only data.dvc may lag)', () => {
  async function writtenImport(labels: string) {
    const root = await killedImport([], {});
    await writeFile(
      path.join(root, '.vitrine', 'import-unfinished.json'),
      JSON.stringify({
        started: '2026-12-03T03:12:00.000Z',
        pid: 999,
        temp: TEMP,
        phase: 'written',
        command: 'npx vitrine import --labels replace',
        tables: [{ to: 'labels.csv', placed: identity(NEW_LABELS) }],
      }),
    );
    await writeFile(path.join(root, 'labels.csv'), labels);
    return root;
  }

  it('the marker of an import that has written everything says what its tables hold', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-written-'));
    dirs.push(root);
    const session = await startImport({ ws: workspace(root), log: memoryLogger() });
    await session.begin();
    const tables = [{ to: 'labels.csv', placed: identity(NEW_LABELS) }];
    await session.journal({ entries: [], tables });
    await session.written();
    const marker = JSON.parse(await readFile(path.join(root, '.vitrine', 'import-unfinished.json'), 'utf8'));
    expect(marker).toMatchObject({ phase: 'written', tables });
    session.keep();
    await session.finish();
  });

  it('labels.csv changed since it wrote it: a copy is kept, named; unchanged, nothing is', async () => {
    const edited = await writtenImport(EDITED_LABELS);
    const said = await nextImport(edited);
    const edit = (await recovered(edited)).find((p) => p.endsWith('/edited/labels.csv'));
    expect(edit).toBeDefined();
    expect(await readFile(path.join(edited, '.vitrine', 'import-recovered', edit!), 'utf8')).toBe(EDITED_LABELS);
    expect(await readFile(path.join(edited, 'labels.csv'), 'utf8')).toBe(EDITED_LABELS);
    expect(said).toContain('It had written data/ and labels.csv, but may not have recorded them in data.dvc yet.');
    expect(said).toContain(`.vitrine/import-recovered/${edit}`);

    const same = await writtenImport(NEW_LABELS);
    await nextImport(same);
    expect(await recovered(same)).toEqual([]);
  });
});
