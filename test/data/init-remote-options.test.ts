import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Tester s25 #7: "vitrine data init s3://…" had no --endpoint-url and no key options, which "vitrine init" has:
 * a non-AWS server meant editing .dvc/config and writing .dvc/config.local by hand. Keys go to config.local only.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function vitrine(args: string[]) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-init-'));
  dirs.push(root);
  await writeFile(
    path.join(root, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log });
  return { root, code, messages: log.lines.map((l) => l.message).join('\n') };
}

describe('vitrine data init with an S3 server', () => {
  it('writes the endpoint to .dvc/config and the keys to .dvc/config.local only', async () => {
    const { root, code } = await vitrine([
      'data',
      'init',
      's3://museum/collection',
      '--name',
      's3',
      '--endpoint-url',
      'http://127.0.0.1:4617',
      '--access-key-id',
      'AKIDEXAMPLE',
      '--secret-access-key',
      'SECRETEXAMPLE',
    ]);
    expect(code).toBe(0);
    const config = await readFile(path.join(root, '.dvc', 'config'), 'utf8');
    const local = await readFile(path.join(root, '.dvc', 'config.local'), 'utf8');
    expect(config).toContain('endpointurl = http://127.0.0.1:4617');
    expect(config).not.toContain('AKIDEXAMPLE');
    expect(config).not.toContain('SECRETEXAMPLE');
    expect(local).toContain('access_key_id = AKIDEXAMPLE');
    expect(local).toContain('secret_access_key = SECRETEXAMPLE');
  });

  it('writes .dvc/config.local readable by its owner only: it holds the key that can delete the images', async () => {
    // Tester T4 F7: written 0644 under the usual umask, so every account on a shared server or runner could read it.
    const keys = ['--access-key-id', 'AKIDEXAMPLE', '--secret-access-key', 'SECRETEXAMPLE'];
    const { root, code } = await vitrine(['data', 'init', 's3://museum/collection', '--name', 's3', ...keys]);
    expect(code).toBe(0);
    const local = path.join(root, '.dvc', 'config.local');
    expect((await stat(local)).mode & 0o777).toBe(0o600);
    // Also when the file was there before, readable by all (written by hand, or by an older Vitrine).
    await chmod(local, 0o644);
    const again = await main(['-C', root, 'data', 'init', 's3://museum/collection', '--name', 's3', ...keys], {
      cwd: root,
      env: {},
      stdout: () => {},
      log: memoryLogger(),
    });
    expect(again).toBe(0);
    expect((await stat(local)).mode & 0o777).toBe(0o600);
    expect(await readFile(local, 'utf8')).toContain('secret_access_key = SECRETEXAMPLE');
  });

  it('without an endpoint, says how to reach a server other than AWS and where keys go', async () => {
    const { code, messages } = await vitrine(['data', 'init', 's3://museum/collection']);
    expect(code).toBe(0);
    expect(messages).toContain('--endpoint-url');
    expect(messages).toContain('.dvc/config.local');
  });
});

describe('vitrine data init in a repository that has a default remote', () => {
  it('says the old default, where the images already sent are, is no longer the default, and how to go back', async () => {
    // The remotes are folders beside the repository, inside the temp folder.
    const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-init-again-'));
    dirs.push(base);
    const root = path.join(base, 'repo');
    await mkdir(root);
    await writeFile(
      path.join(root, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    const run = async (args: string[]) => {
      const log = memoryLogger();
      const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log });
      return { code, messages: log.lines.map((l) => l.message).join('\n') };
    };
    expect((await run(['data', 'init', '../storage', '--name', 'storage'])).code).toBe(0);
    const other = await run(['data', 'init', '../other']);
    expect(other.code).toBe(0);
    expect(other.messages).toContain(
      'The default remote was "storage" (../storage), where the images sent so far are; it is now "local" (../other)',
    );
    expect(other.messages).toContain('"npx vitrine data init ../storage --name storage"');
    // The same remote moved elsewhere: said too. The same again: nothing to say.
    const moved = await run(['data', 'init', '../moved']);
    expect(moved.messages).toContain('The remote "local" was ../other until now, where the images sent so far are');
    expect((await run(['data', 'init', '../moved'])).messages).not.toContain('until now');
    // A share with a space in its path, as typed back into a shell (a reviewer).
    expect((await run(['data', 'init', '../Museum Share', '--name', 'share'])).code).toBe(0);
    expect((await run(['data', 'init', '../third'])).messages).toContain(
      `"npx vitrine data init '../Museum Share' --name share"`,
    );
  });
});
