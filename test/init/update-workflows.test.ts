import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { vitrineActionsRef } from '../../pipeline/init/scaffold.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A museum set up before a fix to a workflow kept its old copy (init never overwrites one), so the fix never reached
 * it and nothing said so. `vitrine init --update-workflows` rewrites Vitrine's workflows to this Vitrine's templates:
 * a file as an earlier Vitrine wrote it is replaced, one the museum edited (or one written before Vitrine marked
 * its files) is left as it is unless --force, and it says which is which.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATES = path.join(REPO, '.github', 'workflows');
const SHA = 'a1b2c3d4e5'.repeat(4);
const ACTIONS = `museumorg/vitrine@${SHA}`;

/** `file` as Vitrine's template was a few changes ago, from git; undefined when the history is not here. */
function earlierTemplate(file: string): string | undefined {
  const git = (...args: string[]) => execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8' });
  try {
    const commits = git('log', '--format=%H', '-n', '3', '--', `.github/workflows/${file}`).split('\n').filter(Boolean);
    return commits.length < 3 ? undefined : git('show', `${commits[2]}:.github/workflows/${file}`);
  } catch {
    return undefined;
  }
}

let theExport: { csv: string; images: string };
let root: string;
beforeAll(async () => {
  root = await tempDir('vitrine-init-update-workflows-');
  const rows = [
    ['A1', 'o1.jpg', 'coin'],
    ['A2', 'o2.jpg', 'vase'],
  ];
  theExport = await smallExport({ dir: path.join(root, 'export'), rows });
});

async function museum(name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const { csv, images } = theExport;
  const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--actions', ACTIONS, '--yes'];
  const { code, said } = await vitrineIn({ args, cwd: dir });
  expect(code, said).toBe(0);
  return dir;
}

const workflow = (dir: string, file: string) => path.join(dir, '.github', 'workflows', file);
const update = (dir: string, ...more: string[]) =>
  vitrineIn({ args: ['init', '--update-workflows', '--actions', ACTIONS, ...more], cwd: dir });

