import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLabels } from '../../pipeline/collection/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { savedAs } from '../../pipeline/report/saved-as.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Outside tester (T3 F7): a labels.csv saved by Excel (“CSV UTF-8”: a byte-order mark and Windows line ends) over
 * main’s, which has Unix ones, made the pull request’s “Files changed” show all 167 lines as changed, while the
 * report’s table rightly listed 1 label changed; nothing said why, nor how to keep the diff readable.
 */

const objects = demoObjects();
const before = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const after = { ...before, 'DM-0004': 'mask' };
const params = validateParams({ raw: { train: { epochs: 60 } } });
const text = (labels: Record<string, string>) =>
  formatLabels({ labels: Object.entries(labels).map(([objectId, label]) => ({ objectId, label })) });
const excel = (t: string) => `\uFEFF${t.replace(/\n/g, '\r\n')}`;

async function labelSection(options: { baseText: string; headText: string }) {
  const { ws } = await makeRepo({ objects, base: before, head: after, ...options });
  const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
  const section = markdown.slice(markdown.indexOf('### Label changes'), markdown.indexOf('### Scores'));
  return { section, json, ws };
}

describe('labels.csv saved with other line ends or byte-order mark than the base’s', () => {
  it('says why the pull request shows every line as changed, how many labels did, and the .gitattributes line', async () => {
    const { section, json } = await labelSection({ baseText: text(before), headText: excel(text(after)) });
    expect(json.labels.counts.changed).toBe(1);
    expect(json.labels.savedDifferently).toMatchObject({ everyLine: true, head: { lineEnds: 'windows', bom: true } });
    expect(section).toContain(
      '⚠️ labels.csv was saved with Windows line ends and a byte-order mark (as Excel’s “CSV UTF-8” saves it), where ' +
        '`main`’s has Unix line ends: the pull request’s “Files changed” shows every line as changed, but only 1 ' +
        'label changed: see the table below. Vitrine reads the labels the same either way. To keep the diff readable, ' +
        'a maintainer can add once a file named `.gitattributes` at the top of the repository with the line ' +
        '`labels.csv text eol=lf`: git and GitHub Desktop then store labels.csv with Unix line ends however the ' +
        'spreadsheet saved it.\n\n1 label changed',
    );
  });

  it('says nothing when both are saved alike', async () => {
    const { section, json } = await labelSection({ baseText: excel(text(before)), headText: excel(text(after)) });
    expect(json.labels.savedDifferently).toBeUndefined();
    expect(section).not.toContain('⚠️ labels.csv was saved');
  });

  it('says a byte-order mark alone changes only the first line, and gives no .gitattributes advice', async () => {
    const { section } = await labelSection({ baseText: text(before), headText: `\uFEFF${text(after)}` });
    expect(section).toContain(
      '⚠️ labels.csv was saved with a byte-order mark at its start (an invisible mark Excel’s “CSV UTF-8” adds), ' +
        'which `main`’s has not: the pull request’s “Files changed” shows its first line as changed, but only 1 label ' +
        'changed: see the table below. Vitrine reads the labels the same either way.\n\n',
    );
    expect(section).not.toContain('.gitattributes');
  });

  it('says so the other way too (Unix line ends over a base Excel saved), with the renormalising step', async () => {
    const { section } = await labelSection({ baseText: excel(text(before)), headText: text(after) });
    expect(section).toContain('⚠️ labels.csv was saved with Unix line ends, where `main`’s has Windows line ends:');
    expect(section).toContain(
      'As `main`’s labels.csv has Windows line ends, run `git add --renormalize labels.csv` once and commit it.',
    );
  });

  // A repository whose .gitattributes has the line already (vitrine init writes it): the file was committed without
  // git’s conversion, and adding the line again is not the advice.
  it('says how to commit instead when .gitattributes already asks for Unix line ends', async () => {
    const { ws } = await makeRepo({ objects, base: before, head: after, headText: excel(text(after)) });
    await writeFile(path.join(ws.root, '.gitattributes'), '*.csv text eol=lf\n');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.gitattributes'], { cwd: ws.root });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'attributes'], { cwd: ws.root });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.savedDifferently).toMatchObject({ everyLine: true, converted: true });
    expect(markdown).toContain(
      'Vitrine reads the labels the same either way. The repository’s `.gitattributes` asks git to store labels.csv ' +
        'with Unix line ends, but this commit was made without git’s conversion (the file uploaded or edited on a ' +
        'website, say): committed with GitHub Desktop or git, it is stored with Unix line ends.',
    );
    expect(markdown).not.toContain('a maintainer can add once');
  });

  // The advice, tried: with the .gitattributes line, git stores an Excel save with Unix line ends, and the report
  // (and the pull request’s diff) no longer see every line changed. The byte-order mark stays, on the first line.
  it('the .gitattributes line it advises makes git store labels.csv with Unix line ends', async () => {
    const { ws } = await makeRepo({ objects, base: before, head: before });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: ws.root, encoding: 'utf8' });
    await writeFile(path.join(ws.root, '.gitattributes'), 'labels.csv text eol=lf\n');
    await writeFile(ws.labels, excel(text(after)));
    git('add', '.gitattributes', 'labels.csv');
    git('commit', '-q', '-m', 'Saved by Excel');
    const stored = Buffer.from(git('show', 'HEAD:labels.csv'), 'utf8');
    expect(savedAs(stored)).toEqual({ lineEnds: 'unix', bom: true });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.savedDifferently).toMatchObject({ everyLine: false, head: { bom: true } });
    expect(markdown).toContain('shows its first line as changed, but only 1 label changed');
  });
});
