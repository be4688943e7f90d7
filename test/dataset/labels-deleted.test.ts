import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { makeCollection, object, removeTempDirs, tempDir, testParams } from './fixtures.ts';

/*
 * An outside tester ran `git rm labels.csv` on a branch, committed, and ran the report: the run warned "labels.csv
 * does not exist yet: every object is unlabelled" and stopped with "No object has a label yet". The file existed on
 * main; the branch deletes it, and that is what staff need to hear (and how to get it back if it was a slip).
 */

afterAll(removeTempDirs);

const AUTHOR = { name: 'Test', email: 'test@example.org', timestamp: 1_767_225_600, timezoneOffset: 0 };

/** A collection committed on main with labels.csv, then a branch "drop-labels" checked out. */
async function branchedCollection() {
  const ws = await makeCollection({
    objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
    labelsText: 'object_id,label\na1,coin\na2,mask\na3,vessel\n',
  });
  const dir = ws.root;
  await git.init({ fs, dir, defaultBranch: 'main' });
  await writeFile(path.join(dir, '.gitignore'), 'data/\n.vitrine/\n');
  for (const filepath of ['.gitignore', 'labels.csv']) await git.add({ fs, dir, filepath });
  const mainCommit = await git.commit({ fs, dir, message: 'Labels', author: AUTHOR });
  await git.branch({ fs, dir, ref: 'drop-labels', checkout: true });
  return { ws, dir, mainCommit };
}

async function runDataset(ws: Awaited<ReturnType<typeof branchedCollection>>['ws']) {
  const log = memoryLogger();
  const error = await datasetStage
    .run({ ws, params: testParams(), log, clock: systemClock, env: {} })
    .catch((e: unknown) => e);
  const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  return { error, warnings };
}

describe('a labels.csv that is gone', () => {
  it('on a branch that deletes it: says the branch deletes it and how to restore it, not “does not exist yet”', async () => {
    const { ws, dir, mainCommit } = await branchedCollection();
    await git.remove({ fs, dir, filepath: 'labels.csv' });
    await rm(ws.labels);
    await git.commit({ fs, dir, message: 'Drop labels', author: { ...AUTHOR, timestamp: AUTHOR.timestamp + 60 } });
    const { error, warnings } = await runDataset(ws);
    expect(warnings.join('\n')).not.toContain('does not exist yet');
    // Said once, as the error: the warning before it said the same (tester T3).
    expect(warnings).toEqual([]);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    const message = (error as Error).message;
    expect(message).not.toContain('yet');
    expect(message).toBe(
      'labels.csv is deleted on this branch (main, where this branch left it, has it), so no object has a staff ' +
        'label and there is nothing to train on. If that was not meant, restore it ' +
        `("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit.`,
    );
  });

  it('deleted in this folder but not in the last commit: says so, and how to restore it', async () => {
    const { ws } = await branchedCollection();
    await rm(ws.labels);
    const { error, warnings } = await runDataset(ws);
    expect(warnings).toEqual([]);
    expect((error as Error).message).toBe(
      'labels.csv is missing from this folder, but the last commit has it, so no object has a staff label and ' +
        'there is nothing to train on. If that was not meant, restore it ("git checkout HEAD -- labels.csv").',
    );
  });
});

/*
 * Tester T3: "git mv labels.csv 'labels (1).csv'" (or Labels.csv) on a branch heard that labels.csv is deleted, and
 * to restore it with a git command, never naming the renamed file: staff on GitHub's web editor cannot run git. The
 * guard's rule for a data file's name in another spelling (misnamedData) tells the renamed file. Said once, as the
 * error: the warning before it said the same.
 */
