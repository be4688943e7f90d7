import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { formatRollback, formatVersionDetail, formatVersionList } from '../../pipeline/registry/format.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { listVersions, showVersion } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  type Fixture,
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
 * Tester T10: after `models rollback v1.1.0` ("misreads masks as figurines") the withdrawn version's card said only
 * "Not in production", `models show` and `models list` gave no date or reason, the card of the version put back
 * said "Put in production" on its first promotion's date, and nothing said the labels the withdrawn version learnt
 * were still on main, to be learnt again by the next merge. Real repository, tags and folder remote.
 */

const newRepo = repoPerTest();
const REASON = 'misreads masks as figurines';

async function promoteVersion(f: Fixture, predicts: string): Promise<void> {
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts });
  await writeMetrics({ ws: f.ws, params: f.params });
  await promote({ ctx: stageContext(f), predict: standInPredict });
}

/** v1.0.0, then two masks relabelled as vessels and v1.1.0 promoted, then rolled back to v1.0.0. */
async function rolledBack(f: Fixture) {
  await promoteVersion(f, 'coin');
  const before = sh(f.root, 'rev-parse', 'HEAD');
  const text = await readFile(f.ws.labels, 'utf8');
  await writeFile(
    f.ws.labels,
    text.replace('obj-002,mask', 'obj-002,vessel').replace('obj-005,mask', 'obj-005,vessel'),
  );
  sh(f.root, 'commit', '-q', '-am', 'Relabel two masks');
  const after = sh(f.root, 'rev-parse', 'HEAD');
  await promoteVersion(f, 'vessel');
  await writeDataset({ ws: f.ws });
  const result = await rollbackAndPublish({
    ws: f.ws,
    params: f.params,
    version: 'v1.0.0',
    reason: REASON,
    clock: steppingClock(Date.parse('2026-04-01T00:00:00Z')),
    log: memoryLogger(),
    predict: standInPredict,
  });
  return { result, before, after };
}

describe('a rollback is remembered', () => {
  it('says the labels the withdrawn version learnt are still on main and which change to revert', async () => {
    const f = await newRepo();
    const { result, before, after } = await rolledBack(f);
    const said = formatRollback({ result, reason: REASON });
    expect(said).toContain(
      'The labels v1.1.0 learnt from are still in labels.csv: the next merge trains on them again unless the ' +
        'change that made v1.1.0 worse is reverted.',
    );
    expect(said).toContain(
      'The 2 objects v1.1.0 learnt with other labels than v1.0.0 still have those labels in labels.csv',
    );
    expect(said).toContain(`git diff ${before.slice(0, 7)} ${after.slice(0, 7)} -- labels.csv`);
  });

  it('records the withdrawal and the version put back in models show, models list and versions.json', async () => {
    const f = await newRepo();
    await rolledBack(f);
    const versions = await listVersions({ ws: f.ws, params: f.params });
    const withdrawn = versions.find((v) => v.version === 'v1.1.0')!;
    const putBack = versions.find((v) => v.version === 'v1.0.0')!;
    expect(withdrawn.withdrawn).toMatchObject({ reason: REASON, by: 'v1.0.0' });
    expect(withdrawn.withdrawn!.date).toMatch(/^2026-04-01T/);
    expect(putBack.putBack).toMatchObject({ from: 'v1.1.0', reason: REASON });
    expect(putBack.withdrawn).toBeUndefined();

    const show = formatVersionDetail({ record: await showVersion({ ws: f.ws, params: f.params, version: 'v1.1.0' }) });
    expect(show).toContain(`Withdrawn from production on 2026-04-01: ${REASON} (v1.0.0 put back in its place)`);
    const back = formatVersionDetail({ record: await showVersion({ ws: f.ws, params: f.params, version: 'v1.0.0' }) });
    expect(back).toContain(`Put back in production on 2026-04-01 in place of v1.1.0: ${REASON}`);
    const list = formatVersionList({ name: f.params.registry.model_name, versions });
    expect(list).toContain(`v1.1.0: Withdrawn from production on 2026-04-01: ${REASON}`);
    expect(list).toContain('v1.0.0: Put back in production on 2026-04-01 in place of v1.1.0');

    const file = JSON.parse(await readFile(path.join(f.ws.registry, 'versions.json'), 'utf8'));
    const entry = (v: string) => file.versions.find((e: { version: string }) => e.version === v);
    expect(entry('v1.1.0').withdrawn).toMatchObject({ reason: REASON, by: 'v1.0.0' });
    expect(entry('v1.0.0').putBack).toMatchObject({ from: 'v1.1.0', reason: REASON });
  });

  it('says so on the model cards of the withdrawn version and of the one put back', async () => {
    const f = await newRepo();
    await rolledBack(f);
    const card = (v: string, ext: string) => readFile(path.join(f.ws.registry, 'cards', `${v}.${ext}`), 'utf8');
    expect(await card('v1.1.0', 'md')).toContain(
      `**Withdrawn from production on 2026-04-01: ${REASON}.** v1.0.0 was put back in its place.`,
    );
    expect(await card('v1.0.0', 'md')).toContain(
      `**Put back in production on 2026-04-01 in place of v1.1.0:** ${REASON}.`,
    );
    expect(JSON.parse(await card('v1.1.0', 'json')).withdrawn).toMatchObject({ reason: REASON, by: 'v1.0.0' });
    expect(JSON.parse(await card('v1.0.0', 'json')).putBack).toMatchObject({ from: 'v1.1.0' });
  });
});

