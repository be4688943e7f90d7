import { execFileSync, spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { writeFixture } from '../site/fixture.ts';
import { bucket, keys, useBucket } from './fixture.ts';

/*
 * An outside tester rolled a model back, ran the catalogue stage and killed it (kill -9) as soon as the first file
 * under .vitrine/site/objects changed: the object pages and index.html were the new build, pagefind/ still the old
 * search index. `vitrine publish` then warned that the site was older than the production model and uploaded it,
 * mixed, with exit 0. A site whose build did not finish, or finished without lock.json recording it, is refused.
 * Real Astro builds in a child process, killed with SIGKILL; a real bucket (s3rver). Both tests start from a site
 * built and recorded once (in beforeAll), each in its own copy of that repository: the second build of each is the
 * one that matters.
 */

useBucket();

const NODE = path.resolve('node_modules/.bin/node');
const CHILD = path.resolve('test/publish/build-child.ts');
const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const keysEnv = { VITRINE_PUBLISH_ACCESS_KEY_ID: 'S3RVER', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'S3RVER' };

/** Write `root`'s params.yaml: its site is published to the bucket under `prefix`. */
async function writeParams(root: string, prefix: string): Promise<void> {
  await writeFile(
    path.join(root, 'params.yaml'),
    `collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n` +
      `  repository: example-museum/collection\ncatalogue:\n  publish: s3\n` +
      `  s3:\n    endpoint: ${bucket.endpoint}\n    bucket: www\n    prefix: ${prefix}\n`,
  );
}

/** A repository with what the stages before the catalogue would have written: 60 objects, some photographs shared. */
async function repository(name: string): Promise<string> {
  const root = path.join(bucket.base, name);
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.slice(0, 60);
  const labels = [...new Set(picked.map((r) => r.label!))].sort();
  const objects = picked.map((r, i) => ({
    id: r.id!,
    title: r.title!,
    label: r.label!,
    image: path.join(shared, rows[i % 12]!.file!),
  }));
  await writeFixture({ root, objects, labels });
  await writeParams(root, name);
  await writeFile(
    path.join(root, 'labels.csv'),
    `object_id,label\n${picked.map((r) => `${r.id},${r.label}`).join('\n')}\n`,
  );
  return root;
}

/** Every object page of the built site with its inode and change time: placing a new build changes them. */
async function objectPages(root: string): Promise<string> {
  const objects = path.join(root, '.vitrine', 'site', 'objects');
  const names = await readdir(objects).catch(() => [] as string[]);
  const seen: string[] = [];
  for (const name of names) {
    const info = await stat(path.join(objects, name, 'index.html')).catch(() => null);
    seen.push(`${name} ${info?.ino} ${info?.mtimeMs}`);
  }
  return seen.join('\n');
}

/**
 * SIGKILL the process group `pid` as soon as an object page of `root`'s site differs from `before`, unless it `ended`
 * first. The pages' folders are watched (inotify), so the check runs as the build renames a page in, not in a busy
 * loop that would take the CPU the build needs; a slow poll covers a folder the build makes or replaces whole.
 */
async function killOnFirstChange(root: string, before: string, pid: number, ended: Promise<unknown>): Promise<void> {
  const objects = path.join(root, '.vitrine', 'site', 'objects');
  const watchers: FSWatcher[] = [];
  const watched = new Set<string>();
  const watchFolder = (dir: string) => {
    if (watched.has(dir)) return;
    watched.add(dir);
    try {
      watchers.push(watch(dir, () => void check()).on('error', () => {}));
    } catch {
      // Not there (yet): the poll sees it.
    }
  };
  let running = true;
  let checking = false;
  let again = false;
  let changed: () => void = () => {};
  const placed = new Promise<void>((resolve) => {
    changed = resolve;
  });
  const check = async (): Promise<void> => {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    do {
      again = false;
      if (running && (await objectPages(root)) !== before) {
        running = false;
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Ended already: the test then fails on the signal it ended with.
        }
        changed();
      }
    } while (again && running);
    checking = false;
    watchFolder(objects);
    for (const name of await readdir(objects).catch(() => [] as string[])) watchFolder(path.join(objects, name));
  };
  const poll = setInterval(() => void check(), 100);
  await check();
  await Promise.race([placed, ended]);
  running = false;
  clearInterval(poll);
  for (const w of watchers) w.close();
}

