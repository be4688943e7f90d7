import { lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyWorkflows, markedWorkflow, updateWorkflows, vitrineVersion } from '../../pipeline/init/workflows.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * `vitrine init --update-workflows` rewrites the museum's copies of Vitrine's workflows, which run on its self-hosted
 * runner. A reviewer found it moving them to another repository's actions, downgrading a newer Vitrine's files,
 * adding back a renamed or deleted workflow, writing through a symlink out of the repository, taking a Dependabot
 * bump for an edit, and stopping half-way. Each is a case here, calling the update itself.
 */

const TEMPLATES = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const FORK = `museumorg/vitrine-patched@${'f'.repeat(40)}`;
const UPSTREAM = `vitrine/vitrine@${'a'.repeat(40)}`;
const point = (text: string, ref: string) => {
  const [repository, version] = ref.split('@');
  return text.replace(/uses: \.\/actions\/([\w-]+)/g, (_, n: string) => `uses: ${repository}/actions/${n}@${version}`);
};
const template = (file: string) => readFile(path.join(TEMPLATES, file), 'utf8');
const at = (dir: string, file: string) => path.join(dir, '.github', 'workflows', file);

async function museum({ workflows = true }: { workflows?: boolean } = {}): Promise<string> {
  const dir = await tempDir('vitrine-update-guards-');
  await writeFile(path.join(dir, 'params.yaml'), 'collection:\n  name: x\n');
  if (workflows) await mkdir(path.join(dir, '.github', 'workflows'), { recursive: true });
  return dir;
}

/** Every template as this Vitrine writes it, pointed at `ref`. */
async function allWritten(dir: string, ref: string): Promise<void> {
  const version = (await vitrineVersion())!;
  for (const file of (await readdir(TEMPLATES)).filter((f) => f.endsWith('.yml')))
    await writeFile(at(dir, file), markedWorkflow({ body: point(await template(file), ref), version, template: file }));
}

describe('the repository the workflows’ actions come from', () => {
  it('leaves an unmarked workflow pointed at the museum’s fork where it points, naming both repositories', async () => {
    const dir = await museum();
    const mine = point(await template('main.yml'), FORK);
    await writeFile(at(dir, 'main.yml'), mine);
    const r = await updateWorkflows({ root: dir, ref: UPSTREAM });
    expect(await readFile(at(dir, 'main.yml'), 'utf8')).toBe(mine);
    expect(r.replaced).not.toContain('.github/workflows/main.yml');
    expect(r.edited).toContainEqual({
      file: '.github/workflows/main.yml',
      why: 'repository',
      uses: 'museumorg/vitrine-patched',
      wanted: 'vitrine/vitrine',
    });
  });

  it('leaves a marked, untouched workflow pointed at the fork too; --force switches it', async () => {
    const dir = await museum();
    const mine = markedWorkflow({ body: point(await template('main.yml'), FORK), version: '0.0.1' });
    await writeFile(at(dir, 'main.yml'), mine);
    await updateWorkflows({ root: dir, ref: UPSTREAM });
    expect(await readFile(at(dir, 'main.yml'), 'utf8')).toBe(mine);
    const forced = await updateWorkflows({ root: dir, ref: UPSTREAM, force: true });
    expect(forced.replaced).toContain('.github/workflows/main.yml');
    expect(await readFile(at(dir, 'main.yml'), 'utf8')).toContain('uses: vitrine/vitrine/actions/');
  });

  it('moves the fork’s workflow to a newer commit of the same fork', async () => {
    const dir = await museum();
    const old = `museumorg/vitrine-patched@${'e'.repeat(40)}`;
    await writeFile(
      at(dir, 'main.yml'),
      markedWorkflow({ body: point(await template('main.yml'), old), version: '0.0.1' }),
    );
    const r = await updateWorkflows({ root: dir, ref: FORK });
    expect(r.replaced).toContain('.github/workflows/main.yml');
    expect(await readFile(at(dir, 'main.yml'), 'utf8')).toContain(`@${'f'.repeat(40)}`);
  });

  // A reviewer: GitHub's names ignore case, so Vitrine-Org/Vitrine and vitrine-org/vitrine are one repository; every
  // file was refused as "another repository".
  it('takes a repository named in other capitals as the same one', async () => {
    const dir = await museum();
    const old = `Museumorg/Vitrine-Patched@${'e'.repeat(40)}`;
    await writeFile(
      at(dir, 'main.yml'),
      markedWorkflow({ body: point(await template('main.yml'), old), version: '0.0.1' }),
    );
    const r = await updateWorkflows({ root: dir, ref: FORK });
    expect(r.edited).toEqual([]);
    expect(r.replaced).toContain('.github/workflows/main.yml');
  });
});

describe('a workflow written by a newer Vitrine', () => {
  it('is left as it is, naming its version, unless --force', async () => {
    const dir = await museum();
    const newer = (await template('main.yml')).replace('permissions: {}', 'permissions: {}\n# a fix from 9.9.9');
    const mine = markedWorkflow({ body: point(newer, UPSTREAM), version: '9.9.9' });
    await writeFile(at(dir, 'main.yml'), mine);
    const r = await updateWorkflows({ root: dir, ref: UPSTREAM });
    expect(await readFile(at(dir, 'main.yml'), 'utf8')).toBe(mine);
    expect(r.edited).toContainEqual({ file: '.github/workflows/main.yml', why: 'newer', version: '9.9.9' });
    await updateWorkflows({ root: dir, ref: UPSTREAM, force: true });
    expect(await readFile(at(dir, 'main.yml'), 'utf8')).not.toContain('a fix from 9.9.9');
  });
});