/*
 * Reviewer V16: v1.0.0, v1.1.0 (relabels obj-002), v1.2.0 (relabels obj-005, the bad one), rolled back to v1.1.0,
 * then to v1.0.0. The second rollback named only v1.1.0's change: v1.2.0's was still in labels.csv, unsaid. And a
 * version put back kept "Put back in production … in place of …" after production moved on to another version.
 */
async function relabel(f: Fixture, from: string, to: string): Promise<string> {
  const text = await readFile(f.ws.labels, 'utf8');
  await writeFile(f.ws.labels, text.replace(from, to));
  sh(f.root, 'commit', '-q', '-am', `Relabel ${from}`);
  return sh(f.root, 'rev-parse', 'HEAD');
}

async function rollBackTo(f: Fixture, version: string, reason: string, date: string) {
  await writeDataset({ ws: f.ws });
  return rollbackAndPublish({
    ws: f.ws,
    params: f.params,
    version,
    reason,
    clock: steppingClock(Date.parse(date)),
    log: memoryLogger(),
    predict: standInPredict,
  });
}

/** Three versions, each relabelling one mask, rolled back twice: to v1.1.0, then to v1.0.0. */
async function rolledBackTwice(f: Fixture) {
  await promoteVersion(f, 'coin');
  const v1 = sh(f.root, 'rev-parse', 'HEAD');
  const v2 = await relabel(f, 'obj-002,mask', 'obj-002,vessel');
  await promoteVersion(f, 'vessel');
  const v3 = await relabel(f, 'obj-005,mask', 'obj-005,vessel');
  await promoteVersion(f, 'mask');
  await rollBackTo(f, 'v1.1.0', 'v1.2.0 misreads masks', '2026-04-01T00:00:00Z');
  const second = await rollBackTo(f, 'v1.0.0', 'v1.1.0 is no better', '2026-04-02T00:00:00Z');
  return { second, commits: { v1, v2, v3 } };
}

