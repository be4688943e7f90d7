import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { parseGtoTag } from '../../pipeline/registry/gto.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { promotionRetry, pushRegistryTags, rollbackRetry } from '../../pipeline/registry/push.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  type Fixture,
  promoteStandIn,
  publicationWith,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  steppingClock,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * An outside tester of the workflows: two runners promoting at once (or a promotion on one and a rollback on
 * another: the merge and rollback workflows queue apart on purpose) each pushed the registry's tags with a plain
 * `git push origin --tags`. The second push was refused (the first runner had taken the same tag names), or, tags
 * being pushed one by one, half of it landed: a rollback's new assignment on GitHub without its unassignment.
 * Here: a bare "origin" repository and two clones of it standing in for the two runners, real git throughout.
 */

const newRepo = repoPerTest();
const NAME = 'collection-classifier';

interface Runner extends Fixture {
  log: ReturnType<typeof memoryLogger>;
}

/** origin.git with v1.0.0 promoted and pushed, and `names` clones of it, each with the stages' outputs (not in git). */
async function origin(...names: string[]): Promise<{ f: Fixture; bare: string; runners: Runner[] }> {
  const f = await promoteStandIn(await newRepo());
  const bare = path.join(f.parent, 'origin.git');
  sh(f.parent, 'init', '-q', '--bare', bare);
  sh(f.root, 'remote', 'add', 'origin', bare);
  sh(f.root, 'push', '-q', 'origin', 'main', '--tags');
  const runners: Runner[] = [];
  for (const name of names) {
    const root = path.join(f.parent, name);
    sh(f.parent, 'clone', '-q', bare, root);
    await cp(path.join(f.root, '.vitrine'), path.join(root, '.vitrine'), { recursive: true });
    await cp(path.join(f.root, '.dvc', 'config'), path.join(root, '.dvc', 'config'));
    runners.push({ ...f, root, ws: workspace(root), log: memoryLogger() });
  }
  return { f, bare, runners };
}

/** A merge on main that relabels one object (pushed from the runner, which stays on it), as a pull request does. */
async function merge(runner: Runner, object: string, label: string): Promise<string> {
  sh(runner.root, 'pull', '-q', '--ff-only', 'origin', 'main');
  const labels = await readFile(runner.ws.labels, 'utf8');
  await writeFile(runner.ws.labels, labels.replace(new RegExp(`^${object},.*$`, 'm'), `${object},${label}`));
  sh(runner.root, 'commit', '-q', '-am', `Relabel ${object}`);
  sh(runner.root, 'push', '-q', 'origin', 'main');
  return sh(runner.root, 'rev-parse', 'HEAD');
}

/** `vitrine run promote` on the runner: its own stand-in model (predicting `predicts`), evaluated and promoted. */
async function promoteOn(runner: Runner, predicts: string): Promise<string> {
  await writeDataset({ ws: runner.ws });
  await writeModel({ ws: runner.ws, predicts });
  await writeMetrics({ ws: runner.ws, params: runner.params, publication: publicationWith(everyLabel(0.8)) });
  const ctx = {
    ...stageContext(runner, { log: runner.log }),
    clock: steppingClock(Date.parse('2026-03-02T10:00:00Z')),
  };
  return (await promote({ ctx, predict: standInPredict })).version;
}

/** `vitrine models rollback` on the runner. */
async function rollbackOn(runner: Runner, version: string): Promise<void> {
  await rollbackAndPublish({
    ws: runner.ws,
    params: runner.params,
    version,
    reason: 'misreads masks',
    clock: steppingClock(Date.parse('2026-03-03T10:00:00Z')),
    log: runner.log,
    env: {},
    predict: standInPredict,
  });
}