describe('a renamed or deleted workflow of Vitrine’s', () => {
  it('is not added back: the renamed copy is updated under its own name, a deleted one only named', async () => {
    const dir = await museum();
    await allWritten(dir, UPSTREAM);
    const { rename, rm } = await import('node:fs/promises');
    await rename(at(dir, 'main.yml'), at(dir, 'promote.yml'));
    await rm(at(dir, 'retrain.yml'));
    const r = await updateWorkflows({ root: dir, ref: UPSTREAM });
    const files = await readdir(path.join(dir, '.github', 'workflows'));
    expect(files).not.toContain('main.yml');
    expect(files).not.toContain('retrain.yml');
    expect(r.added).toEqual([]);
    expect(r.current).toContain('.github/workflows/promote.yml');
    expect(r.missing).toEqual(['retrain.yml']);
    const asked = await updateWorkflows({ root: dir, ref: UPSTREAM, add: ['retrain.yml'] });
    expect(asked.added).toEqual(['.github/workflows/retrain.yml']);
    expect(await readdir(path.join(dir, '.github', 'workflows'))).not.toContain('main.yml');
  });

  it('refuses to add a name that is not one of Vitrine’s workflows', async () => {
    const dir = await museum();
    await expect(updateWorkflows({ root: dir, ref: UPSTREAM, add: ['nope.yml'] })).rejects.toMatchObject({
      code: 'INIT_UPDATE_NO_TEMPLATE',
    });
  });
});

describe('what the update writes through, and when it stops', () => {
  it('refuses a symlink in .github/workflows, writing nothing (outside the repository above all)', async () => {
    const dir = await museum();
    await allWritten(dir, UPSTREAM);
    const outside = await tempDir('vitrine-update-outside-');
    const { rm } = await import('node:fs/promises');
    await rm(at(dir, 'rollback.yml'));
    await symlink(path.join(outside, 'planted.txt'), at(dir, 'rollback.yml'));
    await expect(updateWorkflows({ root: dir, ref: UPSTREAM, add: ['rollback.yml'] })).rejects.toMatchObject({
      code: 'INIT_UPDATE_NOT_A_FILE',
    });
    expect(await readdir(outside)).toEqual([]);
    expect((await lstat(at(dir, 'rollback.yml'))).isSymbolicLink()).toBe(true);
  });

  it('refuses .github/workflows itself as a symlink, writing nothing where it points', async () => {
    const dir = await museum({ workflows: false });
    const outside = await tempDir('vitrine-update-outside-folder-');
    await mkdir(path.join(dir, '.github'));
    await symlink(outside, path.join(dir, '.github', 'workflows'));
    await expect(updateWorkflows({ root: dir, ref: UPSTREAM, add: ['main.yml'] })).rejects.toMatchObject({
      code: 'INIT_UPDATE_NOT_A_FILE',
    });
    expect(await readdir(outside)).toEqual([]);
  });

  it('init’s first copy does not write through a dangling symlink either', async () => {
    const dir = await museum();
    const outside = await tempDir('vitrine-init-outside-');
    await symlink(path.join(outside, 'planted.txt'), at(dir, 'rollback.yml'));
    const r = await copyWorkflows({ root: dir, ref: UPSTREAM });
    expect(r.kept).toContain('.github/workflows/rollback.yml');
    expect(await readdir(outside)).toEqual([]);
  });

  it('checks every file before writing any: a folder named like a workflow stops it with nothing changed', async () => {
    const dir = await museum();
    const older = markedWorkflow({ body: `${point(await template('main.yml'), UPSTREAM)}# older\n`, version: '0.0.1' });
    await writeFile(at(dir, 'main.yml'), older);
    await mkdir(at(dir, 'rollback.yml/keep'), { recursive: true });
    await expect(updateWorkflows({ root: dir, ref: UPSTREAM })).rejects.toMatchObject({
      code: 'INIT_UPDATE_NOT_A_FILE',
      message: expect.stringContaining('.github/workflows/rollback.yml'),
    });
    expect(await readFile(at(dir, 'main.yml'), 'utf8')).toBe(older);
  });

  it('creates no .github/workflows when it refuses for want of --actions', async () => {
    const dir = await museum({ workflows: false });
    await expect(updateWorkflows({ root: dir })).rejects.toMatchObject({ code: 'INIT_UPDATE_NO_ACTIONS' });
    expect(await stat(path.join(dir, '.github')).catch(() => undefined)).toBeUndefined();
  });
});

describe('what counts as edited', () => {
  it('a Dependabot bump of a pinned action does not: the file is replaced', async () => {
    const dir = await museum();
    const body = `${point(await template('main.yml'), UPSTREAM)}# an older template line\n`;
    const bumped = markedWorkflow({ body, version: '0.1.0' }).replace(
      /actions\/checkout@[0-9a-f]{40} # v4\.4\.0/g,
      `actions/checkout@${'b'.repeat(40)} # v4.5.0`,
    );
    expect(bumped).toContain(`actions/checkout@${'b'.repeat(40)} # v4.5.0\n`);
    await writeFile(at(dir, 'main.yml'), bumped);
    const r = await updateWorkflows({ root: dir, ref: UPSTREAM });
    expect(r.edited).toEqual([]);
    expect(r.replaced).toContain('.github/workflows/main.yml');
  });

  it('a byte-order mark and Windows line ends do not: the file reads as marked', async () => {
    const dir = await museum();
    const body = `${point(await template('main.yml'), UPSTREAM)}# an older template line\n`;
    const saved = `\uFEFF${markedWorkflow({ body, version: '0.1.0' }).replace(/\n/g, '\r\n')}`;
    await writeFile(at(dir, 'main.yml'), saved);
    const r = await updateWorkflows({ root: dir, ref: UPSTREAM });
    expect(r.edited).toEqual([]);
    expect(r.replaced).toContain('.github/workflows/main.yml');
  });
});