describe('two rollbacks in a row, and production moving on after a rollback', () => {
  it('names the label changes of every version withdrawn since the one put back, each with its own', async () => {
    const f = await newRepo();
    const { second, commits } = await rolledBackTwice(f);
    const said = formatRollback({ result: second });
    expect(said).toContain('The labels v1.1.0 and v1.2.0 learnt from are still in labels.csv');
    expect(said).toContain(
      `The one object v1.1.0 learnt with other labels than v1.0.0 still has those labels in labels.csv ` +
        `(git diff ${commits.v1.slice(0, 7)} ${commits.v2.slice(0, 7)} -- labels.csv lists those changes)`,
    );
    expect(said).toContain(
      `the one object v1.2.0 learnt with other labels than v1.1.0 still has those labels in labels.csv ` +
        `(git diff ${commits.v2.slice(0, 7)} ${commits.v3.slice(0, 7)} -- labels.csv lists those changes)`,
    );
  });

  it('says when production moved on from a version put back, by a promotion', async () => {
    const f = await newRepo();
    await rolledBackTwice(f);
    await relabel(f, 'obj-005,vessel', 'obj-005,mask');
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params });
    const ctx = { ...stageContext(f), clock: steppingClock(Date.parse('2026-05-03T00:00:00Z')) };
    await promote({ ctx, predict: standInPredict });
    const versions = await listVersions({ ws: f.ws, params: f.params });
    expect(versions.find((v) => v.stages.includes('prod'))?.version).toBe('v1.3.0');
    const putBack = 'Put back in production on 2026-04-02 in place of v1.1.0';
    const replaced = 'Replaced in production by v1.3.0 on 2026-05-03';
    const list = formatVersionList({ name: f.params.registry.model_name, versions });
    expect(list).toContain(`v1.0.0: ${putBack}: v1.1.0 is no better. ${replaced}\n`);
    const show = formatVersionDetail({ record: await showVersion({ ws: f.ws, params: f.params, version: 'v1.0.0' }) });
    expect(show).toContain(`put back  ${putBack}: v1.1.0 is no better. ${replaced}`);
    const card = await readFile(path.join(f.ws.registry, 'cards', 'v1.0.0.md'), 'utf8');
    expect(card).toContain(`**${putBack}:** v1.1.0 is no better. ${replaced}.`);
    const file = JSON.parse(await readFile(path.join(f.ws.registry, 'versions.json'), 'utf8'));
    expect(file.versions.find((e: { version: string }) => e.version === 'v1.0.0').putBack).toMatchObject({
      from: 'v1.1.0',
      replacedBy: 'v1.3.0',
    });
  });

  it('says when production moved on from a version put back, by a prod tag made by hand (GTO)', async () => {
    const f = await newRepo();
    await rolledBackTwice(f);
    const name = f.params.registry.model_name;
    const commit = sh(f.root, 'rev-list', '-n1', `${name}@v1.1.0`);
    execFileSync(
      'git',
      [
        '-c',
        'user.name=Curator',
        '-c',
        'user.email=c@example.com',
        'tag',
        '-a',
        `${name}#prod#9`,
        '-m',
        'Assign',
        commit,
      ],
      { cwd: f.root, env: { ...process.env, GIT_COMMITTER_DATE: '2026-05-04T00:00:00Z' } },
    );
    const versions = await listVersions({ ws: f.ws, params: f.params });
    expect(versions.find((v) => v.stages.includes('prod'))?.version).toBe('v1.1.0');
    const list = formatVersionList({ name, versions });
    expect(list).toContain(
      'v1.0.0: Put back in production on 2026-04-02 in place of v1.1.0: v1.1.0 is no better. ' +
        'Replaced in production by v1.1.0 on 2026-05-04\n',
    );
  });

  it('keeps a version put back as it is while it holds production', async () => {
    const f = await newRepo();
    await rolledBackTwice(f);
    const versions = await listVersions({ ws: f.ws, params: f.params });
    const list = formatVersionList({ name: f.params.registry.model_name, versions });
    expect(list).toContain('v1.0.0: Put back in production on 2026-04-02 in place of v1.1.0: v1.1.0 is no better\n');
    expect(list).not.toContain('Replaced in production');
  });
});
