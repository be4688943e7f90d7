import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { knownOnRemote, noteOnRemote, onRemoteFileOf } from '../../pipeline/data/pushed.ts';
import { cleanup, tempDir } from './helpers.ts';

let root: string;
beforeEach(async () => {
  root = await tempDir('vitrine-pushed-');
});
afterEach(async () => {
  await cleanup(root);
});

const list = (n: number) => `${String(n).padStart(32, '0')}.dir`;

describe('the note of what each remote holds (.dvc/tmp/vitrine-on-remote.json)', () => {
  it('keeps every entry when pushes to two remotes, and two versions to one, finish at the same time', async () => {
    const museum = { name: 'museum', url: '/mnt/share/vitrine' };
    const backup = { name: 'backup', url: 's3://backup/vitrine' };
    await Promise.all([
      noteOnRemote({ root, remote: museum, list: list(1) }),
      noteOnRemote({ root, remote: backup, list: list(2) }),
      noteOnRemote({ root, remote: museum, list: list(3) }),
      noteOnRemote({ root, remote: backup, list: list(4) }),
    ]);
    expect(await knownOnRemote({ root, remote: museum, list: list(1) })).toBe(true);
    expect(await knownOnRemote({ root, remote: museum, list: list(3) })).toBe(true);
    expect(await knownOnRemote({ root, remote: backup, list: list(2) })).toBe(true);
    expect(await knownOnRemote({ root, remote: backup, list: list(4) })).toBe(true);
    // The note is whole JSON, and neither the lock nor a temp file is left beside it.
    const note = JSON.parse(await readFile(onRemoteFileOf(root), 'utf8'));
    expect(Object.keys(note.remotes).sort()).toEqual(['backup', 'museum']);
    expect(await readdir(path.dirname(onRemoteFileOf(root)))).toEqual(['vitrine-on-remote.json']);
  });

  it('forgets what was known about a remote whose name now points at another place', async () => {
    await noteOnRemote({ root, remote: { name: 'r', url: '/old' }, list: list(1) });
    expect(await knownOnRemote({ root, remote: { name: 'r', url: '/old' }, list: list(1) })).toBe(true);
    expect(await knownOnRemote({ root, remote: { name: 'r', url: '/new' }, list: list(1) })).toBe(false);
    await noteOnRemote({ root, remote: { name: 'r', url: '/new' }, list: list(2) });
    expect(await knownOnRemote({ root, remote: { name: 'r', url: '/old' }, list: list(1) })).toBe(false);
    expect(await knownOnRemote({ root, remote: { name: 'r', url: '/new' }, list: list(2) })).toBe(true);
  });

  // Fault tester: a try-out folder moved elsewhere (its remote, .vitrine-remote, inside it) said its images were
  // never sent. A remote outside the repository stays where it was: a moved repository pointing at "../storage"
  // may point at another folder now, so nothing is assumed there.
  it('knows a remote inside the repository after the repository was moved, not one outside it', async () => {
    const { cp } = await import('node:fs/promises');
    const before = path.join(root, 'before');
    const after = path.join(root, 'after');
    const inside = (repo: string) => ({ name: 'local', url: path.join(repo, '.vitrine-remote') });
    const outside = (repo: string) => ({ name: 'share', url: path.join(repo, '..', 'storage', path.basename(repo)) });
    await noteOnRemote({ root: before, remote: inside(before), list: list(1) });
    await noteOnRemote({ root: before, remote: outside(before), list: list(1) });
    await cp(before, after, { recursive: true });
    expect(await knownOnRemote({ root: after, remote: inside(after), list: list(1) })).toBe(true);
    expect(await knownOnRemote({ root: after, remote: outside(after), list: list(1) })).toBe(false);
    expect(await knownOnRemote({ root: before, remote: inside(before), list: list(1) })).toBe(true);
  });
});
