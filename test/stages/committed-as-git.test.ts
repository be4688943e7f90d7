import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspace } from '../../pipeline/paths.ts';
import { checkCommitted } from '../../pipeline/stages/promote.ts';
import { type Fixture, repoPerTest, sh } from '../registry/helpers.ts';

/*
 * Promotion refuses labels, data pointer or params that differ from the commit it tags. An outside tester found it
 * refusing clean trees that git calls clean: a clone with core.autocrlf=true (Git for Windows’ default), whose files
 * have CRLF line ends in the work tree and LF in git, and a committed symbolic link labels.csv, whose blob is the
 * link’s target. The check now compares as git does.
 */

const newRepo = repoPerTest();

const headOf = (f: Fixture) => sh(f.root, 'rev-parse', 'HEAD');

/** A clone of the fixture’s repository made with `config` (e.g. core.autocrlf=true). */
function cloneWith(f: Fixture, name: string, ...config: string[]): Fixture {
  const root = path.join(f.parent, name);
  sh(f.parent, 'clone', '-q', ...config.flatMap((c) => ['-c', c]), f.root, root);
  return { ...f, root, ws: workspace(root) };
}

describe('files that git checks out with CRLF line ends', () => {
  it('are unchanged in a clone with core.autocrlf=true whose git status is clean', async () => {
    const clone = cloneWith(await newRepo(), 'crlf', 'core.autocrlf=true');
    expect(await readFile(clone.ws.labels, 'utf8')).toContain('\r\n');
    expect(sh(clone.root, 'status', '--porcelain')).toBe('');
    await expect(checkCommitted({ ws: clone.ws, commit: headOf(clone), env: process.env })).resolves.toBeUndefined();
  });

  // The reviewer: Git for Windows writes “autocrlf = true ; Git for Windows” in a config file Vitrine reads itself
  // (the user’s or the system’s), a comment after the value.
  it('are unchanged when the user’s setting carries a comment after its value', async () => {
    const f = await newRepo();
    const globalConfig = path.join(f.parent, 'gitconfig');
    await writeFile(globalConfig, '[core]\n\tautocrlf = true ; Git for Windows\n');
    // The git program (the clone here) reads it from its environment.
    const was = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    let clone: Fixture;
    try {
      clone = cloneWith(f, 'commented');
      expect(await readFile(clone.ws.labels, 'utf8')).toContain('\r\n');
      expect(sh(clone.root, 'status', '--porcelain')).toBe('');
    } finally {
      if (was === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = was;
    }
    // Vitrine from the run's environment (it read process.env, not the environment the command was given).
    // Only the config files named here: none of this machine's own (GIT_CONFIG_NOSYSTEM, and GIT_CONFIG_GLOBAL, which
    // git reads instead of ~/.gitconfig and ~/.config/git/config).
    const env = { ...process.env, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1' };
    await expect(checkCommitted({ ws: clone.ws, commit: headOf(clone), env })).resolves.toBeUndefined();
    const without = { ...env, GIT_CONFIG_GLOBAL: path.join(f.parent, 'none') };
    await expect(checkCommitted({ ws: clone.ws, commit: headOf(clone), env: without })).rejects.toMatchObject({
      code: 'PROMOTE_UNCOMMITTED',
    });
    // The reviewer: with GIT_CONFIG_GLOBAL set, git reads no ~/.config/git/config; Vitrine read it.
    const xdg = path.join(f.parent, 'xdg');
    await mkdir(path.join(xdg, 'git'), { recursive: true });
    await writeFile(path.join(xdg, 'git', 'config'), '[core]\n\tautocrlf = true\n');
    await expect(
      checkCommitted({ ws: clone.ws, commit: headOf(clone), env: { ...without, XDG_CONFIG_HOME: xdg } }),
    ).rejects.toMatchObject({ code: 'PROMOTE_UNCOMMITTED' });
    await expect(
      checkCommitted({
        ws: clone.ws,
        commit: headOf(clone),
        env: { ...without, GIT_CONFIG_GLOBAL: undefined, HOME: f.parent, XDG_CONFIG_HOME: xdg },
      }),
    ).resolves.toBeUndefined();
  });

  it('are unchanged where .gitattributes says eol=crlf, and a real edit is still found', async () => {
    const f = await newRepo();
    await writeFile(path.join(f.root, '.gitattributes'), '*.csv text eol=crlf\n*.yaml text eol=crlf\n');
    sh(f.root, 'add', '.gitattributes');
    sh(f.root, 'commit', '-q', '-m', 'CRLF');
    const clone = cloneWith(f, 'attributes');
    expect(await readFile(clone.ws.labels, 'utf8')).toContain('\r\n');
    await expect(checkCommitted({ ws: clone.ws, commit: headOf(clone), env: process.env })).resolves.toBeUndefined();
    await writeFile(clone.ws.labels, (await readFile(clone.ws.labels, 'utf8')).replace('obj-001,coin', 'obj-001,mask'));
    expect(sh(clone.root, 'status', '--porcelain')).toBe('M labels.csv');
    await expect(checkCommitted({ ws: clone.ws, commit: headOf(clone), env: process.env })).rejects.toMatchObject({
      code: 'PROMOTE_UNCOMMITTED',
      data: { files: ['labels.csv'] },
    });
  });

  it('are changed when only the line ends differ and git does not convert them', async () => {
    const f = await newRepo();
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace(/\n/g, '\r\n'));
    expect(sh(f.root, 'status', '--porcelain')).toBe('M labels.csv');
    await expect(checkCommitted({ ws: f.ws, commit: headOf(f), env: process.env })).rejects.toMatchObject({
      code: 'PROMOTE_UNCOMMITTED',
    });
  });
});

describe('a committed symbolic link labels.csv', () => {
  async function linkedLabels(): Promise<Fixture> {
    const f = await newRepo();
    sh(f.root, 'mv', 'labels.csv', 'collection-labels.csv');
    await symlink('collection-labels.csv', f.ws.labels);
    sh(f.root, 'add', 'labels.csv');
    sh(f.root, 'commit', '-q', '-m', 'labels.csv links to collection-labels.csv');
    return f;
  }

  it('is unchanged on a clean tree: its target is compared, not the content it leads to', async () => {
    const f = await linkedLabels();
    expect(sh(f.root, 'status', '--porcelain')).toBe('');
    await expect(checkCommitted({ ws: f.ws, commit: headOf(f), env: process.env })).resolves.toBeUndefined();
  });

  it('is changed when it links elsewhere, or is replaced by a file of the same content', async () => {
    const f = await linkedLabels();
    await writeFile(path.join(f.root, 'other.csv'), await readFile(f.ws.labels));
    await rm(f.ws.labels);
    await symlink('other.csv', f.ws.labels);
    await expect(checkCommitted({ ws: f.ws, commit: headOf(f), env: process.env })).rejects.toMatchObject({
      data: { files: ['labels.csv'] },
    });
    const content = await readFile(path.join(f.root, 'collection-labels.csv'));
    await rm(f.ws.labels);
    await writeFile(f.ws.labels, content);
    await expect(checkCommitted({ ws: f.ws, commit: headOf(f), env: process.env })).rejects.toMatchObject({
      data: { files: ['labels.csv'] },
    });
  });
});