/** The workflows’ push step (`vitrine models push --retry …`) on the runner; it throws when it fails. */
async function push(runner: Runner, retry: 'promote' | { rollback: string }): Promise<{ retried: number }> {
  const ctx = {
    ...stageContext(runner, { log: runner.log }),
    clock: steppingClock(Date.parse('2026-03-04T10:00:00Z')),
  };
  return await pushRegistryTags({
    dir: runner.root,
    name: NAME,
    env: process.env,
    log: runner.log,
    retry:
      retry === 'promote'
        ? promotionRetry({ ctx, predict: standInPredict })
        : rollbackRetry({ ctx, version: retry.rollback, reason: 'misreads masks', predict: standInPredict }),
  });
}

/**
 * The registry as a fresh clone of origin reads it. `git fsck` of origin must be clean, and each `#N` counter used
 * once: GTO orders a model's events by them, and two runs that each wrote `#3` leave an order nobody decided.
 */
async function originRegistry({ f, bare }: { f: Fixture; bare: string }) {
  sh(bare, 'fsck', '--no-dangling');
  const counters = sh(bare, 'tag', '--list', `${NAME}*`)
    .split('\n')
    .map((tag) => parseGtoTag(tag)?.counter)
    .filter((n) => n !== undefined);
  expect(counters.length).toBeGreaterThan(0);
  expect(new Set(counters).size, counters.join(' ')).toBe(counters.length);
  const check = path.join(f.parent, `check-${Date.now()}`);
  sh(f.parent, 'clone', '-q', bare, check);
  return readRegistry({ dir: check, name: NAME });
}

describe('two runners promoting at once', () => {
  it('both push: the second registers again under the next number, and the newer version is in production', async () => {
    const { f, bare, runners } = await origin('runner-a', 'runner-b');
    const [a, b] = runners as [Runner, Runner];
    const first = await merge(a, 'obj-001', 'mask');
    await merge(b, 'obj-002', 'vessel');
    const second = sh(b.root, 'rev-parse', 'HEAD');
    // Both runners register the same next number, each on its own merge.
    expect(await promoteOn(a, 'mask')).toBe('v1.1.0');
    expect(await promoteOn(b, 'vessel')).toBe('v1.1.0');

    await push(a, 'promote');
    await push(b, 'promote');

    const registry = await originRegistry({ f, bare });
    expect(registry.versions.map((v) => [v.version, v.commit])).toEqual([
      ['v1.0.0', sh(f.root, 'rev-parse', 'HEAD')],
      ['v1.1.0', first],
      ['v1.2.0', second],
    ]);
    expect(registry.stages).toEqual({ prod: 'v1.2.0' });
    expect(b.log.lines.map((l) => l.message)).toContain(
      'Another run registered v1.1.0 first; registered again as v1.2.0 and pushed.',
    );
    // The runner’s own record (what its catalogue is built from) is the registry on origin.
    const versions = JSON.parse(await readFile(path.join(b.ws.registry, 'versions.json'), 'utf8'));
    expect(versions.prod).toBe('v1.2.0');
    // The reviewer: what v1.2.0 changed is told against the v1.1.0 the public saw (a’s, “mask”), not against this
    // run’s own v1.1.0 that was never pushed (“vessel”: nothing changed).
    const changes = JSON.parse(await readFile(path.join(b.ws.registry, 'annotation-changes.json'), 'utf8'));
    expect([changes.version, changes.previous, changes.changed > 0]).toEqual(['v1.2.0', 'v1.1.0', true]);
    expect(changes.objects[0]).toMatchObject({ before: 'mask', after: 'vessel' });
    sh(b.root, 'fsck', '--no-dangling');
  });
  // The older merge's run pushing last took production (the next number) with the older labels: it now pushes
  // nothing, and says why.
  it('the older merge’s runner pushing last: nothing pushed, the newer merge keeps production', async () => {
    const { f, bare, runners } = await origin('runner-a', 'runner-b');
    const [a, b] = runners as [Runner, Runner];
    const first = await merge(a, 'obj-001', 'mask');
    await merge(b, 'obj-002', 'vessel');
    const second = sh(b.root, 'rev-parse', 'HEAD');
    expect(await promoteOn(a, 'mask')).toBe('v1.1.0');
    expect(await promoteOn(b, 'vessel')).toBe('v1.1.0');

    await push(b, 'promote');
    const error = await push(a, 'promote').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_OLDER_COMMIT', data: { commit: first } });

    const registry = await originRegistry({ f, bare });
    expect(registry.versions.map((v) => [v.version, v.commit])).toEqual([
      ['v1.0.0', sh(f.root, 'rev-parse', 'HEAD')],
      ['v1.1.0', second],
    ]);
    expect(registry.stages).toEqual({ prod: 'v1.1.0' });
  });

  it('keeps one version for one merge when two runners promoted the same commit', async () => {
    const { f, bare, runners } = await origin('runner-a', 'runner-b');
    const [a, b] = runners as [Runner, Runner];
    const commit = await merge(a, 'obj-001', 'mask');
    sh(b.root, 'pull', '-q', '--ff-only', 'origin', 'main');
    // Trained twice (another machine rounds differently): other weights, same data, labels and params.
    expect(await promoteOn(a, 'mask')).toBe('v1.1.0');
    expect(await promoteOn(b, 'mask')).toBe('v1.1.0');

    await push(a, 'promote');
    await push(b, 'promote');

    const registry = await originRegistry({ f, bare });
    expect(registry.versions.map((v) => [v.version, v.commit])).toEqual([
      ['v1.0.0', sh(f.root, 'rev-parse', 'HEAD')],
      ['v1.1.0', commit],
    ]);
    expect(registry.stages).toEqual({ prod: 'v1.1.0' });
    expect(b.log.lines.map((l) => l.message)).toContain(
      'Another run registered v1.1.0 first; v1.1.0 stands for this run’s model, so nothing new was registered: ' +
        'nothing is left to push.',
    );
    expect(sh(b.root, 'tag', '--list', `${NAME}*`)).toBe(sh(bare, 'tag', '--list', `${NAME}*`));
  });
});