describe('a labels.csv renamed on a branch', () => {
  for (const name of ['labels (1).csv', 'Labels.csv']) {
    it(`to ${name}: says so, and to rename it back, with how on GitHub`, async () => {
      const { ws, dir } = await branchedCollection();
      execFileSync('git', ['mv', 'labels.csv', name], { cwd: dir, stdio: 'pipe' });
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', 'commit', '-qm', 'Rename'], {
        cwd: dir,
        stdio: 'pipe',
      });
      const { error, warnings } = await runDataset(ws);
      expect(warnings).toEqual([]);
      expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
      expect((error as Error).message).toBe(
        `labels.csv was renamed to "${name}" on this branch, so no object has a staff label and there is nothing ` +
          'to train on: Vitrine reads the labels only as labels.csv, in exactly that spelling. Rename it back to ' +
          'labels.csv (on GitHub: open the file, edit its name) and commit.',
      );
    });
  }
});

/*
 * A reviewer: "git checkout -- labels.csv" restores the file from the index, so once the emptied or deleted file is
 * staged (git add, git rm) it gives back nothing. The command said must bring the labels back as git runs it.
 */
describe('the command said to restore labels.csv from the last commit', () => {
  /** Runs the command the message quotes, in the collection’s folder. */
  function runQuoted(dir: string, message: string) {
    const command = /\("(git [^"]+)"\)/.exec(message)?.[1];
    expect(command, message).toBeDefined();
    execFileSync('git', command!.split(' ').slice(1), { cwd: dir, stdio: 'pipe' });
  }

  it('brings the labels back when the emptied file is staged', async () => {
    const { ws, dir } = await branchedCollection();
    await writeFile(ws.labels, '');
    await git.add({ fs, dir, filepath: 'labels.csv' });
    const { error } = await runDataset(ws);
    runQuoted(dir, (error as Error).message);
    expect(await readFile(ws.labels, 'utf8')).toBe('object_id,label\na1,coin\na2,mask\na3,vessel\n');
  });

  it('brings it back when its deletion is staged', async () => {
    const { ws, dir } = await branchedCollection();
    await git.remove({ fs, dir, filepath: 'labels.csv' });
    await rm(ws.labels);
    const { error } = await runDataset(ws);
    runQuoted(dir, (error as Error).message);
    expect(await readFile(ws.labels, 'utf8')).toBe('object_id,label\na1,coin\na2,mask\na3,vessel\n');
  });
});

/*
 * A push run on main itself: labels.csv was committed, then a later commit on main deleted it. There is no base branch
 * to compare with, so only the history says where it went; the run said "labels.csv does not exist yet".
 */
