import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { nextCounter } from '../../pipeline/registry/gto.ts';
import { assignStage, listVersions, registerVersion, rollback } from '../../pipeline/registry/registry.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import { withdrawnLabelsKept } from '../../pipeline/registry/withdrawn-labels.ts';
import { withdrawnHeadWords, withdrawnLabelsAdvice } from '../../pipeline/registry/withdrawn-words.ts';
import { type Fixture, LABELS, repoPerTest, sh, steppingClock, writeModel } from './helpers.ts';

/*
 * Rollback edge cases of the label warning (task D5). Versions are registered and assigned straight through the
 * registry (no promotion stage, no annotations): each test takes well under a second.
 */

const newRepo = repoPerTest();

/** Register a version on labels.csv as committed now (its own commit), and put it in production unless told not to. */
async function registrar(f: Fixture) {
  const name = f.params.registry.model_name;
  const clock = steppingClock();
  await writeModel({ ws: f.ws, predicts: 'coin' });
  const manifest = await manifestOf({ dir: f.ws.model });
  let n = 0;
  const register = async ({ promote = true }: { promote?: boolean } = {}) => {
    const commit = sh(f.root, 'rev-parse', 'HEAD');
    const md5 = createHash('md5')
      .update(await readFile(f.ws.labels))
      .digest('hex');
    const record = {
      manifest,
      evidence: null,
      remote: 'local',
      identity: `model-${++n}`,
      inputs: { labels: LABELS, data: 'data.dir', labelsMd5: md5 },
      headline: { accuracy: 0.8, macroF1: 0.8, macroF1Low: 0.7, macroF1High: 0.9, n: 12, labels: LABELS },
      lineage: { labels: { md5, commit } } as never,
    };
    const { version } = await registerVersion({ dir: f.root, name, commit, record, clock, log: silentLogger });
    if (promote) await assignStage({ dir: f.root, name, version, stage: 'prod', clock, log: silentLogger });
    return { version, commit };
  };
  const rollBack = (version: string, reason: string) =>
    rollback({ ws: f.ws, params: f.params, version, reason, clock, log: silentLogger });
  return { name, register, rollBack };
}

async function relabel(f: Fixture, from: string, to: string): Promise<void> {
  await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace(from, to));
  sh(f.root, 'commit', '-q', '-am', `Relabel ${from}`);
}

const kept = (f: Fixture) => withdrawnLabelsKept({ ws: f.ws, params: f.params, log: silentLogger });

describe('a rollback that goes back past a version never in production', () => {
  it('names that version with its own label changes, as never in production, not as withdrawn', async () => {
    const f = await newRepo();
    const { register, rollBack } = await registrar(f);
    const v1 = await register();
    await relabel(f, 'obj-002,mask', 'obj-002,vessel');
    // Registered, never assigned (a run that stopped in between, a registration by hand).
    const v2 = await register({ promote: false });
    await relabel(f, 'obj-005,mask', 'obj-005,vessel');
    const v3 = await register();
    expect([v1.version, v2.version, v3.version]).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0']);
    await rollBack('v1.0.0', 'misreads masks');
    const w = await kept(f);
    expect(w?.versions.map((v) => [v.version, v.since, v.changes, v.kept, v.neverInProduction ?? false])).toEqual([
      ['v1.1.0', 'v1.0.0', 1, 1, true],
      ['v1.2.0', 'v1.1.0', 1, 1, false],
    ]);
    expect(w?.versions[0]?.commits).toEqual({ since: v1.commit, version: v2.commit });
    const advice = withdrawnLabelsAdvice(w!);
    expect(advice).toContain(
      'The labels v1.1.0 and v1.2.0 learnt from are still in labels.csv (v1.1.0 was never in production: the ' +
        'rollback went back past it): the next merge trains on them again unless the changes that made them are ' +
        'reverted.',
    );
    expect(advice).not.toMatch(/v1\.1\.0[^.]*withdrawn/);
    expect(withdrawnHeadWords({ w: w!, why: (v) => (v.reason ? ` (${v.reason})` : '') })).toBe(
      'v1.2.0 was withdrawn (misreads masks), and the rollback went back past v1.1.0 (never in production)',
    );
  });

  it('names the version never in production alone when the withdrawn version changes are reverted', async () => {
    const f = await newRepo();
    const { register, rollBack } = await registrar(f);
    await register();
    await relabel(f, 'obj-002,mask', 'obj-002,vessel');
    await register({ promote: false });
    await relabel(f, 'obj-005,mask', 'obj-005,vessel');
    await register();
    await rollBack('v1.0.0', 'misreads masks');
    await relabel(f, 'obj-005,vessel', 'obj-005,mask');
    const w = await kept(f);
    expect(w?.versions.map((v) => v.version)).toEqual(['v1.1.0']);
    expect(withdrawnLabelsAdvice(w!)).toContain(
      'The labels v1.1.0 learnt from are still in labels.csv (v1.1.0 was never in production: the rollback went ' +
        'back past it): the next merge trains on them again unless the change that made them is reverted.',
    );
    expect(withdrawnHeadWords({ w: w!, why: () => '' })).toBe(
      'The rollback to v1.0.0 went back past v1.1.0 (never in production)',
    );
  });
});

describe('a prod tag made by hand that puts an earlier version back', () => {
  it('is read as a rollback: the version taken out is withdrawn and its label changes are warned of', async () => {
    const f = await newRepo();
    const { name, register } = await registrar(f);
    const v1 = await register();
    await relabel(f, 'obj-002,mask', 'obj-002,vessel');
    const v2 = await register();
    // As `gto unassign` then `gto assign` would: prod taken from v1.1.0 and given to v1.0.0, with no Vitrine record.
    const tag = (t: string, commit: string, date: string) =>
      execFileSync(
        'git',
        ['-c', 'user.name=Curator', '-c', 'user.email=c@example.com', 'tag', '-a', t, '-m', t, commit],
        {
          cwd: f.root,
          env: { ...process.env, GIT_COMMITTER_DATE: date },
        },
      );
    const counter = nextCounter({ name, tags: sh(f.root, 'tag', '-l').split('\n') });
    tag(`${name}#prod!#${counter}`, v2.commit, '2026-04-01T00:00:00Z');
    tag(`${name}#prod#${counter + 1}`, v1.commit, '2026-04-01T00:01:00Z');
    const versions = await listVersions({ ws: f.ws, params: f.params });
    expect(versions.find((v) => v.stages.includes('prod'))?.version).toBe('v1.0.0');
    expect(versions.find((v) => v.version === 'v1.1.0')?.withdrawn).toMatchObject({ reason: null, by: 'v1.0.0' });
    expect(versions.find((v) => v.version === 'v1.0.0')?.putBack).toMatchObject({ from: 'v1.1.0', reason: null });
    const w = await kept(f);
    expect(w?.restored).toBe('v1.0.0');
    expect(w?.versions.map((v) => [v.version, v.changes, v.kept])).toEqual([['v1.1.0', 1, 1]]);
  });
});
