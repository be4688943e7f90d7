import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLabels } from '../../pipeline/collection/index.ts';
import { type Clock, memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { assignStage, registerVersion, rollback } from '../../pipeline/registry/registry.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * Tester T10: production was rolled back from v1.1.0 to v1.0.0 ("misreads masks as figurines"), then an unrelated
 * pull request was merged and promoted v1.2.0, trained on the very labels v1.1.0 learnt from: neither its report nor
 * the run's log said so. The report now says it first, while the labels still hold what v1.1.0 learnt.
 */

const REASON = 'misreads masks as figurines';
const WARNING = `v1.1.0 was withdrawn (${REASON}); this model learns from the same labels again`;
const objects = demoObjects();
const base = Object.fromEntries(objects.map((o) => [o.id, o.label]));
// What v1.1.0 learnt: three masks labelled as figurines.
const masks = objects.filter((o) => o.label === 'mask').slice(0, 3);
const worse = { ...base, ...Object.fromEntries(masks.map((o) => [o.id, 'figurine'])) };
const params = validateParams({ raw: { train: { epochs: 60 } } });
const csv = (map: Record<string, string>) =>
  formatLabels({ labels: Object.entries(map).map(([objectId, label]) => ({ objectId, label })) });
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** A clock a second on at each reading, and a way to register a version (on `labels`) and put it in production. */
function registrar(ws: Workspace) {
  const name = params.registry.model_name;
  let t = Date.parse('2026-05-01T12:00:00Z');
  const clock: Clock = { now: () => new Date((t += 1000)) };
  const register = async (identity: string, commit: string, labels: Record<string, string>) => {
    const record = {
      manifest: await manifestOf({ dir: ws.model }),
      evidence: null,
      remote: 'local',
      identity,
      inputs: { labels: VOCABULARY, data: 'data.dir', labelsMd5: md5(csv(labels)) },
      headline: { accuracy: 0.86, macroF1: 0.85, macroF1Low: 0.73, macroF1High: 0.95, n: 36, labels: VOCABULARY },
      lineage: { labels: { md5: md5(csv(labels)), commit } } as never,
    };
    const { version } = await registerVersion({ dir: ws.root, name, commit, record, clock, log: silentLogger });
    await assignStage({ dir: ws.root, name, version, stage: 'prod', clock, log: silentLogger });
    return version;
  };
  return { clock, register };
}

/** v1.0.0 on the base labels, v1.1.0 on the worse ones, rolled back to v1.0.0; the workspace holds `now`. */
async function afterRollback(now: Record<string, string>) {
  const repo = await makeRepo({ objects, base, head: worse });
  const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: now });
  metrics.inputs = { ...metrics.inputs, model: 'model-next' };
  await writeFile(path.join(repo.ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
  const { clock, register } = registrar(repo.ws);
  expect(await register('model-1', repo.baseCommit, base)).toBe('v1.0.0');
  expect(await register('model-2', repo.headCommit, worse)).toBe('v1.1.0');
  await rollback({ ws: repo.ws, params, version: 'v1.0.0', reason: REASON, clock, log: silentLogger });
  expect(await readFile(repo.ws.labels, 'utf8')).toBe(csv(worse));
  await writeFile(repo.ws.labels, csv(now));
  const log = memoryLogger();
  const report = await buildReport({ ws: repo.ws, params, base: 'main', log });
  return { ...report, log, repo };
}

describe('a run after a rollback whose labels still hold what the withdrawn version learnt', () => {
  it('warns at the top of the report and in the log when the labels are those of the withdrawn version', async () => {
    const { json, markdown, log } = await afterRollback(worse);
    expect(json.openingWarnings?.some((w) => w.startsWith(WARNING))).toBe(true);
    const plain = markdown.replace(/\\([()[\]_*.!-])/g, '$1');
    expect(plain).toContain(`⚠️ **${WARNING}**`);
    // Said before the introduction and the scores.
    expect(plain.indexOf(WARNING)).toBeLessThan(plain.indexOf('## '));
    expect(plain).toContain(
      'labels.csv is the very file v1.1.0 learnt from: the 3 objects v1.1.0 learnt with other labels than v1.0.0 ' +
        'still have those labels',
    );
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes(WARNING))).toBe(true);
  });

  it('warns when the labels hold the label changes of the withdrawn version among others', async () => {
    const other = objects.find((o) => o.label === 'coin')!;
    const { json } = await afterRollback({ ...worse, [masks[0]!.id]: 'mask', [other.id]: 'vessel' });
    expect(json.openingWarnings?.some((w) => w.startsWith(WARNING))).toBe(true);
    expect(json.openingWarnings?.join('\n')).toContain(
      '2 of the 3 objects v1.1.0 learnt with other labels than v1.0.0 still have those labels in labels.csv',
    );
  });

  it('says nothing once the label changes of the withdrawn version are reverted', async () => {
    const { json, markdown } = await afterRollback(base);
    expect(json.openingWarnings?.some((w) => w.includes('was withdrawn')) ?? false).toBe(false);
    expect(markdown).not.toContain('was withdrawn');
  });
});

