import { execFile, spawnSync } from 'node:child_process';
import { rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import {
  assignStage,
  type RegistrationInput,
  readRegistry,
  registerVersion,
  rollback,
} from '../../pipeline/registry/registry.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import { type Fixture, makeRepo, sh, steppingClock, writeModel } from './helpers.ts';

const run = promisify(execFile);
let fixture: Fixture | null = null;
afterEach(async () => {
  if (fixture) await rm(fixture.parent, { recursive: true, force: true });
  fixture = null;
});

async function record(f: Fixture, over: Partial<RegistrationInput['inputs']> = {}): Promise<RegistrationInput> {
  const manifest = await manifestOf({ dir: f.ws.model });
  return {
    manifest,
    evidence: null,
    remote: 'local',
    inputs: { labels: ['coin', 'mask', 'vessel'], data: 'data.dir', labelsMd5: 'labels-1', ...over },
    headline: {
      accuracy: 0.8,
      macroF1: 0.78,
      macroF1Low: 0.7,
      macroF1High: 0.85,
      n: 16,
      labels: ['coin', 'mask', 'vessel'],
    },
    lineage: {} as RegistrationInput['lineage'],
  };
}

async function commitFile(f: Fixture, name: string): Promise<string> {
  await writeFile(path.join(f.root, name), name);
  sh(f.root, 'add', name);
  sh(f.root, 'commit', '-q', '-m', `add ${name}`);
  return sh(f.root, 'rev-parse', 'HEAD');
}

describe('registry tags', () => {
  it('writes annotated tags in GTO format that git reads back with GTO’s messages', async () => {
    fixture = await makeRepo();
    const f = fixture;
    const log = memoryLogger();
    const clock = steppingClock();
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const c1 = sh(f.root, 'rev-parse', 'HEAD');
    const first = await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c1,
      record: await record(f),
      clock,
      log,
    });
    expect(first).toMatchObject({ version: 'v1.0.0', tag: 'collection-classifier@v1.0.0', reused: false });
    await assignStage({ dir: f.root, name: 'collection-classifier', version: 'v1.0.0', stage: 'prod', clock, log });

    await writeModel({ ws: f.ws, predicts: 'mask' });
    const c2 = await commitFile(f, 'labels-change.txt');
    const second = await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c2,
      record: await record(f, { labelsMd5: 'labels-2' }),
      clock,
      log,
    });
    expect(second).toMatchObject({ version: 'v1.1.0', registration: { bump: 'minor', previous: 'v1.0.0' } });
    await assignStage({ dir: f.root, name: 'collection-classifier', version: 'v1.1.0', stage: 'prod', clock, log });
    // What the run prints, in words (it said “minor bump: …” and “is now in stage "prod"”).
    const said = log.lines.map((l) => l.message);
    expect(said).toContain(
      `Registered model version v1.1.0 (minor: ${second.registration.reason}) as tag collection-classifier@v1.1.0.`,
    );
    expect(said).toContain('Model version v1.1.0 is now in production (tag collection-classifier#prod#2).');
    expect(said.join('\n')).not.toMatch(/bump|stage "prod"/);

    // git itself sees annotated tags with exactly GTO's names, targets and first message lines.
    const refs = sh(
      f.root,
      'for-each-ref',
      '--format=%(refname:short) %(objecttype) %(*objectname) %(contents:subject)',
      'refs/tags',
    )
      .split('\n')
      .sort();
    expect(refs).toEqual([
      `collection-classifier#prod#1 tag ${c1} Assigning stage prod to artifact collection-classifier version v1.0.0`,
      `collection-classifier#prod#2 tag ${c2} Assigning stage prod to artifact collection-classifier version v1.1.0`,
      `collection-classifier@v1.0.0 tag ${c1} Registering artifact collection-classifier version v1.0.0`,
      `collection-classifier@v1.1.0 tag ${c2} Registering artifact collection-classifier version v1.1.0`,
    ]);
    const body = sh(f.root, 'tag', '-l', '--format=%(contents:body)', 'collection-classifier@v1.1.0');
    expect(JSON.parse(body)).toMatchObject({
      schema: 'vitrine.registration/1',
      version: 'v1.1.0',
      manifest: { files: expect.any(Array) },
    });

    let state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.stages).toEqual({ prod: 'v1.1.0' });

    const back = await rollback({ ws: f.ws, params: f.params, version: 'v1.0.0', reason: 'test', clock, log });
    // As gto would: v1.1.0 is unassigned (gto gives prod to the highest version still assigned), then v1.0.0 assigned again.
    expect(back).toEqual({
      version: 'v1.0.0',
      from: 'v1.1.0',
      tag: 'collection-classifier#prod#4',
      unassigned: ['v1.1.0'],
    });
    expect(sh(f.root, 'rev-list', '-n', '1', 'collection-classifier#prod!#3')).toBe(c2);
    expect(sh(f.root, 'rev-list', '-n', '1', 'collection-classifier#prod#4')).toBe(c1);
    expect(sh(f.root, 'tag', '-l', '--format=%(contents:subject)', 'collection-classifier#prod!#3')).toBe(
      "Unassigning stage 'prod' to artifact 'collection-classifier' version 'v1.1.0'",
    );
    // Every tag is dated after the one before, so gto (which orders by tag time only) reads them in order.
    const times = sh(
      f.root,
      'for-each-ref',
      '--sort=taggerdate',
      '--format=%(taggerdate:unix) %(refname:short)',
      'refs/tags',
    ).split('\n');
    expect(times.map((t) => t.split(' ')[1])).toEqual([
      'collection-classifier@v1.0.0',
      'collection-classifier#prod#1',
      'collection-classifier@v1.1.0',
      'collection-classifier#prod#2',
      'collection-classifier#prod!#3',
      'collection-classifier#prod#4',
    ]);
    expect(new Set(times.map((t) => t.split(' ')[0])).size).toBe(6);
    state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.stages).toEqual({ prod: 'v1.0.0' });
    await expect(rollback({ ws: f.ws, params: f.params, version: 'v1.0.0', clock, log })).rejects.toMatchObject({
      code: 'ROLLBACK_NOOP',
    });
    await expect(rollback({ ws: f.ws, params: f.params, version: 'v9.0.0', clock, log })).rejects.toThrow(
      /Registered versions: v1.0.0, v1.1.0/,
    );
  });

  it('reads stages assigned by gto itself (tags without Vitrine’s JSON) and ignores lightweight tags', async () => {
    fixture = await makeRepo();
    const f = fixture;
    const c1 = sh(f.root, 'rev-parse', 'HEAD');
    sh(
      f.root,
      'tag',
      '-a',
      'collection-classifier@v0.0.1',
      '-m',
      'Registering artifact collection-classifier version v0.0.1',
    );
    sh(f.root, 'tag', 'collection-classifier#prod#1'); // lightweight: gto ignores it
    let state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.versions.map((v) => [v.version, v.registration])).toEqual([['v0.0.1', null]]);
    expect(state.stages).toEqual({});
    sh(
      f.root,
      'tag',
      '-a',
      'collection-classifier#prod#2',
      '-m',
      'Assigning stage prod to artifact collection-classifier version v0.0.1',
      c1,
    );
    state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.stages).toEqual({ prod: 'v0.0.1' });
    // gto's rule: the highest version still assigned holds the stage, whatever the order of assignment.
    const c2 = await commitFile(f, 'next.txt');
    sh(
      f.root,
      'tag',
      '-a',
      'collection-classifier@v0.0.2',
      '-m',
      'Registering artifact collection-classifier version v0.0.2',
      c2,
    );
    sh(
      f.root,
      'tag',
      '-a',
      'collection-classifier#prod#3',
      '-m',
      'Assigning stage prod to artifact collection-classifier version v0.0.2',
      c2,
    );
    await new Promise((r) => setTimeout(r, 1100)); // git dates tags in whole seconds
    sh(
      f.root,
      'tag',
      '-a',
      'collection-classifier#prod#4',
      '-m',
      'Assigning stage prod to artifact collection-classifier version v0.0.1',
      c1,
    );
    state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.stages).toEqual({ prod: 'v0.0.2' });
    await new Promise((r) => setTimeout(r, 1100));
    sh(
      f.root,
      'tag',
      '-a',
      'collection-classifier#prod!#5',
      '-m',
      "Unassigning stage 'prod' to artifact 'collection-classifier' version 'v0.0.2'",
      c2,
    );
    state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.stages).toEqual({ prod: 'v0.0.1' });
    // A version without Vitrine's file list cannot be restored: resolve says so and returns null.
    const log = memoryLogger();
    expect(await resolveModelDir({ ws: f.ws, params: f.params, version: 'prod', log })).toBeNull();
    expect(log.lines.some((l) => l.level === 'warn' && /registered without Vitrine/.test(l.message))).toBe(true);
  });

  it('gives two promotions racing in one process distinct versions', async () => {
    fixture = await makeRepo();
    const f = fixture;
    const log = memoryLogger();
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const base = sh(f.root, 'rev-parse', 'HEAD');
    await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: base,
      record: await record(f),
      clock: steppingClock(),
      log,
    });
    const commits: string[] = [];
    const records: RegistrationInput[] = [];
    for (let i = 0; i < 4; i++) {
      commits.push(await commitFile(f, `merge-${i}.txt`));
      await writeModel({ ws: f.ws, predicts: 'mask', seed: i });
      records.push(await record(f, { labelsMd5: `race-${i}` }));
    }
    const clock = { now: () => new Date('2026-03-02T10:00:00Z') }; // same second: ordering must not rely on time
    const results = await Promise.all(
      commits.map((commit, i) =>
        registerVersion({ dir: f.root, name: 'collection-classifier', commit, record: records[i]!, clock, log }),
      ),
    );
    const versions = results.map((r) => r.version);
    expect(new Set(versions).size).toBe(4);
    expect([...versions].sort()).toEqual(['v1.1.0', 'v1.2.0', 'v1.3.0', 'v1.4.0']);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    // Each tag points at its own promotion's commit.
    for (const [i, r] of results.entries()) expect(sh(f.root, 'rev-list', '-n', '1', r.tag)).toBe(commits[i]);
    const all = sh(f.root, 'tag', '-l').split('\n');
    expect(all.filter((t) => t.startsWith('collection-classifier@'))).toHaveLength(5);
    expect(all.some((t) => t.endsWith('.lock'))).toBe(false);

    // The four promotions then assign prod at once, oldest last: the newest version ends in prod.
    const order = [...results].sort((a, b) => (a.version < b.version ? 1 : -1));
    const assigned = await Promise.all(
      order.map((r) =>
        assignStage({
          dir: f.root,
          name: 'collection-classifier',
          version: r.version,
          stage: 'prod',
          clock,
          log,
          unlessNewer: true,
        }),
      ),
    );
    expect(assigned.filter((a) => a.tag !== null).length).toBeGreaterThanOrEqual(1);
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.4.0' });
    const prodTags = sh(f.root, 'tag', '-l', 'collection-classifier#prod#*').split('\n');
    expect(new Set(prodTags).size).toBe(prodTags.length);
  });

  it('warns when this computer’s clock reads earlier than the model’s last registry entry', async () => {
    fixture = await makeRepo();
    const f = fixture;
    const log = memoryLogger();
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const name = 'collection-classifier';
    const commit = sh(f.root, 'rev-parse', 'HEAD');
    const ahead = steppingClock(Date.parse('2026-03-05T00:00:00Z'));
    await registerVersion({ dir: f.root, name, commit, record: await record(f), clock: ahead, log });
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    // A runner whose clock was set back four days promotes the version.
    const behind = steppingClock(Date.parse('2026-03-01T00:00:00Z'));
    await assignStage({ dir: f.root, name, version: 'v1.0.0', stage: 'prod', clock: behind, log });
    await assignStage({ dir: f.root, name, version: 'v1.0.0', stage: 'staging', clock: behind, log });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/clock/);
    expect(warnings[0]).toContain('2026-03-01 00:01 UTC');
    expect(warnings[0]).toContain('2026-03-05 00:01 UTC');
    // The history keeps its order all the same: the new tag is dated after the last one.
    const dates = sh(f.root, 'for-each-ref', '--sort=taggerdate', '--format=%(refname:short)', 'refs/tags');
    expect(dates.split('\n').slice(-2)).toEqual([expect.stringMatching(/#prod#/), expect.stringMatching(/#staging#/)]);
  });

  it('gives two promotions racing in separate processes distinct versions', async () => {
    fixture = await makeRepo();
    const f = fixture;
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const a = await commitFile(f, 'a.txt');
    const recA = await record(f, { labelsMd5: 'a' });
    await writeModel({ ws: f.ws, predicts: 'mask' });
    const b = await commitFile(f, 'b.txt');
    const recB = await record(f, { labelsMd5: 'b' });
    const worker = path.join(import.meta.dirname, 'race-worker.ts');
    const startAt = String(Date.now() + 1500);
    const [ra, rb] = await Promise.all([
      run(process.execPath, [worker, f.root, a, JSON.stringify(recA), startAt]),
      run(process.execPath, [worker, f.root, b, JSON.stringify(recB), startAt]),
    ]);
    const va = JSON.parse(ra.stdout) as { version: string };
    const vb = JSON.parse(rb.stdout) as { version: string };
    expect([va.version, vb.version].sort()).toEqual(['v1.0.0', 'v1.1.0']);
    const state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.versions.map((v) => v.commit).sort()).toEqual([a, b].sort());
  });

  it('takes over a stage lock left by a dead process, or older than the limit, and says so', async () => {
    fixture = await makeRepo();
    const f = fixture;
    const log = memoryLogger();
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const c1 = sh(f.root, 'rev-parse', 'HEAD');
    await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c1,
      record: await record(f),
      clock: steppingClock(),
      log,
    });
    const lock = path.join(f.root, '.git', 'vitrine-collection-classifier-prod.lock');
    // A promotion killed while holding the lock: its process is gone.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(lock, JSON.stringify({ pid: dead, host: os.hostname(), startedAt: new Date().toISOString() }));
    const assigned = await assignStage({
      dir: f.root,
      name: 'collection-classifier',
      version: 'v1.0.0',
      stage: 'prod',
      clock: steppingClock(),
      log,
    });
    expect(assigned.tag).toBe('collection-classifier#prod#1');
    expect(
      log.lines.some(
        (l) => l.level === 'warn' && new RegExp(`lock.*process ${dead}.*no longer running`).test(l.message),
      ),
    ).toBe(true);
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });

    // A lock whose holder is alive (this process) but older than the limit: a hung run.
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }),
    );
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old);
    const c2 = await commitFile(f, 'next.txt');
    await writeModel({ ws: f.ws, predicts: 'mask' });
    await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c2,
      record: await record(f, { labelsMd5: 'labels-2' }),
      clock: steppingClock(Date.parse('2026-03-05T00:00:00Z')),
      log,
    });
    const second = await assignStage({
      dir: f.root,
      name: 'collection-classifier',
      version: 'v1.1.0',
      stage: 'prod',
      clock: steppingClock(Date.parse('2026-03-05T01:00:00Z')),
      log,
    });
    expect(second.tag).not.toBeNull();
    expect(log.lines.some((l) => l.level === 'warn' && /lock.*older than/.test(l.message))).toBe(true);
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.1.0' });
  });

  it('does not register the same model twice, nor two versions on one commit, nor reuse a withdrawn number', async () => {
    fixture = await makeRepo();
    const f = fixture;
    const log = memoryLogger();
    const clock = steppingClock();
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const c1 = sh(f.root, 'rev-parse', 'HEAD');
    await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c1,
      record: await record(f),
      clock,
      log,
    });
    const c2 = await commitFile(f, 'docs.txt');
    const again = await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c2,
      record: await record(f),
      clock,
      log,
    });
    expect(again).toMatchObject({ version: 'v1.0.0', reused: true });
    await writeModel({ ws: f.ws, predicts: 'vessel' });
    // Other weights on a commit that has a version: the registered version stands (no second version on one commit).
    const other = await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c1,
      record: await record(f),
      clock,
      log,
    });
    expect(other).toMatchObject({ version: 'v1.0.0', reused: true });
    expect(log.lines.some((l) => l.level === 'warn' && /already has model version v1\.0\.0/.test(l.message))).toBe(
      true,
    );
    await expect(
      registerVersion({ dir: f.root, name: 'classifier-', commit: c2, record: await record(f), clock, log }),
    ).rejects.toThrow(/"registry.model_name" is "classifier-"/);

    // A version withdrawn with gto keeps its tag: the next number skips it.
    const c3 = await commitFile(f, 'more.txt');
    const v11 = await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c3,
      record: await record(f, { labelsMd5: 'labels-2' }),
      clock,
      log,
    });
    expect(v11.version).toBe('v1.1.0');
    sh(
      f.root,
      'tag',
      '-a',
      'collection-classifier@v1.1.0!#1',
      '-m',
      'Deregistering artifact collection-classifier version v1.1.0',
      c3,
    );
    const c4 = await commitFile(f, 'again.txt');
    await writeModel({ ws: f.ws, predicts: 'mask' });
    const next = await registerVersion({
      dir: f.root,
      name: 'collection-classifier',
      commit: c4,
      record: await record(f, { labelsMd5: 'labels-3' }),
      clock,
      log,
    });
    expect(next).toMatchObject({ version: 'v1.2.0', registration: { previous: 'v1.0.0', bump: 'minor' } });
    const state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    expect(state.versions.map((v) => [v.version, v.active])).toEqual([
      ['v1.0.0', true],
      ['v1.1.0', false],
      ['v1.2.0', true],
    ]);
  });
});