/** v1.1.0 promoted and pushed from runner a; runner b (the rollback’s) and c (the next merge’s) start from it. */
async function withV110() {
  const o = await origin('runner-a', 'runner-b', 'runner-c');
  const [a, b, c] = o.runners as [Runner, Runner, Runner];
  await merge(a, 'obj-001', 'mask');
  expect(await promoteOn(a, 'mask')).toBe('v1.1.0');
  await push(a, 'promote');
  for (const r of [b, c]) sh(r.root, 'pull', '-q', '--tags', 'origin', 'main');
  await writeDataset({ ws: b.ws });
  return { ...o, b, c };
}

describe('a rollback racing a promotion', () => {
  it('ends with the rollback’s version in production when the promotion pushed first', async () => {
    const o = await withV110();
    const { b: rolling, c: promoting } = o;
    await merge(promoting, 'obj-002', 'vessel');
    expect(await promoteOn(promoting, 'vessel')).toBe('v1.2.0');
    await rollbackOn(rolling, 'v1.0.0');

    await push(promoting, 'promote');
    await push(rolling, { rollback: 'v1.0.0' });

    const registry = await originRegistry(o);
    expect(registry.versions.map((v) => v.version)).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0']);
    expect(registry.stages).toEqual({ prod: 'v1.0.0' });
    expect(rolling.log.lines.map((l) => l.message)).toContain(
      'Another run registered v1.2.0 first; put v1.0.0 back in production again and pushed.',
    );
    const annotations = JSON.parse(await readFile(path.join(rolling.ws.registry, 'annotations.json'), 'utf8'));
    expect(annotations[0].modelVersion).toBe('v1.0.0');
  });

  it('lets the merge that comes after a rollback take production, as promotion does, when the rollback pushed first', async () => {
    const o = await withV110();
    const { b: rolling, c: promoting } = o;
    await merge(promoting, 'obj-002', 'vessel');
    expect(await promoteOn(promoting, 'vessel')).toBe('v1.2.0');
    await rollbackOn(rolling, 'v1.0.0');

    await push(rolling, { rollback: 'v1.0.0' });
    await push(promoting, 'promote');

    const registry = await originRegistry(o);
    expect(registry.versions.map((v) => v.version)).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0']);
    // The rollback took v1.1.0 away; v1.2.0 is a new model, promoted after it as any later merge would be.
    expect(registry.stages).toEqual({ prod: 'v1.2.0' });
    expect(registry.versions.find((v) => v.version === 'v1.1.0')?.assigned).toEqual([]);
    expect(promoting.log.lines.map((l) => l.message)).toContain(
      'Another run rolled production back to v1.0.0 first; registered again as v1.2.0 and pushed.',
    );
  });
});