describe('a labels.csv a commit on main deleted', () => {
  /** labels.csv committed on main, deleted by a later commit on main (and `after` commits made after that one). */
  async function deletedOnMain({ after = 0 }: { after?: number } = {}) {
    const { ws, dir, mainCommit } = await branchedCollection();
    await git.checkout({ fs, dir, ref: 'main' });
    await git.remove({ fs, dir, filepath: 'labels.csv' });
    await rm(ws.labels);
    const at = (n: number) => ({ ...AUTHOR, timestamp: AUTHOR.timestamp + 60 * n });
    const deleting = await git.commit({ fs, dir, message: 'Drop labels\n\nBy mistake.', author: at(1) });
    for (let i = 0; i < after; i++) {
      await writeFile(path.join(dir, `note-${i}.txt`), `note ${i}\n`);
      await git.add({ fs, dir, filepath: `note-${i}.txt` });
      await git.commit({ fs, dir, message: `Note ${i}`, author: at(2 + i) });
    }
    return { ws, dir, mainCommit, deleting };
  }

  it('by the last commit: says that commit deletes it and how to restore it, not “does not exist yet”', async () => {
    const { ws, mainCommit, deleting } = await deletedOnMain();
    const { error, warnings } = await runDataset(ws);
    expect(warnings.join('\n')).not.toContain('does not exist yet');
    const said = `labels.csv was deleted by the last commit (${deleting.slice(0, 12)}, “Drop labels”)`;
    expect(warnings).toEqual([]);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    expect((error as Error).message).toBe(
      `${said}, so no object has a staff label and there is nothing to train on. If that was not meant, restore ` +
        `it ("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit. ${IF_MEANT}`,
    );
  });

  it('by an earlier commit: names that commit, and restores it from the one before', async () => {
    const { ws, mainCommit, deleting } = await deletedOnMain({ after: 2 });
    const { error, warnings } = await runDataset(ws);
    const said = `labels.csv was deleted by commit ${deleting.slice(0, 12)} (“Drop labels”, 2 commits before the last)`;
    expect(warnings).toEqual([]);
    expect((error as Error).message).toBe(
      `${said}, so no object has a staff label and there is nothing to train on. If that was not meant, restore ` +
        `it ("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit. ${IF_MEANT}`,
    );
  });

  it('says how to start the labels again, too: deleting them on main may have been meant', async () => {
    // A reviewer: an emptied labels.csv on main heard both ways ("If it was meant, add one line per object …"), a
    // deleted one only how to restore it.
    const { ws } = await deletedOnMain();
    const { error } = await runDataset(ws);
    expect((error as Error).message).toMatch(/ and commit\. If it was meant \(to start the labels again\), create/);
    expect((error as Error).message.endsWith(IF_MEANT)).toBe(true);
  });

  it('on a branch made from that main, with no commit of its own: says the branch changed nothing, main did', async () => {
    const { ws, dir, mainCommit, deleting } = await deletedOnMain({ after: 1 });
    await git.branch({ fs, dir, ref: 'more-labels', checkout: true });
    const { error, warnings } = await runDataset(ws);
    const said =
      'labels.csv is missing on this branch, as on main: this branch changes nothing in labels.csv (it has no commit ' +
      `of its own), and main deleted it in commit ${deleting.slice(0, 12)} (“Drop labels”)`;
    expect(warnings).toEqual([]);
    expect((error as Error).message).toBe(
      `${said}, so no object has a staff label and there is nothing to train on. If main deleted it by mistake, ` +
        `restore it ("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit. ${IF_MEANT}`,
    );
  });

  // Session 50 (brief): the same branch with a commit of its own that leaves labels.csv alone (a note) was told
  // "labels.csv does not exist yet", as a new collection is: the branch changes nothing in it either.
  it('on a branch made from that main, with an unrelated commit of its own: says main deleted it, both ways out', async () => {
    const { ws, dir, mainCommit, deleting } = await deletedOnMain({ after: 1 });
    await git.branch({ fs, dir, ref: 'more-labels', checkout: true });
    await writeFile(path.join(dir, 'notes.txt'), 'a note\n');
    await git.add({ fs, dir, filepath: 'notes.txt' });
    await git.commit({ fs, dir, message: 'Notes', author: { ...AUTHOR, timestamp: AUTHOR.timestamp + 6000 } });
    const { error, warnings } = await runDataset(ws);
    expect(warnings.join('\n')).not.toContain('does not exist yet');
    const said =
      'labels.csv is missing on this branch, as on main: this branch changes nothing in labels.csv (its own commits ' +
      `leave it alone), and main deleted it in commit ${deleting.slice(0, 12)} (“Drop labels”)`;
    expect(warnings).toEqual([]);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    expect((error as Error).message).toBe(
      `${said}, so no object has a staff label and there is nothing to train on. If main deleted it by mistake, ` +
        `restore it ("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit. ${IF_MEANT}`,
    );
  });

  it('a branch whose own commit deletes it again, after main had: names the branch’s commit', async () => {
    // Review (session 49): main deleted it, the branch restored it and a later commit of its own deleted it again.
    const { ws, dir, mainCommit } = await deletedOnMain();
    await git.branch({ fs, dir, ref: 'redo-labels', checkout: true });
    const at = (n: number) => ({ ...AUTHOR, timestamp: AUTHOR.timestamp + 600 * n });
    await writeFile(
      ws.labels,
      await git.readBlob({ fs, dir, oid: mainCommit, filepath: 'labels.csv' }).then((b) => b.blob),
    );
    await git.add({ fs, dir, filepath: 'labels.csv' });
    const restoring = await git.commit({ fs, dir, message: 'Restore labels', author: at(1) });
    await git.remove({ fs, dir, filepath: 'labels.csv' });
    await rm(ws.labels);
    const again = await git.commit({ fs, dir, message: 'Drop labels again', author: at(2) });
    const { error, warnings } = await runDataset(ws);
    const said = `labels.csv was deleted by the last commit (${again.slice(0, 12)}, “Drop labels again”)`;
    expect(warnings).toEqual([]);
    expect((error as Error).message.startsWith(said)).toBe(true);
    expect((error as Error).message).toContain(`restore it ("git checkout ${restoring.slice(0, 12)} -- labels.csv")`);
  });
});

