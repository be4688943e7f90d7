import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { failureNote } from '../../pipeline/report/failure.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';
import { gitIn } from '../fixtures/git.ts';

/*
 * A pull request whose run stops before its report (a merge conflict committed in labels.csv, a typo in
 * params.yaml) used to give staff a red cross and nothing else. The run now leaves a note where the
 * report would be, and the report action posts it (test/github/actions.test.ts).
 */

afterAll(removeTempDirs);

const CONFLICT = ['object_id,label', 'a1,coin', '<<<<<<< HEAD', 'a2,mask', '=======', 'a2,vessel', '>>>>>>> b', ''];

async function repoWithConflict() {
  const ws = await makeCollection({
    objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
    labelsText: CONFLICT.join('\n'),
  });
  await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask, vessel]\n');
  return ws;
}

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => l.message).join('\n') };
}

const note = (dir: string, name: string) => readFile(path.join(dir, name), 'utf8').catch(() => null);

describe('a run that stops before its report', () => {
  it('leaves a note naming the file and line, in words for staff, and the next run replaces it', async () => {
    const ws = await repoWithConflict();
    const first = await vitrine(['run', 'report'], ws.root);
    expect(first.code).toBe(1);
    const markdown = await note(ws.report, 'failure.md');
    expect(markdown).toContain('## Vitrine could not check this pull request');
    expect(markdown).toMatch(/labels\.csv:3: this file still has a merge conflict/);
    expect(markdown).toContain('push again');
    expect(JSON.parse((await note(ws.report, 'failure.json'))!)).toMatchObject({
      failed: true,
      code: 'CSV_MERGE_CONFLICT',
    });

    // The conflict is resolved, but params.yaml now has a typo: the note says that, not the old conflict.
    await writeFile(ws.labels, 'object_id,label\na1,coin\na2,mask\n');
    await writeFile(
      ws.params,
      'collection:\n  name: Test Museum\n  vocabulary: [coin, mask, vessel]\ntrian:\n  epochs: 3\n',
    );
    const second = await vitrine(['report'], ws.root);
    expect(second.code).not.toBe(0);
    const again = await note(ws.report, 'failure.md');
    expect(again).not.toContain('merge conflict');
    expect(again).toContain('trian');
  });

  it('removes an earlier run’s report, which would be read as this run’s, and says so', async () => {
    // Session 37, a tester: after a failed run, report.md still began "✅ Better" (another branch's run).
    const ws = await repoWithConflict();
    await mkdir(ws.report, { recursive: true });
    for (const name of ['report.md', 'report-full.md', 'report.json'])
      await writeFile(path.join(ws.report, name), name.endsWith('.json') ? '{}' : '✅ **Better**');
    const run = await vitrine(['run'], ws.root);
    expect(run.code).toBe(1);
    for (const name of ['report.md', 'report-full.md', 'report.json']) expect(await note(ws.report, name)).toBeNull();
    expect(await note(ws.report, 'failure.md')).toMatch(/merge conflict/);
    expect(run.messages).toContain(
      'This run stopped before its report: .vitrine/report/failure.md says why. The report of an earlier run was ' +
        'removed from there, so that it is not read as this one.',
    );
  });

  it('still says what stopped the run when the note itself cannot be written', async () => {
    const ws = await repoWithConflict();
    // .vitrine/report is a file here, so no note fits under it: the conflict must still be the error.
    await mkdir(path.dirname(ws.report), { recursive: true });
    await writeFile(ws.report, 'not a folder');
    const run = await vitrine(['run', 'report'], ws.root);
    expect(run.code).toBe(1);
    expect(run.messages).toMatch(/labels\.csv:3: this file still has a merge conflict/);
    expect(run.messages).toContain('Vitrine could not write the failure note in .vitrine/report');
    expect(run.messages).toContain('.vitrine/report should be a folder but is a file: delete it and run again.');
  });

  it('leaves no note for runs that do not end in a report', async () => {
    const ws = await repoWithConflict();
    for (const args of [['run', 'dataset'], ['dataset'], ['run', 'catalogue', '--single']]) {
      expect((await vitrine(args, ws.root)).code, args.join(' ')).toBe(1);
      expect(await note(ws.report, 'failure.md'), args.join(' ')).toBeNull();
    }
  });
});