/**
 * A pre-receive hook on origin that holds each push until two have arrived: both runners have read origin's tags
 * (`git ls-remote`) and sent their pushes before either lands, the window an outside tester hit with two clones.
 * Returns how many pushes reached origin.
 */
async function bothInFlight(bare: string): Promise<() => Promise<number>> {
  const barrier = path.join(bare, 'arrived');
  await mkdir(barrier);
  const hook = path.join(bare, 'hooks', 'pre-receive');
  await writeFile(
    hook,
    '#!/bin/sh\ncat >/dev/null\n' +
      `touch "${barrier}/$$"\n` +
      'i=0\n' +
      `while [ "$(ls "${barrier}" | wc -l)" -lt 2 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n`,
    { mode: 0o755 },
  );
  return async () => (await readdir(barrier)).length;
}

/** Which of two racing pushes landed as it was (retried 0) and which was done again on top of it (retried 1). */
function winnerAndLoser<T>(runs: [T, { retried: number }][]): { winner: T; loser: T } {
  expect(runs.map(([, r]) => r.retried).sort()).toEqual([0, 1]);
  const winner = runs.find(([, r]) => r.retried === 0)![0];
  const loser = runs.find(([, r]) => r.retried === 1)![0];
  return { winner, loser };
}

describe('two pushes in flight at once', () => {
  it('two rollbacks to different versions: one lands, the other is done again on top of it', async () => {
    // Tester T4 F9: v1.1.0 in production, v1.2.0 registered; one rollback to v1.0.0 (unassign v1.1.0, assign
    // v1.0.0) and one to v1.2.0 (assign v1.2.0) share no tag name, and both landed: counter #6 used twice, and the
    // rollback to v1.0.0, reported done, lost.
    const o = await origin('runner-a', 'runner-b', 'runner-c');
    const [a, b, c] = o.runners as [Runner, Runner, Runner];
    await merge(a, 'obj-001', 'mask');
    expect(await promoteOn(a, 'mask')).toBe('v1.1.0');
    await push(a, 'promote');
    sh(c.root, 'fetch', '-q', '--tags', 'origin');
    await merge(c, 'obj-002', 'vessel');
    expect(await promoteOn(c, 'vessel')).toBe('v1.2.0');
    await push(c, 'promote');
    sh(a.root, 'pull', '-q', '--tags', 'origin', 'main');
    await writeDataset({ ws: a.ws });
    await rollbackOn(a, 'v1.1.0');
    await push(a, { rollback: 'v1.1.0' });
    for (const r of [b, c]) {
      sh(r.root, 'pull', '-q', '--tags', 'origin', 'main');
      await writeDataset({ ws: r.ws });
    }
    expect((await originRegistry(o)).stages).toEqual({ prod: 'v1.1.0' });
    await rollbackOn(b, 'v1.0.0');
    await rollbackOn(c, 'v1.2.0');
    const arrived = await bothInFlight(o.bare);

    const runs: [[Runner, string], { retried: number }][] = await Promise.all([
      push(b, { rollback: 'v1.0.0' }).then((r) => [[b, 'v1.0.0'], r] as [[Runner, string], { retried: number }]),
      push(c, { rollback: 'v1.2.0' }).then((r) => [[c, 'v1.2.0'], r] as [[Runner, string], { retried: number }]),
    ]);

    expect(await arrived()).toBe(3);
    const { winner, loser } = winnerAndLoser(runs);
    const [winnerRunner, winnerVersion] = winner;
    const [loserRunner, loserVersion] = loser;
    // As one after the other: the rollback pushed last is the maintainer’s last word, and it says so.
    const registry = await originRegistry(o);
    expect(registry.stages).toEqual({ prod: loserVersion });
    expect(loserRunner.log.lines.map((l) => l.message)).toContain(
      `Another run rolled production back to ${winnerVersion} first; put ${loserVersion} back in production again ` +
        'and pushed.',
    );
    expect(winnerRunner.log.lines.map((l) => l.message).some((m) => /^Pushed [12] tags? of /.test(m))).toBe(true);
    const versions = JSON.parse(await readFile(path.join(loserRunner.ws.registry, 'versions.json'), 'utf8'));
    expect(versions.prod).toBe(loserVersion);
  });

  it('a promotion and a rollback: one lands, the other is done again on top of it', async () => {
    // The promotion writes @v1.2.0 and #prod#N, the rollback #prod!#N and #prod#N+1: no tag name in common.
    const o = await withV110();
    const { b: rolling, c: promoting } = o;
    await merge(promoting, 'obj-002', 'vessel');
    expect(await promoteOn(promoting, 'vessel')).toBe('v1.2.0');
    await rollbackOn(rolling, 'v1.0.0');
    const arrived = await bothInFlight(o.bare);

    const runs: ['promotion' | 'rollback', { retried: number }][] = await Promise.all([
      push(promoting, 'promote').then((r) => ['promotion', r] as ['promotion', { retried: number }]),
      push(rolling, { rollback: 'v1.0.0' }).then((r) => ['rollback', r] as ['rollback', { retried: number }]),
    ]);

    expect(await arrived()).toBe(3);
    const { loser } = winnerAndLoser(runs);
    const registry = await originRegistry(o);
    expect(registry.versions.map((v) => v.version)).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0']);
    if (loser === 'rollback') {
      expect(registry.stages).toEqual({ prod: 'v1.0.0' });
      expect(rolling.log.lines.map((l) => l.message)).toContain(
        'Another run registered v1.2.0 first; put v1.0.0 back in production again and pushed.',
      );
    } else {
      expect(registry.stages).toEqual({ prod: 'v1.2.0' });
      expect(promoting.log.lines.map((l) => l.message)).toContain(
        'Another run rolled production back to v1.0.0 first; registered again as v1.2.0 and pushed.',
      );
    }
  });
});

