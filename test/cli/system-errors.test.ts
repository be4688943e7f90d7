import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { systemProblem } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { failureNote } from '../../pipeline/report/failure.ts';
import { makeCollection, object, removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * A full disk, a locked file or a file where a folder should be is the machine, not a bug in Vitrine:
 * exit 1 and words naming the path, and the pull-request note sends the maintainers to the runner.
 * Files where folders should be fail as root too; ENOSPC and EPERM are built as Node builds them.
 */

afterAll(removeTempDirs);

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => l.message).join('\n') };
}

/** An error shaped as Node's fs functions make them. */
function nodeError(code: string, syscall: string, extra: { path?: string; dest?: string } = {}) {
  const where = [extra.path, extra.dest].filter(Boolean).map((p) => `'${p}'`);
  return Object.assign(new Error(`${code}: system error, ${syscall} ${where.join(' -> ')}`), {
    code,
    syscall,
    errno: -1,
    ...extra,
  });
}

async function repo() {
  const ws = await makeCollection({
    objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
    labels: [{ objectId: 'a1', label: 'coin' }],
  });
  await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
  return ws;
}

const readNote = (dir: string) => readFile(path.join(dir, 'failure.md'), 'utf8');

describe('the machine stopping a run', () => {
  it('a file where the thumbnails folder should be: exit 1, names the file, no "bug"', async () => {
    const ws = await repo();
    await mkdir(path.join(ws.root, '.vitrine', 'dataset'), { recursive: true });
    await writeFile(path.join(ws.root, '.vitrine', 'dataset', 'thumbs'), 'x\n');
    const result = await vitrine(['dataset', '--force'], ws.root);
    expect(result.messages).not.toContain('did not expect');
    expect(result.messages).toContain(`${path.join('.vitrine', 'dataset', 'thumbs')} should be a folder but is a file`);
    expect(result.code).toBe(1);
  });

  it('a report whose folder is a file: the run leaves a note that points at the runner, not a bug', async () => {
    const ws = await repo();
    await mkdir(path.join(ws.root, '.vitrine'), { recursive: true });
    await writeFile(path.join(ws.root, '.vitrine', 'evaluate'), 'x\n');
    const result = await vitrine(['run', 'report'], ws.root);
    expect(result.code).toBe(1);
    expect(result.messages).toMatch(/\.vitrine\/evaluate should be a folder but is a file/);
    const markdown = await readNote(ws.report);
    expect(markdown).not.toContain('a bug');
    expect(markdown).toContain('.vitrine/evaluate should be a folder but is a file');
  });

  it('a full disk names the file, relative to the repository', async () => {
    const root = await tempDir();
    const dest = path.join(root, '.vitrine', 'report', 'report.md');
    const error = nodeError('ENOSPC', 'rename', { path: `${dest}.f849aa.tmp`, dest });
    expect(systemProblem({ error, root })).toBe(
      `The disk is full: Vitrine could not write ${path.join('.vitrine', 'report', 'report.md')}. ` +
        'Free some space and run again.',
    );
    // A write on an open file names none.
    expect(systemProblem({ error: nodeError('ENOSPC', 'write'), root })).toMatch(/^The disk is full/);
  });

  it('a link or copy refused where it writes names where it writes, not the file it reads (reviewer, 2 Dec)', async () => {
    const root = await tempDir();
    const from = path.join(root, '.vitrine', 'catalogue', 'astro-out', 'data', 'catalogue.json');
    const to = path.join(root, '.vitrine', 'site', 'data', 'catalogue.json.a303c2b71a2e.tmp');
    for (const syscall of ['link', 'copyfile', 'symlink']) {
      expect(systemProblem({ error: nodeError('EROFS', syscall, { path: from, dest: to }), root })).toMatch(
        /^\.vitrine\/site\/data\/catalogue\.json is on a read-only disk/,
      );
      expect(systemProblem({ error: nodeError('ENOSPC', syscall, { path: from, dest: to }), root })).toContain(
        'could not write .vitrine/site/data/catalogue.json.',
      );
    }
  });

  it('a locked file says read-only or locked; an error outside the list is left alone', async () => {
    const root = await tempDir();
    const dest = path.join(root, '.vitrine', 'report', 'report.md');
    const locked = systemProblem({ error: nodeError('EPERM', 'rename', { path: `${dest}.1.tmp`, dest }), root });
    expect(locked).toContain('.vitrine/report/report.md');
    expect(locked).toContain('read-only or locked (operation not permitted)');
    expect(locked).toMatch(/Check its permissions and run again\.$/);
    const program = systemProblem({ error: nodeError('EACCES', 'spawn git', { path: 'git' }), root });
    expect(program).toMatch(/^Vitrine could not run git: /);
    expect(systemProblem({ error: new TypeError('x is undefined'), root })).toBeUndefined();
    expect(systemProblem({ error: nodeError('ENOENT', 'open', { path: dest }), root })).toBeUndefined();
  });

  it('a file that cannot be opened says so, not "could not write" or "read-only"', async () => {
    const root = await tempDir();
    const labels = path.join(root, 'labels.csv');
    // chmod 000 labels.csv as a non-root user: Node's readFile fails on open, which both reads and writes.
    const opened = systemProblem({ error: nodeError('EACCES', 'open', { path: labels }), root });
    expect(opened).toBe(
      'Vitrine could not open labels.csv: it cannot be read or written by this user (permission denied). ' +
        'Check its permissions and run again.',
    );
    const read = systemProblem({ error: nodeError('EACCES', 'scandir', { path: path.join(root, 'images') }), root });
    expect(read).toMatch(/^Vitrine could not read images: it cannot be read by this user \(permission denied\)/);
    expect(read).not.toMatch(/write|read-only/);
    const io = systemProblem({ error: nodeError('EIO', 'read'), root });
    expect(io).toMatch(/as Vitrine tried to read a file/);
    const mkdirDenied = systemProblem({
      error: nodeError('EACCES', 'mkdir', { path: path.join(root, '.vitrine') }),
      root,
    });
    expect(mkdirDenied).toMatch(/^Vitrine could not write \.vitrine: it is read-only or locked \(permission denied\)/);
  });

  it('a folder where a file should be, with no path from the system, is not a tautology', async () => {
    const message = systemProblem({ error: nodeError('EISDIR', 'read') })!;
    expect(message).not.toMatch(/a file should be a file/);
    expect(message).toMatch(/^Vitrine expected a file but found a folder/);
    expect(message).toContain('--verbose');
    const named = systemProblem({ error: nodeError('EISDIR', 'open', { path: '/x/params.yaml' }), root: '/x' });
    expect(named).toBe('params.yaml should be a file but is a folder: move the folder away and run again.');
  });

  it('params.yaml replaced by a folder: the real CLI does not print a tautology', async () => {
    const ws = await repo();
    await rm(ws.params);
    await mkdir(ws.params);
    const result = await vitrine(['models', 'list'], ws.root);
    expect(result.messages).not.toMatch(/a file should be a file/);
    expect(result.messages).toMatch(/^params\.yaml is a folder, not a file: /m);
    expect(result.code).toBe(1);
  });

  it('the note for the pull request sends the maintainers to the runner, not to a bug', () => {
    const error = nodeError('ENOSPC', 'write');
    const { note, markdown } = failureNote({ error });
    expect(markdown).not.toContain('a bug');
    expect(markdown).toContain('The disk is full');
    expect(markdown).toMatch(/runner/);
    expect(markdown).toMatch(/not because of something in your change/);
    expect(note.code).toBe('ENOSPC');
    expect(note.headline).not.toMatch(/unexpected/);
  });
});

// A tester's read-only storage folder at data init was told "move the repository to one that is".
describe('a read-only disk, said by where it is', () => {
  it('says to move the repository only for a folder inside it', async () => {
    const { environmentProblem } = await import('../../pipeline/cli/fs-errors.ts');
    const root = await tempDir();
    const inside = nodeError('EROFS', 'open', { path: path.join(root, '.vitrine', 'model', 'x.tmp') });
    expect(environmentProblem({ error: inside, root, command: 'run' })).toContain(
      'Make that disk writable, or move the repository to one that is',
    );
    const remote = nodeError('EROFS', 'mkdir', { path: '/mnt/ro-share/vitrine/files' });
    const words = environmentProblem({ error: remote, root, command: 'data init' });
    expect(words).toContain('the folder /mnt/ro-share/vitrine');
    expect(words).toContain('Make that disk writable, or use a folder on one that is');
    expect(words).not.toContain('move the repository');
  });
});
