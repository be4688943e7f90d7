import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { savedAs, savedDifferently } from '../../pipeline/report/saved-as.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { examplePayload, runAction } from './run-action.ts';

/*
 * Two staff members edit labels at once: B branches, A's three corrections are merged into main, then B's pull
 * request (five other labels) is checked on the museum's runner. The trusted workflow runs on main's checkout and
 * takes only the data files from the head (read by the guard through the API): it must put B's changes on main's
 * newer labels.csv as GitHub's merge would, not copy B's whole file over it, which undid A's corrections and judged
 * that (a tester's report: "8 labels changed" where the merge changes 5). Real git repositories, the choose-runner
 * bundle against GitHub's REST on 127.0.0.1, and the steps' bash read from the workflow file itself.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STEP = "Put the pull request's data files in place";

let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

const rows = (labels: string[]) => `object_id,label\n${labels.map((l, i) => `DM-${i + 1},${l}\n`).join('')}`;
const START = ['coin', 'coin', 'mask', 'mask', 'print', 'print', 'vessel', 'vessel', 'textile', 'textile'];

type Edits = { labels: Record<number, string>; params?: [string, string][]; saved?: (text: string) => string };

/** A museum's repository: B's branch `fix` from the start, then A's corrections on main. */
async function twoStaff({ fix, main, start }: { fix: Edits; main: Edits; start?: [string, string][] }) {
  const repo = await tempDir('vitrine-data-merge-');
  const git = gitIn({ root: repo });
  const edit = async (edits: Edits, message: string) => {
    const now = (await readFile(path.join(repo, 'labels.csv'), 'utf8')).trim().split(/\r?\n/).slice(1);
    const labels = now.map((line) => line.split(',')[1]!);
    for (const [row, label] of Object.entries(edits.labels)) labels[Number(row) - 1] = label;
    await writeFile(path.join(repo, 'labels.csv'), (edits.saved ?? ((t: string) => t))(rows(labels)));
    let params = await readFile(path.join(repo, 'params.yaml'), 'utf8');
    for (const [from, to] of edits.params ?? []) {
      expect(params).toContain(from);
      params = params.replace(from, to);
    }
    await writeFile(path.join(repo, 'params.yaml'), params);
    git('commit', '-q', '-am', message);
  };
  git('init', '-q', '-b', 'master');
  await writeFile(path.join(repo, 'labels.csv'), rows(START));
  let params = await readFile(path.join(ROOT, 'params.yaml'), 'utf8');
  for (const [from, to] of start ?? []) params = params.replace(from, to);
  await writeFile(path.join(repo, 'params.yaml'), params);
  git('add', 'labels.csv', 'params.yaml');
  git('commit', '-q', '-m', 'start');
  git('switch', '-q', '-c', 'fix');
  await edit(fix, 'B: labels');
  git('switch', '-q', 'master');
  await edit(main, 'A: corrections');
  const sha = (ref: string) => git('rev-parse', ref).trim();
  const merged = await tempDir('vitrine-data-merge-real-');
  git('clone', '-q', repo, merged);
  const conflict = spawnSync('git', ['merge', '-q', '--no-edit', 'origin/fix'], {
    cwd: merged,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@x',
    },
  }).status;
  return {
    repo,
    head: sha('fix'),
    main: sha('master'),
    mergeBase: git('merge-base', 'master', 'fix').trim(),
    changed: git('diff', '--name-only', 'master...fix').trim().split('\n'),
    show: (ref: string, file: string) => git('show', `${ref}:${file}`),
    merged: conflict === 0 ? await readFile(path.join(merged, 'labels.csv'), 'utf8') : null,
    mergedParams: conflict === 0 ? await readFile(path.join(merged, 'params.yaml'), 'utf8') : null,
  };
}