describe('a push that cannot succeed by trying again', () => {
  /** A runner with v1.1.0 promoted and not pushed, and a retry that counts its runs. */
  async function unpushed() {
    const o = await origin('runner-a');
    const [a] = o.runners as [Runner];
    await merge(a, 'obj-001', 'mask');
    expect(await promoteOn(a, 'mask')).toBe('v1.1.0');
    const retry = { runs: 0, run: async () => `did it again (${++retry.runs})` };
    const tagsBefore = sh(a.root, 'tag', '--list');
    return { ...o, a, retry, tagsBefore };
  }

  it('fails at once, in plain words, when the remote cannot be reached', async () => {
    const { a, retry, tagsBefore } = await unpushed();
    sh(a.root, 'remote', 'set-url', 'origin', path.join(a.parent, 'no-such-origin.git'));
    const error = await pushRegistryTags({ dir: a.root, name: NAME, env: process.env, log: a.log, retry }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TAGS_REMOTE_UNREACHABLE' });
    expect((error as Error).message).toMatch(
      /^Could not read the tags of the git remote "origin": fatal: .*no-such-origin/,
    );
    expect((error as Error).message).toContain('Nothing was pushed and it is not tried again');
    expect(retry.runs).toBe(0);
    // Its tags are kept for a later push.
    expect(sh(a.root, 'tag', '--list')).toBe(tagsBefore);
  });

  it('fails at once when the remote refuses the tags (no right to push them), and pushes none of them', async () => {
    const o = await unpushed();
    const { a, retry, bare } = o;
    const hook = path.join(bare, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "You may not push tags here" >&2\nexit 1\n', { mode: 0o755 });
    const onOriginBefore = sh(bare, 'tag', '--list');
    const error = await pushRegistryTags({ dir: a.root, name: NAME, env: process.env, log: a.log, retry }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TAGS_PUSH_REFUSED' });
    expect((error as Error).message).toContain('refused the model’s tags (collection-classifier');
    expect((error as Error).message).toContain('pre-receive hook declined');
    expect(retry.runs).toBe(0);
    expect(sh(bare, 'tag', '--list')).toBe(onOriginBefore);
    expect(sh(a.root, 'tag', '--list')).toBe(o.tagsBefore);
  });

  it('names the head ref when the remote refuses only it (a rule for refs outside branches and tags)', async () => {
    const o = await unpushed();
    const { a, retry, bare } = o;
    const hook = path.join(bare, 'hooks', 'update');
    await writeFile(hook, '#!/bin/sh\ncase "$1" in refs/tags/*) exit 0;; esac\necho "no such refs" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const onOriginBefore = sh(bare, 'tag', '--list');
    const error = await pushRegistryTags({ dir: a.root, name: NAME, env: process.env, log: a.log, retry }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TAGS_PUSH_REFUSED' });
    expect((error as Error).message).toContain(
      'refs/vitrine/registry/collection-classifier.head: remote rejected (hook declined); Vitrine moves this ref',
    );
    expect(retry.runs).toBe(0);
    expect(sh(bare, 'tag', '--list')).toBe(onOriginBefore);
  });

  it('without a retry, says that another run pushed first and how to do it again, and pushes nothing', async () => {
    const o = await origin('runner-a', 'runner-b');
    const [a, b] = o.runners as [Runner, Runner];
    await merge(a, 'obj-001', 'mask');
    await merge(b, 'obj-002', 'vessel');
    await promoteOn(a, 'mask');
    await promoteOn(b, 'vessel');
    await push(a, 'promote');
    const onOrigin = sh(o.bare, 'tag', '--list');
    const error = await pushRegistryTags({ dir: b.root, name: NAME, env: process.env, log: b.log }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TAGS_REMOTE_MOVED' });
    expect((error as Error).message).toContain('vitrine models push --retry promote');
    expect(sh(o.bare, 'tag', '--list')).toBe(onOrigin);
  });

  it('pushes only the model’s own tags, not other tags of the clone', async () => {
    const { a, bare } = await unpushed();
    sh(a.root, 'tag', '-a', '-m', 'Release', 'release-2026');
    sh(a.root, 'tag', '-a', '-m', 'Another model', 'collection-classifier-v2@v1.0.0');
    await pushRegistryTags({ dir: a.root, name: NAME, env: process.env, log: a.log });
    const onOrigin = sh(bare, 'tag', '--list').split('\n');
    expect(onOrigin).toContain('collection-classifier@v1.1.0');
    expect(onOrigin).not.toContain('release-2026');
    expect(onOrigin).not.toContain('collection-classifier-v2@v1.0.0');
    expect(a.log.lines.map((l) => l.message)).toContain('Pushed 2 tags of collection-classifier to "origin".');
    // The same push moved the model’s head ref (outside refs/tags/) to its newest tag, the assignment.
    const head = sh(bare, 'cat-file', '-p', 'refs/vitrine/registry/collection-classifier.head');
    expect(head).toMatch(/^tag collection-classifier#prod#\d+$/m);
  });
});