describe('the note of a run on main itself', () => {
  // An outside tester ran the pipeline on main after a merge that committed a merge conflict: the note was headed
  // "Vitrine could not check this pull request" and said to fix it "in the pull request and push again", with none.
  async function committed({ branch, params }: { branch: string; params: string }) {
    const ws = await repoWithConflict();
    await writeFile(ws.params, params);
    const git = gitIn({ root: ws.root });
    git('init', '-q', '-b', branch);
    await writeFile(path.join(ws.root, '.gitignore'), 'data/\n.vitrine/\n');
    git('add', '.gitignore', 'labels.csv', 'params.yaml');
    git('commit', '-q', '-m', 'Merge the new labels');
    return { ws, git };
  }
  const PARAMS = 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask, vessel]\n';

  it('says what failed in words of main, with no pull request', async () => {
    const { ws } = await committed({ branch: 'main', params: PARAMS });
    expect((await vitrine(['run', 'report'], ws.root)).code).toBe(1);
    const markdown = (await note(ws.report, 'failure.md'))!;
    expect(markdown.split('\n')[0]).toBe('## Vitrine could not check this change to main');
    expect(markdown).toMatch(/labels\.csv:3: this file still has a merge conflict/);
    expect(markdown).toContain('the model in production and the public catalogue stay as they were');
    expect(markdown).toContain('Fix this in a new pull request (the message names the file and line)');
    expect(markdown).not.toMatch(/(this|the) pull request|push again/);
    const json = JSON.parse((await note(ws.report, 'failure.json'))!);
    expect(json.headline).toBe(
      'Vitrine could not check this change to main: the model and catalogue were not updated.',
    );
  });

  it('reads the main branch params.yaml names, even when params.yaml is what stopped the run', async () => {
    const params = `${PARAMS.replace('name: Test Museum', 'name: Test Museum\n  branch: trunk')}trian:\n  epochs: 3\n`;
    const { ws } = await committed({ branch: 'trunk', params });
    expect((await vitrine(['run'], ws.root)).code).toBe(1);
    const markdown = (await note(ws.report, 'failure.md'))!;
    expect(markdown).toContain('trian');
    expect(markdown.split('\n')[0]).toBe('## Vitrine could not check this change to main');
  });

  it('on a branch off main, still speaks of the pull request', async () => {
    const { ws, git } = await committed({ branch: 'main', params: PARAMS });
    git('checkout', '-q', '-b', 'fix-labels');
    await writeFile(ws.labels, `${CONFLICT.join('\n')}a3,coin\n`);
    git('commit', '-q', '-am', 'More labels');
    expect((await vitrine(['run', 'report'], ws.root)).code).toBe(1);
    const markdown = (await note(ws.report, 'failure.md'))!;
    expect(markdown.split('\n')[0]).toBe('## Vitrine could not check this pull request');
    expect(markdown).toContain('push again');
  });
});

describe('failureNote', () => {
  it('keeps the message inside its code block whatever backticks it holds, and says when it is a bug', () => {
    const { markdown, note: known } = failureNote({
      error: new VitrineError('X', 'labels.csv:2: the label "```\n# Fake heading" is not in the vocabulary'),
    });
    expect(known.code).toBe('X');
    // The fence is longer than any run of backticks in the message, so the message cannot end the block.
    expect(markdown).toMatch(/^````text\n/m);
    expect(markdown).toMatch(/\n````\n/);
    const bug = failureNote({ error: new TypeError('cannot read properties of undefined') });
    expect(bug.note.code).toBe('BUG');
    expect(bug.markdown).toContain('a bug, not something in your change');
  });

  it('says the message names the file and line only when it does', () => {
    // An outside tester: a branch that deletes labels.csv stopped with a message naming no line, under "Fix this in
    // the pull request (the message names the file and line)".
    const noLine = failureNote({
      error: new VitrineError('DATASET_NO_LABELS', 'No object has a label, so there is nothing to train on.', {
        file: 'labels.csv',
      }),
    });
    expect(noLine.markdown).not.toContain('names the file and line');
    expect(noLine.markdown).toContain('Fix this in the pull request and push again: the checks run again');
    const withLine = failureNote({
      error: new VitrineError('CSV_MERGE_CONFLICT', 'labels.csv:3: this file still has a merge conflict'),
    });
    expect(withLine.markdown).toContain('Fix this in the pull request (the message names the file and line) and push');
  });

  it('cuts a very long message to fit a comment, saying where the rest is', () => {
    const { markdown } = failureNote({ error: new VitrineError('MANY', 'row refused\n'.repeat(5000)) });
    expect(markdown.length).toBeLessThan(6000);
    expect(markdown).toContain("the rest is in the run's log");
  });
});