/** The guard of the trusted workflow (the committed choose-runner bundle) on B's pull request; its data folder. */
async function guard(museum: Awaited<ReturnType<typeof twoStaff>>, { mergeBase }: { mergeBase?: string } = {}) {
  gh = await startFakeGitHub();
  const event = examplePayload('opened');
  const pr = event.pull_request as typeof event.pull_request & { base: { sha: string } };
  pr.head.sha = museum.head;
  pr.base.sha = museum.main;
  const changed = museum.changed.map((filename) => ({ filename, status: 'modified' }));
  gh.pullFiles.set(pr.number, changed);
  for (const sha of [museum.head, museum.main, museum.mergeBase]) {
    const files = ['labels.csv', 'params.yaml'].map((f) => [f, { type: 'file' as const, text: museum.show(sha, f) }]);
    gh.contents.set(sha, new Map(files as [string, { type: 'file'; text: string }][]));
  }
  gh.compare.set(`${museum.main}...${museum.head}`, mergeBase ?? museum.mergeBase);
  const workspace = await tempDir('vitrine-data-merge-guard-');
  const run = await runAction({
    name: 'choose-runner',
    inputs: { 'github-token': 'test-token', 'api-url': gh.url },
    event,
    eventName: 'pull_request_target',
    workspace,
    // The run's commit: the base branch's, which the runner jobs check out.
    extraEnv: { GITHUB_SHA: museum.main },
  });
  if (mergeBase !== undefined) return { data: '', event, run };
  expect(run.code, run.stdout).toBe(0);
  expect(run.outputs.trusted).toBe('true');
  expect(gh.invalid).toEqual([]);
  return { data: run.outputs['data-dir']!, event, run };
}

/** A job's step, run as the runner runs a bash step, in a clone of main (the job's checkout). */
async function runStep({ job, data, museum }: { job: string; data: string; museum: { repo: string; head: string } }) {
  const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'pull-request-data.yml'), 'utf8'));
  const step = (workflow.jobs[job].steps as { name?: string; run?: string }[]).find((s) => s.name === STEP)!;
  const checkout = await tempDir(`vitrine-data-merge-${job}-`);
  execFileSync('git', ['clone', '-q', '--branch', 'master', museum.repo, checkout]);
  const temp = await tempDir('vitrine-data-merge-temp-');
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: checkout,
    encoding: 'utf8',
    env: {
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
      HOME: temp,
      RUNNER_TEMP: temp,
      DATA: data,
      HEAD_SHA: museum.head,
      BASE_REF: 'master',
      // As setup-data sets it: Vitrine's command line, run by the Node it installed.
      VITRINE: path.join(ROOT, 'bin', 'vitrine.js'),
    },
  });
  const git = gitIn({ root: checkout });
  return { status: run.status, log: `${run.stdout}${run.stderr}`, checkout, git };
}

