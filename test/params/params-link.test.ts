import { execFileSync } from 'node:child_process';
import { lstat, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepBaseGate } from '../../pipeline/github/base-gate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Task L6 (T3 F17 for params.yaml): params.yaml committed as a symbolic link was followed. A pull request could
 * point it at any file on the runner: read as settings, that file’s keys and lines were quoted in the messages; the
 * pull-request workflow’s base-gate step wrote the base’s gate through the link into that file; and vitrine init
 * wrote its params.yaml through a link, making or replacing the file it led to. Refused as labels.csv’s link is.
 */

const SECRET = 'aws_secret_access_key: AKIAEXAMPLESECRET\n';

/** A folder whose params.yaml is a link to `text` in a file outside it (null: a link to no file). */
async function linked(text: string | null) {
  const root = await tempDir('vitrine-params-link-');
  const outside = await tempDir('vitrine-params-outside-');
  const target = path.join(outside, 'runner-secrets.yaml');
  if (text !== null) await writeFile(target, text);
  const file = path.join(root, 'params.yaml');
  await symlink(target, file);
  return { root, file, target };
}

describe('params.yaml that is a symbolic link', () => {
  it('is refused before it is read, naming the file and where it points, in plain words', async () => {
    const { file, target } = await linked(SECRET);
    const error = (await loadParams({ file }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe('PARAMS_LINK');
    expect(error.message).toContain(`params.yaml is a symbolic link (to ${target}), not a regular file`);
    expect(error.message).toContain('does not read its settings through a link');
    expect(error.message).not.toMatch(/AKIAEXAMPLESECRET|aws_secret/);
  });

  it('leading nowhere is refused too, not read as no params.yaml (the default settings)', async () => {
    const { file } = await linked(null);
    await expect(loadParams({ file })).rejects.toMatchObject({ code: 'PARAMS_LINK' });
  });

  it('stops the CLI with that message (exit code 1), nothing of the file it points to said', async () => {
    const { root, target } = await linked(SECRET);
    const { code, said } = await vitrineIn({ args: ['params'], cwd: root });
    expect(code).toBe(1);
    expect(said).toContain(`params.yaml is a symbolic link (to ${target})`);
    expect(said).not.toMatch(/AKIAEXAMPLESECRET|aws_secret/);
  });

  it('in a pull request’s checkout, base-gate writes nothing through it and leaves it to the run to refuse', async () => {
    const base = 'collection:\n  name: Town Museum\n  vocabulary: [coin, mask]\ngate:\n  min_macro_f1: 0.7\n';
    const lowered = base.replace('0.7', '0');
    const root = await tempDir('vitrine-params-link-gate-');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    await writeFile(path.join(root, 'params.yaml'), base);
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    git('checkout', '-q', '-b', 'head');
    const outside = await tempDir('vitrine-params-outside-');
    const target = path.join(outside, 'settings.yaml');
    await writeFile(target, lowered);
    await rm(path.join(root, 'params.yaml'));
    await symlink(target, path.join(root, 'params.yaml'));
    const log = memoryLogger();
    const { changes } = await keepBaseGate({ root, baseRef: 'main', log });
    expect(changes).toEqual([]);
    expect(await readFile(target, 'utf8')).toBe(lowered);
    expect((await lstat(path.join(root, 'params.yaml'))).isSymbolicLink()).toBe(true);
    expect(log.lines.map((l) => l.message).join('\n')).toContain('params.yaml is left as it is');
  });

  it('is not written through by vitrine init, which refuses before writing anything', async () => {
    const { root, target } = await linked(null);
    const { csv, images } = await smallExport({
      dir: path.join(await tempDir('vitrine-params-link-export-'), 'export'),
      rows: Array.from({ length: 12 }, (_, i) => [`P${i}`, `p${i}.jpg`, i % 2 ? 'Painting' : 'Sculpture']),
    });
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: root });
    expect(code, said).toBe(1);
    expect(said).toContain(`params.yaml is a symbolic link (to ${target})`);
    expect(await stat(target).catch(() => null)).toBeNull();
    expect(await stat(path.join(root, 'labels.csv')).catch(() => null)).toBeNull();
  });
});
