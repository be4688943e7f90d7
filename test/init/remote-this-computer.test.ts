import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester D pressed Enter at init's storage question: the images went to .vitrine-remote, a folder inside the
 * repository that git leaves out, which GitHub's runners can never reach; nothing said so before the GitHub set-up,
 * and every workflow then failed at setup-data. The question and the GitHub list now say it, and how to move.
 */

let theExport: { csv: string; images: string };
let root: string;
beforeAll(async () => {
  root = await tempDir('vitrine-init-remote-here-');
  const rows = [
    ['A1', 'o1.jpg', 'coin'],
    ['A2', 'o2.jpg', 'vase'],
  ];
  theExport = await smallExport({ dir: path.join(root, 'export'), rows });
});

const GITHUB_LIST = 'On GitHub, before';

describe('init’s default data remote, on this computer only', () => {
  it('is said to be out of GitHub’s reach in the question, and first in the GitHub list', async () => {
    const dir = path.join(root, 'asked');
    await mkdir(dir, { recursive: true });
    const { csv, images } = theExport;
    const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--name', 'Smith'];
    let prompts = '';
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => (prompts += chunk.toString()));
    const log = memoryLogger();
    // Enter at every question: the defaults.
    const stdin = Readable.from(['\n'.repeat(20)]);
    const code = await main(args, { cwd: dir, env: {}, stdout: () => {}, log, interactive: true, stdin, prompts: out });
    const said = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(code, said).toBe(0);
    expect(prompts).toMatch(/Where should the images be stored\?[^\n]*this computer only[^\n]*GitHub’s runners/);
    const github = said.slice(said.indexOf(GITHUB_LIST)).split('\n');
    expect(github[1]).toMatch(/^ {2}- the images are only on this computer \(\.vitrine-remote, .*runners cannot/);
    expect(github[1]).toContain('npx vitrine data init s3://bucket/folder --name storage');
    expect(github[1]).toContain('"Moving the images to another remote" in Vitrine’s docs/data.md');
  });

  it('is not said of a bucket', async () => {
    const dir = path.join(root, 'bucket');
    await mkdir(dir, { recursive: true });
    const { csv, images } = theExport;
    const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--yes'];
    const bucket = ['--remote', 's3://bucket/x', '--endpoint-url', 'http://127.0.0.1:9'];
    const { said } = await vitrineIn({
      args: [...args, ...bucket, '--access-key-id', 'K', '--secret-access-key', 'S'],
      cwd: dir,
    });
    expect(said).toContain(GITHUB_LIST);
    expect(said).not.toContain('the images are only on this computer');
  });
});
