import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { labelsAsRead } from '../../pipeline/catalogue/labels-read.ts';
import { labelsTextAsRead } from '../../pipeline/dataset/labels-as-read.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The catalogue’s "Suggest a correction" lines come from the labels.csv the dataset stage read: the file, or HEAD’s
 * version when lock.json’s md5 is that of HEAD’s. HEAD’s version was decoded as text before it was hashed, and so
 * compared as something other than the bytes the stage read:
 *  - on Windows, git (core.autocrlf, Git for Windows’ default) writes the committed file with CRLF line endings: the
 *    stage read and hashed those bytes, and HEAD’s LF blob never matched, so an edit made while the run went on
 *    dropped every line, though HEAD’s lines are the ones read. Failed before the fix.
 *  - a HEAD version with a byte that is not UTF-8 (0xFF in a title) is never the file read (the dataset stage refuses
 *    such a file before lock.json records it): even with lock.json saying so (written here by hand) it is not taken,
 *    and the catalogue does not stop on it. It passed before the fix too (the decoded text never matched); compared
 *    by its bytes it now matches, and without the check that the bytes decode it failed with NOT_UTF8.
 */

const READ_LF = 'object_id,label,title\nO-1,Monnaie,Sou\nO-2,Céramique,Bol\n';
const EDITED = 'object_id,label,title\nO-0,Monnaie,Sou\nO-1,Monnaie,Sou\nO-2,Céramique,Bol\n';
const md5 = (bytes: string | Buffer) => createHash('md5').update(bytes).digest('hex');

async function repoWith({ committed, read }: { committed: Buffer; read: Buffer }) {
  const root = await tempDir('vitrine-labels-as-read-bytes-');
  const ws = workspace(root);
  await writeFile(ws.labels, committed);
  await git.init({ fs, dir: root });
  await git.add({ fs, dir: root, filepath: 'labels.csv' });
  const author = { name: 'Curator', email: 'curator@example.org', timestamp: 1_700_000_000, timezoneOffset: 0 };
  await git.commit({ fs, dir: root, message: 'labels', author });
  // What the dataset stage read (the md5 of the bytes it parsed), then an edit made while the run went on.
  const lock = { schema: 'vitrine.lock/1', stages: { dataset: { deps: { paths: { 'labels.csv': md5(read) } } } } };
  await mkdir(path.dirname(ws.lock), { recursive: true });
  await writeFile(ws.lock, JSON.stringify(lock));
  await writeFile(ws.labels, EDITED);
  return ws;
}

describe('HEAD’s labels.csv, compared by its bytes with what the dataset stage read', () => {
  it('checked out with CRLF line endings (git on Windows) and read so: HEAD’s lines, nothing said', async () => {
    const ws = await repoWith({ committed: Buffer.from(READ_LF), read: Buffer.from(READ_LF.replace(/\n/g, '\r\n')) });
    const log = memoryLogger();
    const { lines, lineNumbers } = await labelsAsRead({ ws, log });
    expect(lineNumbers).toBe(true);
    expect(lines.map((l) => [l.objectId, l.line])).toEqual([
      ['O-1', 2],
      ['O-2', 3],
    ]);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('with a byte that is not UTF-8 in a title: not taken, and the catalogue goes on without lines, said', async () => {
    const committed = Buffer.concat([
      Buffer.from('object_id,label,title\nO-1,Monnaie,Sou '),
      Buffer.from([0xff, 0x0a]),
    ]);
    // lock.json as no run writes it (the stage refuses the file), to show it is still not taken.
    const ws = await repoWith({ committed, read: committed });
    const log = memoryLogger();
    const { lines, lineNumbers } = await labelsAsRead({ ws, log });
    expect(lineNumbers).toBe(false);
    expect(lines.map((l) => l.objectId)).toEqual(['O-0', 'O-1', 'O-2']);
    expect(log.lines.map((l) => l.message)).toContainEqual(
      expect.stringContaining('labels.csv changed after the dataset stage read it'),
    );
  });

  // The catalogue and the other stages find the file read in one module (task D6): its bytes are checked there.
  it('with a byte that is not UTF-8: for the stages after the dataset stage, the labels read are not found', async () => {
    const committed = Buffer.concat([Buffer.from('object_id,label\nO-1,Monnaie '), Buffer.from([0xff, 0x0a])]);
    const ws = await repoWith({ committed, read: committed });
    await expect(labelsTextAsRead({ ws })).rejects.toMatchObject({ code: 'LABELS_CHANGED_SINCE_READ' });
  });
});