describe('the data files of a pull request whose branch is behind main', () => {
  it('are put on main’s newer files as the merge would be, in the shard and the pipeline job', async () => {
    const museum = await twoStaff({
      fix: {
        labels: { 1: 'medal', 2: 'medal', 3: 'amulet', 4: 'amulet', 5: 'poster' },
        params: [['  name: Vitrine Demo Museum', '  name: Museum of Antiquities']],
      },
      main: { labels: { 7: 'jar', 8: 'jar', 9: 'cloth' }, params: [['  per_type: 50', '  per_type: 60']] },
    });
    expect(museum.changed).toEqual(['labels.csv', 'params.yaml']);
    expect(museum.merged).not.toBeNull();
    const { data } = await guard(museum);
    for (const job of ['shard', 'pipeline']) {
      const { status, log, checkout, git } = await runStep({ job, data, museum });
      expect(status, log).toBe(0);
      const labels = await readFile(path.join(checkout, 'labels.csv'), 'utf8');
      // B's five labels on top of A's three corrections: what GitHub's merge of the pull request would hold.
      expect(labels, job).toBe(museum.merged);
      expect(labels).toContain('DM-8,jar\n');
      expect(labels).toContain('DM-1,medal\n');
      const params = await readFile(path.join(checkout, 'params.yaml'), 'utf8');
      expect(params).toBe(museum.mergedParams);
      expect(params).toContain('  name: Museum of Antiquities\n');
      expect(params).toContain('  per_type: 60\n');
      if (job === 'pipeline') {
        // Committed over main's commit: the report's label changes are the pull request's five, no more.
        const changed = git('diff', '--unified=0', 'HEAD~1', 'HEAD', '--', 'labels.csv')
          .split('\n')
          .filter((l) => /^\+DM-/.test(l));
        expect(changed).toEqual(['+DM-1,medal', '+DM-2,medal', '+DM-3,amulet', '+DM-4,amulet', '+DM-5,poster']);
        expect(git('log', '-1', '--format=%s')).toContain(museum.head);
      }
    }
  });

  // A reviewer: labels.csv saved by Excel (a byte-order mark, Windows line endings) differs from main on every line,
  // so any change main got meanwhile stopped the run as lines both changed.
  it('are merged whatever line endings and byte-order mark Excel saved them with', async () => {
    const museum = await twoStaff({
      fix: { labels: { 1: 'medal', 2: 'medal' }, saved: (text) => `\uFEFF${text.replace(/\n/g, '\r\n')}` },
      main: { labels: { 9: 'cloth' } },
    });
    expect(museum.show(museum.head, 'labels.csv')).toContain('\r\n');
    const { data } = await guard(museum);
    for (const job of ['shard', 'pipeline']) {
      const { status, log, checkout, git } = await runStep({ job, data, museum });
      expect(status, log).toBe(0);
      const labels = await readFile(path.join(checkout, 'labels.csv'), 'utf8');
      // Saved as the pull request saved it (T3 F7): the report compares it with main’s, and says why the pull
      // request shows every line as changed.
      const merged = rows(START.map((l, i) => (i < 2 ? 'medal' : i === 8 ? 'cloth' : l)));
      expect(labels).toBe(`\uFEFF${merged.replace(/\n/g, '\r\n')}`);
      if (job === 'pipeline') {
        const blob = (ref: string) => execFileSync('git', ['show', `${ref}:labels.csv`], { cwd: checkout });
        expect(savedDifferently({ base: blob('HEAD~1'), head: blob('HEAD') })).toMatchObject({ everyLine: true });
        expect(git('log', '-1', '--format=%s')).toContain(museum.head);
      }
    }
  });

  // Main’s .gitattributes converts labels.csv’s line endings (vitrine init writes the line): a file committed without
  // that conversion (uploaded on the website) is still committed as the pull request saved it, which its diff shows.
  it('are committed as the pull request saved them where .gitattributes would convert them', async () => {
    const museum = await twoStaff({
      fix: { labels: { 1: 'medal' }, saved: (text) => `\uFEFF${text.replace(/\n/g, '\r\n')}` },
      main: { labels: { 9: 'cloth' } },
    });
    const git = gitIn({ root: museum.repo });
    git('switch', '-q', 'master');
    await writeFile(path.join(museum.repo, '.gitattributes'), 'labels.csv text eol=lf\n');
    git('add', '.gitattributes');
    git('commit', '-q', '-m', 'attributes');
    const { data } = await guard(museum);
    const { status, log, checkout } = await runStep({ job: 'pipeline', data, museum });
    expect(status, log).toBe(0);
    const blob = (ref: string) => execFileSync('git', ['show', `${ref}:labels.csv`], { cwd: checkout });
    expect(savedAs(blob('HEAD'))).toEqual({ lineEnds: 'windows', bom: true });
    expect(savedDifferently({ base: blob('HEAD~1'), head: blob('HEAD') })).toMatchObject({ everyLine: true });
  });

  it('keep main’s line endings when the pull request’s labels.csv has them too', async () => {
    const museum = await twoStaff({ fix: { labels: { 1: 'medal' } }, main: { labels: { 9: 'cloth' } } });
    const { data } = await guard(museum);
    const { status, log, checkout } = await runStep({ job: 'pipeline', data, museum });
    expect(status, log).toBe(0);
    expect(await readFile(path.join(checkout, 'labels.csv'), 'utf8')).toBe(museum.merged);
  });

  // A reviewer: the guard handed over the head's params.yaml rewritten whole with main's verdict settings put back
  // (comments dropped, spacing changed), so a plain settings change beside main's newer folds stopped the run as a
  // conflict GitHub's merge would not have. The pipeline job's base-gate step keeps main's verdict settings.
  it('merge a settings change beside main’s newer verdict setting as GitHub would, without a conflict', async () => {
    const museum = await twoStaff({
      fix: { labels: { 1: 'medal' }, params: [['  seed: 7\n', '  seed: 8\n']] },
      main: { labels: { 9: 'cloth' }, params: [['  folds: 5 ', '  folds: 10']] },
    });
    expect(museum.mergedParams).not.toBeNull();
    const { data } = await guard(museum);
    for (const job of ['shard', 'pipeline']) {
      const { status, log, checkout } = await runStep({ job, data, museum });
      expect(status, log).toBe(0);
      expect(await readFile(path.join(checkout, 'params.yaml'), 'utf8')).toBe(museum.mergedParams);
    }
  });

  // A reviewer: GitHub's compare API answered no merge base; the guard's step failed with no comment and no status,
  // so the required gate waited at "Expected" with nothing on the pull request to say why.
  it('are not trained when GitHub does not say where the branch left main, and the pull request is told', async () => {
    const museum = await twoStaff({ fix: { labels: { 1: 'medal' } }, main: { labels: { 9: 'cloth' } } });
    const { run, event } = await guard(museum, { mergeBase: 'not a commit' });
    expect(run.code).not.toBe(0);
    expect(run.outputs.trusted).toBe('false');
    const comment = gh!.comments.get(event.pull_request.number)?.at(-1)?.body ?? '';
    expect(comment).toContain('could not be read where its branch left the base');
    expect(comment).toContain('names no merge base');
    const gate = gh!.statuses.find((st) => st.context === 'vitrine/gate' && st.sha === museum.head);
    expect(gate?.state).toBe('failure');
  });

  it('stop the run where both changed a line, naming the file and saying to update the branch', async () => {
    const museum = await twoStaff({
      fix: { labels: { 1: 'medal', 8: 'amphora' } },
      main: { labels: { 7: 'jar', 8: 'jar' } },
    });
    expect(museum.merged).toBeNull();
    const { data, event } = await guard(museum);
    for (const job of ['shard', 'pipeline']) {
      const { status, log, checkout, git } = await runStep({ job, data, museum });
      expect(status, job).not.toBe(0);
      expect(log).toMatch(/::error file=labels\.csv::labels\.csv: /);
      expect(log).toContain('update the pull request’s branch from master (Resolve conflicts');
      // Main's file as it was: nothing half-merged is left for a later step, nothing committed.
      expect(await readFile(path.join(checkout, 'labels.csv'), 'utf8')).toBe(museum.show(museum.main, 'labels.csv'));
      expect(git('rev-parse', 'HEAD').trim()).toBe(museum.main);
      // The note the report action posts on the pull request in the report's place.
      const note = JSON.parse(await readFile(path.join(checkout, '.vitrine', 'report', 'failure.json'), 'utf8'));
      expect(note).toMatchObject({ failed: true, code: 'PULL_REQUEST_MERGE_CONFLICT' });
      expect(note.message).toContain('labels.csv');
      const markdown = await readFile(path.join(checkout, '.vitrine', 'report', 'failure.md'), 'utf8');
      expect(markdown).toContain('## Vitrine could not check this pull request');
      expect(markdown).toContain('labels.csv');
      if (job !== 'pipeline') continue;
      // The pipeline job's report step (if: !cancelled()) posts it, and fails the gate.
      const report = await runAction({
        name: 'report',
        inputs: { 'github-token': 'test-token', 'api-url': gh!.url, 'status-context': 'vitrine/gate' },
        event,
        eventName: 'pull_request_target',
        workspace: checkout,
      });
      expect(report.code, report.stdout).not.toBe(0);
      const comments = gh!.comments.get(event.pull_request.number) ?? [];
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain(
        'labels.csv: this pull request and master both changed the same lines, in 1 place, since',
      );
      expect(gh!.statuses.filter((s) => s.context === 'vitrine/gate')).toEqual([
        expect.objectContaining({ sha: museum.head, state: 'failure' }),
      ]);
    }
  });

  // An attacker-tester (F7 #3): the guard checks the pull request's own params.yaml, but the run uses it merged into
  // main's newer one, which nothing checked again. Here each passes alone (each adds a named period), and merged
  // they name one period twice: the merged file is checked as the guard checks, and the run stops plainly.
  it('stop the run when params.yaml merged into main’s newer one fails the guard’s checks', async () => {
    const periods = '    New Kingdom: [-1550, -1070]\n    Late Period: [-664, -332]\n';
    const museum = await twoStaff({
      start: [
        ['  periods: {}', '  periods:'],
        ['  publish: pages', `${periods}  publish: pages`],
      ],
      fix: {
        labels: { 1: 'medal' },
        params: [
          ['    Late Period: [-664, -332]\n', '    Late Period: [-664, -332]\n    Middle Kingdom: [-2055, -1650]\n'],
        ],
      },
      main: {
        labels: { 9: 'cloth' },
        params: [['    New Kingdom:', '    Middle Kingdom: [-2050, -1710]\n    New Kingdom:']],
      },
    });
    // GitHub's merge is clean (no line both changed), and the guard passes the pull request's own file.
    expect(museum.mergedParams).toContain('Middle Kingdom: [-2050');
    expect(museum.mergedParams).toContain('Middle Kingdom: [-2055');
    const { data } = await guard(museum);
    for (const job of ['shard', 'pipeline']) {
      const { status, log, checkout, git } = await runStep({ job, data, museum });
      expect(status, job).not.toBe(0);
      expect(log).toContain(
        '::error file=params.yaml::params.yaml of this pull request, merged into master’s newer one, is refused:',
      );
      expect(log).toMatch(/Map keys must be unique|more than once|twice/);
      // Nothing is put in place, nothing committed.
      expect(await readFile(path.join(checkout, 'params.yaml'), 'utf8')).toBe(museum.show(museum.main, 'params.yaml'));
      expect(await readFile(path.join(checkout, 'labels.csv'), 'utf8')).toBe(museum.show(museum.main, 'labels.csv'));
      expect(git('rev-parse', 'HEAD').trim()).toBe(museum.main);
      const note = JSON.parse(await readFile(path.join(checkout, '.vitrine', 'report', 'failure.json'), 'utf8'));
      expect(note).toMatchObject({ failed: true, code: 'PULL_REQUEST_PARAMS_REFUSED' });
      expect(note.message).toContain('Update the pull request’s branch from master');
    }
  });

  it('stop the run when the merged params.yaml names a path or a custom backbone, as the guard would', async () => {
    const museum = await twoStaff({ fix: { labels: { 1: 'medal' } }, main: { labels: { 9: 'cloth' } } });
    // What the merge would give if a path or a model file got through (the guard itself refuses a pull request's).
    const data = await tempDir('vitrine-data-merge-bad-path-');
    await mkdir(path.join(data, 'merge-base'));
    await writeFile(path.join(data, 'merge-base', 'commit'), `${museum.mergeBase}\n`);
    await writeFile(path.join(data, 'merge-base', 'params.yaml'), museum.show(museum.mergeBase, 'params.yaml'));
    await writeFile(path.join(data, 'merge-base', 'labels.csv'), museum.show(museum.mergeBase, 'labels.csv'));
    await writeFile(path.join(data, 'labels.csv'), museum.show(museum.head, 'labels.csv'));
    const own = museum.show(museum.head, 'params.yaml');
    expect(own).toContain('  source: ""\n');
    await writeFile(
      path.join(data, 'params.yaml'),
      own
        .replace('  name: mobilenet_v2_mid\n', '  name: custom\n')
        .replace('  source: ""\n', '  source: /tmp/m.json\n')
        .replace('  site: ""\n', '  site: "https://elsewhere.example/"\n'),
    );
    for (const job of ['shard', 'pipeline']) {
      const { status, log, checkout, git } = await runStep({ job, data, museum });
      expect(status, job).not.toBe(0);
      expect(log).toContain('params.yaml sets a custom backbone');
      expect(log).toContain('params.yaml changes "catalogue.site" ("" → "https://elsewhere.example/")');
      expect(await readFile(path.join(checkout, 'params.yaml'), 'utf8')).toBe(museum.show(museum.main, 'params.yaml'));
      expect(git('rev-parse', 'HEAD').trim()).toBe(museum.main);
    }
  });

  it('stop the run when the guard wrote no merge base (an older choose-runner), copying nothing', async () => {
    const museum = await twoStaff({ fix: { labels: { 1: 'medal' } }, main: { labels: { 7: 'jar' } } });
    const data = await tempDir('vitrine-data-merge-old-guard-');
    await writeFile(path.join(data, 'labels.csv'), museum.show(museum.head, 'labels.csv'));
    for (const job of ['shard', 'pipeline']) {
      const { status, log, checkout } = await runStep({ job, data, museum });
      expect(status, job).not.toBe(0);
      expect(log).toContain('same version of Vitrine’s actions');
      expect(await readFile(path.join(checkout, 'labels.csv'), 'utf8')).toBe(museum.show(museum.main, 'labels.csv'));
    }
  });

  it('are merged by the same script in the shard and the pipeline job, the pipeline job then commits', async () => {
    const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'pull-request-data.yml'), 'utf8'));
    const run = (job: string) =>
      (workflow.jobs[job].steps as { name?: string; run?: string }[]).find((s) => s.name === STEP)!.run!;
    expect(run('pipeline').startsWith(run('shard'))).toBe(true);
    expect(run('shard')).toContain('git merge-file');
    expect(run('pipeline').slice(run('shard').length)).toContain('commit --allow-empty');
  });
});