/**
 * Build the catalogue in a child process. `killWhenPlaced`: SIGKILL it (and the processes it started) as soon as
 * the first object page of the site changes. Resolves with the signal that ended it (null: it finished).
 */
async function build(
  root: string,
  { killWhenPlaced = false, dieBeforeRecord = false } = {},
): Promise<NodeJS.Signals | null> {
  const before = await objectPages(root);
  const child = spawn(NODE, [CHILD, root, ...(dieBeforeRecord ? ['--die-before-record'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (killWhenPlaced) await killOnFirstChange(root, before, child.pid!, ended);
  const { code, signal } = await ended;
  // The processes it started stop with it; a straggler would write on under the next build.
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // All gone.
  }
  if (signal === null && code !== 0) throw new Error(`the build failed (exit ${code}):\n${err}`);
  return signal;
}

async function publish(root: string, args: string[] = []) {
  const { main } = await import('../../pipeline/cli.ts');
  const log = memoryLogger();
  const code = await main(['publish', ...args], { cwd: root, env: keysEnv, stdout: () => {}, log, interactive: false });
  return {
    code,
    errors: log.lines.filter((l) => l.level === 'error').map((l) => l.message),
    warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message),
    messages: log.lines.map((l) => l.message).join('\n'),
  };
}

/** Give every object a new title: every object page of the next build differs. */
async function retitle(root: string): Promise<void> {
  const file = path.join(root, '.vitrine', 'dataset', 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as { objects: { title: string }[] };
  for (const o of dataset.objects) o.title = `${o.title} (retitled)`;
  await writeFile(file, JSON.stringify(dataset));
}

describe.runIf(process.platform === 'linux')('publish after a catalogue build that did not finish', () => {
  /** A repository whose site was built, and recorded in lock.json, by a build that finished. */
  let built = '';
  beforeAll(async () => {
    built = await repository('built');
    expect(await build(built)).toBeNull();
  }, 600_000);

  /** A copy of `built`, file times kept, publishing under the prefix `name`. */
  async function builtCopy(name: string): Promise<string> {
    const root = path.join(bucket.base, name);
    execFileSync('cp', ['-a', built, root]);
    await writeParams(root, name);
    return root;
  }

  it('refuses the site of a build killed while it was placed, then publishes once a build finished', async () => {
    const root = await builtCopy('killed');
    await retitle(root);
    expect(await build(root, { killWhenPlaced: true })).toBe('SIGKILL');
    // Some pages of the new build are in the site, beside whatever of the last one the build had not replaced yet.
    const pages = await readdir(path.join(root, '.vitrine', 'site', 'objects'));
    const texts = await Promise.all(
      pages.map((p) =>
        readFile(path.join(root, '.vitrine', 'site', 'objects', p, 'index.html'), 'utf8').catch(() => ''),
      ),
    );
    expect(texts.some((t) => t.includes('(retitled)'))).toBe(true);

    for (const args of [['--dry-run'], []]) {
      const refused = await publish(root, args);
      expect(refused.code).toBe(1);
      expect(refused.errors.join('\n')).toMatch(
        /^The built site \(\.vitrine\/site\) is from a catalogue build that did not finish/,
      );
      expect(refused.errors.join('\n')).toContain('Run "npx vitrine run catalogue" again, then publish.');
      expect(refused.warnings).toEqual([]);
      expect(refused.messages).not.toMatch(/Would upload|Uploaded/);
    }
    expect(await keys('killed')).toEqual([]);

    expect(await build(root)).toBeNull();
    const published = await publish(root);
    expect(published.code).toBe(0);
    expect(published.warnings).toEqual([]);
    expect(await keys('killed')).toContain('index.html');
  }, 600_000);

  it('refuses the site of a build that finished but was not recorded in lock.json', async () => {
    const root = await builtCopy('unrecorded');
    await retitle(root);
    expect(await build(root, { dieBeforeRecord: true })).toBe('SIGKILL');

    const refused = await publish(root);
    expect(refused.code).toBe(1);
    expect(refused.errors.join('\n')).toMatch(
      /^The built site \(\.vitrine\/site\) is from a catalogue build that \.vitrine\/lock\.json does not record/,
    );
    expect(refused.errors.join('\n')).toContain('Run "npx vitrine run catalogue" again, then publish.');
    expect(await keys('unrecorded')).toEqual([]);
  }, 600_000);
});