describe('a version promoted again by a re-run of its commit', () => {
  it('says "rolled back" only when production went back to an older version, not when a newer one took it', async () => {
    fixture = await makeRepo();
    const f = fixture;
    const log = memoryLogger();
    const clock = steppingClock();
    const name = 'collection-classifier';
    const versions: string[] = [];
    for (const [i, predicts] of (['coin', 'mask', 'vessel'] as const).entries()) {
      await writeModel({ ws: f.ws, predicts });
      const commit = await commitFile(f, `change-${i}.txt`);
      const made = await registerVersion({
        dir: f.root,
        name,
        commit,
        record: await record(f, { labelsMd5: `labels-${i}` }),
        clock,
        log,
      });
      versions.push(made.version);
      await assignStage({ dir: f.root, name, version: made.version, stage: 'prod', clock, log, onlyFirstTime: true });
    }
    // v1.1.0's job re-run after v1.2.0 took production: superseded, not rolled back.
    const again = await assignStage({
      dir: f.root,
      name,
      version: versions[1]!,
      stage: 'prod',
      clock,
      log,
      onlyFirstTime: true,
    });
    expect(again).toMatchObject({ tag: null, heldBy: versions[2], rolledBack: false });
    // After a rollback to v1.0.0, v1.2.0's job re-run: rolled back.
    await rollback({ ws: f.ws, params: f.params, version: versions[0]!, reason: 'test', clock, log });
    const after = await assignStage({
      dir: f.root,
      name,
      version: versions[2]!,
      stage: 'prod',
      clock,
      log,
      onlyFirstTime: true,
    });
    expect(after).toMatchObject({ tag: null, heldBy: versions[0], rolledBack: true });
  });
});