/** What a labels.csv deleted on main, on purpose, needs: a new one. */
const IF_MEANT =
  'If it was meant (to start the labels again), create labels.csv with the header "object_id,label", then one ' +
  'line per object (for example "a1,coin"), with labels from collection.vocabulary in params.yaml (coin, mask, ' +
  'vessel).';

/*
 * An outside tester emptied labels.csv on a branch (0 bytes, then only the header "object_id,label") and was told to
 * "Add the header "object_id,label", then one line per object", as a new collection is; deleting it instead was said
 * as "This branch deletes labels.csv … restore it". An emptied file is the same slip, and gets the same advice.
 */
describe('a labels.csv emptied', () => {
  /** labels.csv written as `text` on the branch and committed. */
  async function emptiedOnBranch(text: string) {
    const { ws, dir, mainCommit } = await branchedCollection();
    await writeFile(ws.labels, text);
    await git.add({ fs, dir, filepath: 'labels.csv' });
    await git.commit({ fs, dir, message: 'Empty labels', author: { ...AUTHOR, timestamp: AUTHOR.timestamp + 60 } });
    return { ws, mainCommit };
  }

  it('to 0 bytes on a branch: says the branch empties it, what main has, and how to restore it', async () => {
    const { ws, mainCommit } = await emptiedOnBranch('');
    const { error } = await runDataset(ws);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    expect((error as Error).message).toBe(
      'labels.csv is emptied on this branch: it is empty (0 bytes) now, while main, where this branch left it, has 3 ' +
        'labels. So no object has a staff label and there is nothing to train on. If that was not meant, restore it ' +
        `("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit.`,
    );
  });

  it('to its header on a branch: says so, with the same advice', async () => {
    const { ws, mainCommit } = await emptiedOnBranch('object_id,label\n');
    const { error } = await runDataset(ws);
    expect((error as Error).message).toBe(
      'labels.csv is emptied on this branch: it has no rows below its header now, while main, where this branch left ' +
        'it, has 3 labels. So no object has a staff label and there is nothing to train on. If that was not meant, ' +
        `restore it ("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit.`,
    );
  });

  it('in this folder only: says the last commit has the labels, and how to restore it', async () => {
    const { ws } = await branchedCollection();
    await writeFile(ws.labels, '');
    const { error } = await runDataset(ws);
    expect((error as Error).message).toBe(
      'labels.csv was emptied in this folder: it is empty (0 bytes) now, while the last commit has 3 labels. So no ' +
        'object has a staff label and there is nothing to train on. If that was not meant, restore it ' +
        '("git checkout HEAD -- labels.csv").',
    );
  });

  it('by the last commit on main: names that commit, and restores it from the one before', async () => {
    const { ws, dir, mainCommit } = await branchedCollection();
    await git.checkout({ fs, dir, ref: 'main' });
    await writeFile(ws.labels, 'object_id,label\n');
    await git.add({ fs, dir, filepath: 'labels.csv' });
    const author = { ...AUTHOR, timestamp: AUTHOR.timestamp + 60 };
    const emptying = await git.commit({ fs, dir, message: 'Clear labels', author });
    const { error } = await runDataset(ws);
    expect((error as Error).message).toBe(
      `labels.csv was emptied by the last commit (${emptying.slice(0, 12)}, “Clear labels”): it has no rows below its header ` +
        'now, while the commit before it has 3 labels. So no object has a staff label and there is nothing to train ' +
        `on. If that was not meant, restore it ("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit. ` +
        'If it was meant, add one line per object below the header (for example "a1,coin"), with labels from ' +
        'collection.vocabulary in params.yaml (coin, mask, vessel).',
    );
  });

  it('on a branch made from a main that emptied it, with a commit of its own: says main emptied it, both ways', async () => {
    // A museum cleared labels.csv on purpose on main ("Start labelling again from scratch"); every branch made from
    // that main then heard that a commit of main empties it and to restore it. Then (session 50, brief) such a branch
    // heard only the advice for a new collection: it is told what a branch with no commit of its own is, main’s
    // commit and both ways out.
    const { ws, dir, mainCommit } = await branchedCollection();
    await git.checkout({ fs, dir, ref: 'main' });
    await writeFile(ws.labels, 'object_id,label\n');
    await git.add({ fs, dir, filepath: 'labels.csv' });
    const at = (n: number) => ({ ...AUTHOR, timestamp: AUTHOR.timestamp + 60 * n });
    const emptying = await git.commit({ fs, dir, message: 'Start labelling again from scratch', author: at(1) });
    await git.branch({ fs, dir, ref: 'first-labels', checkout: true });
    await writeFile(path.join(dir, 'note.txt'), 'note\n');
    await git.add({ fs, dir, filepath: 'note.txt' });
    await git.commit({ fs, dir, message: 'Note', author: at(2) });
    const { error } = await runDataset(ws);
    expect((error as Error).message).toBe(
      'labels.csv has no rows below its header on this branch, as on main: this branch changes nothing in ' +
        `labels.csv (its own commits leave it alone), and main emptied it in commit ${emptying.slice(0, 12)} (“Start ` +
        'labelling again from scratch”), which removed its 3 labels. So no object has a staff label and there is ' +
        'nothing to train on. If main emptied it on purpose (to start the labels again), add one line per object ' +
        'below the header (for example "a1,coin"), with labels from collection.vocabulary in params.yaml (coin, ' +
        'mask, vessel). If main emptied it by mistake, restore it ' +
        `("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit.`,
    );
  });

  it('on a branch made from a main that emptied it, with no commit of its own: says main emptied it, not the branch', async () => {
    // The branch is where main is, so the report has nothing to compare with, and main's own message was said:
    // "labels.csv was emptied by the last commit (…)", as if the branch's.
    const { ws, dir, mainCommit } = await branchedCollection();
    await git.checkout({ fs, dir, ref: 'main' });
    await writeFile(ws.labels, 'object_id,label\n');
    await git.add({ fs, dir, filepath: 'labels.csv' });
    const at = (n: number) => ({ ...AUTHOR, timestamp: AUTHOR.timestamp + 60 * n });
    const emptying = await git.commit({ fs, dir, message: 'Start labelling again from scratch', author: at(1) });
    await git.branch({ fs, dir, ref: 'first-labels', checkout: true });
    const { error } = await runDataset(ws);
    expect((error as Error).message).toBe(
      'labels.csv has no rows below its header on this branch, as on main: this branch changes nothing in ' +
        `labels.csv (it has no commit of its own), and main emptied it in commit ${emptying.slice(0, 12)} (“Start ` +
        'labelling again from scratch”), which removed its 3 labels. So no object has a staff label and there is ' +
        'nothing to train on. If main emptied it on purpose (to start the labels again), add one line per object ' +
        'below the header (for example "a1,coin"), with labels from collection.vocabulary in params.yaml (coin, ' +
        'mask, vessel). If main emptied it by mistake, restore it ' +
        `("git checkout ${mainCommit.slice(0, 12)} -- labels.csv") and commit.`,
    );
  });

  it('in a shallow clone that lacks main: adds how to restore it from main, if this branch emptied it', async () => {
    // CI’s shallow clone of a branch cannot tell whether the branch emptied it: the advice to fill it in alone would
    // hide the slip.
    const { ws, dir } = await branchedCollection();
    await writeFile(ws.labels, 'object_id,label\n');
    await git.add({ fs, dir, filepath: 'labels.csv' });
    await git.commit({ fs, dir, message: 'Empty labels', author: { ...AUTHOR, timestamp: AUTHOR.timestamp + 60 } });
    const root = await tempDir('vitrine-shallow-');
    await rm(root, { recursive: true });
    const url = `file://${dir}`;
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'drop-labels', url, root], { stdio: 'pipe' });
    await cp(path.join(dir, 'data'), path.join(root, 'data'), { recursive: true });
    const { error } = await runDataset(workspace(root));
    expect((error as Error).message).toMatch(/^labels\.csv has no rows below its header, so no object has a label/);
    expect((error as Error).message).toContain(
      'If this branch emptied it, restore it from main ("git checkout main -- labels.csv") and commit.',
    );
  });

  // Session 50 (brief): unreadBase told a shallow clone by reading <folder>/.git/shallow itself, so a shallow clone
  // whose .git is a file naming its git folder (git clone --separate-git-dir, a submodule) was taken for a full one
  // and lost the advice. It asks pipeline/git/ (isShallow), which follows the .git file.
  it('in a shallow clone whose .git is a file naming its git folder: the same advice', async () => {
    const { ws, dir } = await branchedCollection();
    await writeFile(ws.labels, 'object_id,label\n');
    await git.add({ fs, dir, filepath: 'labels.csv' });
    await git.commit({ fs, dir, message: 'Empty labels', author: { ...AUTHOR, timestamp: AUTHOR.timestamp + 60 } });
    const outside = await tempDir('vitrine-shallow-gitdir-');
    const root = path.join(outside, 'clone');
    const args = ['clone', '-q', '--depth', '1', '--branch', 'drop-labels', '--separate-git-dir'];
    execFileSync('git', [...args, path.join(outside, 'git'), `file://${dir}`, root], { stdio: 'pipe' });
    expect((await readFile(path.join(root, '.git'), 'utf8')).startsWith('gitdir:')).toBe(true);
    expect(await readFile(path.join(outside, 'git', 'shallow'), 'utf8')).not.toBe('');
    await cp(path.join(dir, 'data'), path.join(root, 'data'), { recursive: true });
    const { error } = await runDataset(workspace(root));
    expect((error as Error).message).toMatch(/^labels\.csv has no rows below its header, so no object has a label/);
    expect((error as Error).message).toContain(
      'If this branch emptied it, restore it from main ("git checkout main -- labels.csv") and commit.',
    );
  });

  it('in a new collection whose labels.csv was always empty: keeps the advice to fill it in', async () => {
    const ws = await makeCollection({ objects: ['a1', 'a2'].map((id) => object(id)), labelsText: '' });
    const dir = ws.root;
    await git.init({ fs, dir, defaultBranch: 'main' });
    await writeFile(path.join(dir, '.gitignore'), 'data/\n.vitrine/\n');
    for (const filepath of ['.gitignore', 'labels.csv']) await git.add({ fs, dir, filepath });
    await git.commit({ fs, dir, message: 'Start', author: AUTHOR });
    await git.branch({ fs, dir, ref: 'first-labels', checkout: true });
    const { error } = await runDataset(ws);
    expect((error as Error).message).toMatch(
      /^labels\.csv is empty \(0 bytes\), so no object has a label and there is nothing to train on\. Add the header/,
    );
    expect((error as Error).message).not.toContain('restore');
  });
});