/** An older template: what an earlier Vitrine wrote, marked as such (its lines as written, so untouched). */
async function olderCopy(dir: string, file: string): Promise<void> {
  const now = await readFile(workflow(dir, file), 'utf8');
  const [mark, how, ...body] = now.split('\n');
  const older = [...body.slice(0, 3), '# an older Vitrine’s line', ...body.slice(3)].join('\n');
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update(older).digest('hex').slice(0, 12);
  const oldMark = mark!.replace(/Vitrine \S+ \(sha256 [0-9a-f]{12}/, `Vitrine 0.0.1 (sha256 ${hash}`);
  await writeFile(workflow(dir, file), [oldMark, how, older].join('\n'));
}

describe('vitrine init --update-workflows', () => {
  it('init marks each workflow with the Vitrine that wrote it', async () => {
    const dir = await museum('marked');
    const text = await readFile(workflow(dir, 'pull-request-data.yml'), 'utf8');
    expect(text).toMatch(/^# Written by vitrine init from the workflow of Vitrine \S+ \(sha256 [0-9a-f]{12} of/);
    expect(text).toContain('npx vitrine init --update-workflows');
    expect(text).toContain(`uses: museumorg/vitrine/actions/choose-runner@${SHA}`);
  });

  it('replaces a workflow an earlier Vitrine wrote, adds a missing one asked for, and names both', async () => {
    const dir = await museum('older');
    await olderCopy(dir, 'pull-request-data.yml');
    const { rm } = await import('node:fs/promises');
    await rm(workflow(dir, 'rollback.yml'));
    // A workflow deleted here (or renamed) is not added back unasked: named, with how to add it.
    const first = await update(dir);
    expect(first.code, first.said).toBe(0);
    expect(first.said).toMatch(
      /not there \(deleted or renamed here, or new in this Vitrine; not added\): rollback\.yml/,
    );
    expect(first.said).toContain('--add rollback.yml');
    await expect(readFile(workflow(dir, 'rollback.yml'), 'utf8')).rejects.toThrow();
    await olderCopy(dir, 'pull-request-data.yml');
    const { code, said } = await update(dir, '--add', 'rollback.yml');
    expect(code, said).toBe(0);
    expect(said).toMatch(/replaced \(as an earlier Vitrine wrote them\): \.github\/workflows\/pull-request-data\.yml/);
    expect(said).toMatch(/added: \.github\/workflows\/rollback\.yml/);
    expect(said).toContain('git diff .github/workflows');
    const text = await readFile(workflow(dir, 'pull-request-data.yml'), 'utf8');
    expect(text).not.toContain('an older Vitrine’s line');
    const template = await readFile(path.join(TEMPLATES, 'pull-request-data.yml'), 'utf8');
    expect(text.split('\n').slice(2).join('\n')).toBe(
      template.replace(/uses: \.\/actions\/([\w-]+)/g, `uses: museumorg/vitrine/actions/$1@${SHA}`),
    );
    expect(await readFile(workflow(dir, 'rollback.yml'), 'utf8')).toContain('rollback');
  });

  it('leaves a workflow edited here, or one with no mark, as it is, and says so; --force replaces them', async () => {
    const dir = await museum('edited');
    const edited = `${await readFile(workflow(dir, 'main.yml'), 'utf8')}# our own step\n`;
    await writeFile(workflow(dir, 'main.yml'), edited);
    const unmarked = (await readFile(workflow(dir, 'retrain.yml'), 'utf8')).split('\n').slice(2).join('\n');
    await writeFile(workflow(dir, 'retrain.yml'), `${unmarked}# older\n`);
    const { code, said } = await update(dir);
    expect(code, said).toBe(1);
    expect(said).toMatch(/\.github\/workflows\/main\.yml \(edited here\)/);
    expect(said).toMatch(/\.github\/workflows\/retrain\.yml \(no mark of the Vitrine that wrote it/);
    expect(said).toContain('--force');
    expect(await readFile(workflow(dir, 'main.yml'), 'utf8')).toBe(edited);

    const forced = await update(dir, '--force');
    expect(forced.code, forced.said).toBe(0);
    expect(await readFile(workflow(dir, 'main.yml'), 'utf8')).not.toContain('# our own step');
    expect(await readFile(workflow(dir, 'retrain.yml'), 'utf8')).toMatch(/^# Written by vitrine init/);
  });

  // Every museum set up before the mark has unmarked files: one whose lines are an earlier template of Vitrine's, as
  // an earlier init wrote it, is replaced without --force. Needs Vitrine's history (not a shallow clone).
  const earlier = earlierTemplate('pull-request-data.yml');
  it.skipIf(earlier === undefined)(
    'replaces an unmarked workflow an earlier init wrote, found in Vitrine’s history',
    async () => {
      const dir = await museum('unmarked-earlier');
      const old = earlier!.replace(/uses: \.\/actions\/([\w-]+)/g, `uses: museumorg/vitrine/actions/$1@${SHA}`);
      await writeFile(workflow(dir, 'pull-request-data.yml'), old);
      const { code, said } = await update(dir);
      expect(code, said).toBe(0);
      expect(said).toMatch(
        /replaced \(as an earlier Vitrine wrote them\): \.github\/workflows\/pull-request-data\.yml/,
      );
      expect(await readFile(workflow(dir, 'pull-request-data.yml'), 'utf8')).toMatch(/^# Written by vitrine init/);
    },
  );

  it('leaves a workflow whose actions come from another repository, naming both, unless --force', async () => {
    const dir = await museum('fork');
    const ours = `museumorg/vitrine-patched@${'f'.repeat(40)}`;
    const before = await readFile(workflow(dir, 'main.yml'), 'utf8');
    await writeFile(
      workflow(dir, 'main.yml'),
      before.replaceAll('museumorg/vitrine/actions/', 'museumorg/vitrine-patched/actions/'),
    );
    const kept = await readFile(workflow(dir, 'main.yml'), 'utf8');
    const { code, said } = await update(dir);
    expect(code, said).toBe(1);
    expect(said).toContain(
      '.github/workflows/main.yml (its actions come from museumorg/vitrine-patched; --actions names museumorg/vitrine)',
    );
    expect(said).toContain('--force');
    expect(await readFile(workflow(dir, 'main.yml'), 'utf8')).toBe(kept);
    // Its own repository named: updated there.
    const there = await vitrineIn({ args: ['init', '--update-workflows', '--actions', ours], cwd: dir });
    expect(there.said, there.said).toMatch(
      /replaced \(as an earlier Vitrine wrote them\): \.github\/workflows\/main\.yml/,
    );
    expect(await readFile(workflow(dir, 'main.yml'), 'utf8')).toContain(
      `museumorg/vitrine-patched/actions/setup-data@${'f'.repeat(40)}`,
    );
  });

  it('refuses a folder that is no museum’s repository, writing nothing there', async () => {
    const dir = path.join(root, 'not-a-museum');
    await mkdir(dir);
    const { code, said } = await update(dir);
    expect(code, said).toBe(1);
    expect(said).toContain('has no params.yaml: it is not a repository vitrine init set up');
    expect(await readdir(dir)).toEqual([]);
  });

  it('says all are current when nothing changed, and touches no other workflow', async () => {
    const dir = await museum('current');
    await writeFile(workflow(dir, 'ours.yml'), 'name: ours\n');
    const { code, said } = await update(dir);
    expect(code, said).toBe(0);
    const ours = (await readdir(TEMPLATES)).filter((f) => f.endsWith('.yml')).length;
    expect(said).toContain(`All ${ours} of Vitrine’s workflows are already this Vitrine’s`);
    expect(await readFile(workflow(dir, 'ours.yml'), 'utf8')).toBe('name: ours\n');
  });
});

/*
 * init's advice when it could not point the workflows at Vitrine on GitHub was "copy Vitrine's actions/ folder here".
 * Followed literally, every workflow failed at setup-data's install: `npm ci` in the folder above actions/ (the
 * museum's repository), which has no package-lock.json. The advice now is Vitrine on GitHub and --update-workflows,
 * and an actions/ folder copied alone is no reason to say nothing.
 */
// A Vitrine cloned from GitHub (CI) points the workflows there by itself: nothing to advise.
const onGitHub = (await vitrineActionsRef()) !== undefined;

describe('init without Vitrine on GitHub', () => {
  it.skipIf(onGitHub)('does not advise copying actions/, and warns also when actions/ was copied alone', async () => {
    const dir = path.join(root, 'copied-actions');
    await mkdir(dir, { recursive: true });
    await cp(path.join(REPO, 'actions', 'setup-data'), path.join(dir, 'actions', 'setup-data'), { recursive: true });
    const { csv, images } = theExport;
    const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: dir });
    expect(code, said).toBe(0);
    expect(said).not.toMatch(/copy Vitrine's actions\/ folder/);
    expect(said).toMatch(/warn: The workflows in \.github\/workflows use Vitrine's actions as \.\/actions\//);
    expect(said).toMatch(/an actions\/ folder copied alone makes every workflow fail/);
    expect(said).toMatch(/init --update-workflows --actions <owner>\/<repo>@<the 40-character commit>/);
  });
});
