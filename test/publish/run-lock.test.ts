import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger, silentLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { writeTree } from '../data/helpers.ts';
import { holdLockInChild } from '../fixtures/lock-holder.ts';
import { upstreamNotRun } from '../stages/upstream.ts';
import { bucket, keys, recordingProxy, sampleSite, through, useBucket } from './fixture.ts';

/*
 * An outside tester ran `vitrine publish` while `vitrine run catalogue --single` was building: publish looked for
 * the unfinished-build marker once, found none yet, took no lock, and uploaded pages of the new build beside
 * iiif/collection.json of the old one, exit 0. Publish now holds .vitrine/run.lock for the whole upload: it waits for
 * a run, with the same words as a second run, and a run started meanwhile waits for it. And a site whose build
 * .vitrine/lock.json does not record (lock.json deleted) is refused, not published for a base path nobody checked.
 * Real processes hold the lock; a real bucket (s3rver).
 */

useBucket();

const keysEnv = { VITRINE_PUBLISH_ACCESS_KEY_ID: 'S3RVER', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'S3RVER' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A repository whose catalogue stage ran (recorded in .vitrine/lock.json), publishing to `endpoint`/www/`name`. */
async function built(name: string, { base = '/', endpoint = bucket.endpoint } = {}): Promise<string> {
  const root = path.join(bucket.base, name);
  const params =
    `catalogue:\n  base: ${base}\n  publish: s3\n` +
    `  s3:\n    endpoint: ${endpoint}\n    bucket: www\n    prefix: ${name}\n`;
  await writeTree(root, { 'params.yaml': params, 'labels.csv': 'object_id,label\nA1,Vase\n' });
  const ws = workspace(root);
  const stage = {
    ...catalogueStage,
    run: async () => {
      await writeTree(ws.site, sampleSite());
      return { summary: 'a small site' };
    },
  };
  const upstream = upstreamNotRun();
  const ctx = { ws, params: await loadParams({ file: ws.params }), log: silentLogger, clock: systemClock, env: {} };
  await runStages({ ctx, stages: [...upstream, stage], targets: ['catalogue'], single: true });
  return root;
}

function publish(root: string, args: string[] = []) {
  const log = memoryLogger();
  let finished = false;
  const code = main(['publish', ...args], {
    cwd: root,
    env: keysEnv,
    stdout: () => {},
    log,
    interactive: false,
  }).finally(() => (finished = true));
  return {
    code,
    finished: () => finished,
    said: () => log.lines.map((l) => l.message).join('\n'),
    errors: () =>
      log.lines
        .filter((l) => l.level === 'error')
        .map((l) => l.message)
        .join('\n'),
  };
}

describe('vitrine publish and a run', () => {
  it('waits while a run holds .vitrine/run.lock, saying so as a second run does, and uploads nothing until it ends', async () => {
    const root = await built('waits');
    const run = await holdLockInChild({ file: path.join(root, '.vitrine', 'run.lock') });
    const command = publish(root);
    // Until it says it waits (or ends): a fixed sleep can end before the command reaches the lock on a loaded machine.
    while (!command.finished() && !/^Another Vitrine run /m.test(command.said())) await sleep(100);
    expect(command.finished(), 'publish did not wait for the run').toBe(false);
    expect(await keys('waits')).toEqual([]);
    expect(command.said()).toMatch(/^Another Vitrine run .* this one waits for it to finish/m);
    run.kill('SIGINT');
    expect(await command.code).toBe(0);
    expect(await keys('waits')).toContain('index.html');
    expect(existsSync(path.join(root, '.vitrine', 'run.lock'))).toBe(false);
  });

  it('holds .vitrine/run.lock while it uploads, so that a run started meanwhile waits for it', async () => {
    const lockHeld: boolean[] = [];
    let root = '';
    await through(
      recordingProxy((method) => {
        if (method === 'PUT') lockHeld.push(existsSync(path.join(root, '.vitrine', 'run.lock')));
      }),
      async (endpoint) => {
        root = await built('holds', { endpoint });
        expect(await publish(root).code).toBe(0);
      },
    );
    expect(lockHeld.length).toBeGreaterThan(20);
    expect(lockHeld.every(Boolean)).toBe(true);
    expect(existsSync(path.join(root, '.vitrine', 'run.lock'))).toBe(false);
  });

  it('--dry-run and --check do not wait: they change nothing', async () => {
    const root = await built('dry');
    const run = await holdLockInChild({ file: path.join(root, '.vitrine', 'run.lock') });
    const dry = publish(root, ['--dry-run']);
    expect(await dry.code).toBe(0);
    expect(dry.said()).toContain('Would upload 27 files');
    run.kill('SIGINT');
  });
});

describe('a built site whose build .vitrine/lock.json does not record', () => {
  it('is refused in plain words when lock.json is gone, and nothing is uploaded', async () => {
    const root = await built('no-lock-json', { base: '/' });
    await rm(path.join(root, '.vitrine', 'lock.json'));
    const command = publish(root);
    expect(await command.code).toBe(1);
    expect(command.errors()).toContain('run "npx vitrine run catalogue" first');
    expect(command.errors()).toContain('.vitrine/lock.json');
    expect(await keys('no-lock-json')).toEqual([]);
  });

  it('is refused when lock.json has no catalogue record (a dry run too)', async () => {
    const root = await built('no-record', { base: '/' });
    await writeTree(root, { '.vitrine/lock.json': '{"version": 1, "stages": {}}\n' });
    const dry = publish(root, ['--dry-run']);
    expect(await dry.code).toBe(1);
    expect(dry.errors()).toContain('run "npx vitrine run catalogue" first');
    expect(await keys('no-record')).toEqual([]);
  });
});