/*
 * Reviewer V16: two rollbacks in a row (v1.2.0 back to v1.1.0, then v1.1.0 back to v1.0.0) and the next report named
 * only v1.1.0's label changes: v1.2.0's, still in labels.csv, went unsaid.
 */
describe('a run after two rollbacks in a row', () => {
  it('names the label changes of both withdrawn versions still in labels.csv, each with the version that made it', async () => {
    const coin = objects.find((o) => o.label === 'coin')!;
    // What v1.2.0 learnt on top of v1.1.0's labels: a coin labelled as a vessel.
    const worst = { ...worse, [coin.id]: 'vessel' };
    const repo = await makeRepo({ objects, base, head: worse });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=t@example.org', ...args], {
        cwd: repo.ws.root,
        encoding: 'utf8',
      }).trim();
    await writeFile(repo.ws.labels, csv(worst));
    git('commit', '-q', '-am', 'Relabel a coin');
    const worstCommit = git('rev-parse', 'HEAD');
    const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: worst });
    metrics.inputs = { ...metrics.inputs, model: 'model-next' };
    await writeFile(path.join(repo.ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
    const { clock, register } = registrar(repo.ws);
    expect(await register('model-1', repo.baseCommit, base)).toBe('v1.0.0');
    expect(await register('model-2', repo.headCommit, worse)).toBe('v1.1.0');
    expect(await register('model-3', worstCommit, worst)).toBe('v1.2.0');
    await rollback({ ws: repo.ws, params, version: 'v1.1.0', reason: 'misreads coins', clock, log: silentLogger });
    await rollback({ ws: repo.ws, params, version: 'v1.0.0', reason: REASON, clock, log: silentLogger });
    const { json, markdown } = await buildReport({ ws: repo.ws, params, base: 'main', log: memoryLogger() });
    const both = `v1.1.0 (${REASON}) and v1.2.0 (misreads coins) were withdrawn; this model learns from the same labels again`;
    expect(json.openingWarnings?.some((w) => w.startsWith(both))).toBe(true);
    const plain = markdown.replace(/\\([()[\]_*.!-])/g, '$1');
    expect(plain).toContain(
      'labels.csv is the very file v1.2.0 learnt from: the 3 objects v1.1.0 learnt with other labels than v1.0.0 ' +
        `still have those labels (\`git diff ${repo.baseCommit.slice(0, 7)} ${repo.headCommit.slice(0, 7)} -- ` +
        'labels.csv` lists them); the one object v1.2.0 learnt with other labels than v1.1.0 still has those labels ' +
        `(\`git diff ${repo.headCommit.slice(0, 7)} ${worstCommit.slice(0, 7)} -- labels.csv\` lists them)`,
    );
    expect(plain).toContain('a model that learnt what made v1.1.0 and v1.2.0 worse');
  });
});
