import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  await writeFile(path.join(root, 'params.yaml'), 'collection:\n  name: Test Museum\n');
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

  it('without an endpoint, says how to reach a server other than AWS and where keys go', async () => {
    const { code, messages } = await vitrine(['data', 'init', 's3://museum/collection']);
    expect(code).toBe(0);
    expect(messages).toContain('--endpoint-url');
    expect(messages).toContain('.dvc/config.local');
  });
});
