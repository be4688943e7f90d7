import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { addData, dataStatus, initData, parseDvcFile } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/* Bad data.dvc files and a data.dvc the cache cannot back (issue 11, half-held). */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-inputs-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
});
afterEach(async () => {
  await cleanup(base);
});

const OUT = '- md5: d751713988987e9331980363e24189ce.dir\n  size: 0\n  nfiles: 0\n  hash: md5\n  path: data\n';

describe('data.dvc that DVC would refuse', () => {
  it('an unknown key in an output is refused, naming the file, line and key', () => {
    const error = (() => {
      try {
        return parseDvcFile({ text: `outs:\n${OUT}  colour: blue\n`, file: 'data.dvc' });
      } catch (e) {
        return e;
      }
    })() as Error & { data: Record<string, unknown> };
    expect(isVitrineError(error, 'DVCFILE_INVALID')).toBe(true);
    expect(error.message).toMatch(/^data\.dvc:7: /);
    expect(error.message).toContain('"colour"');
    expect(error.data).toMatchObject({ file: 'data.dvc', line: 7, key: 'colour' });
  });

  it('an unknown top-level key is refused', () => {
    expect(() => parseDvcFile({ text: `outs:\n${OUT}stages: {}\n`, file: 'data.dvc' })).toThrow(
      /data\.dvc:7: .*"stages"/,
    );
  });

  it('keys DVC itself writes or accepts are read', () => {
    const text =
      `md5: 0123456789abcdef0123456789abcdef\nfrozen: false\nouts:\n${OUT}  desc: Photographs\n  ` +
      `cache: true\n  push: true\n  remote: storage\n  meta: {photographer: A. Curator}\nmeta:\n  owner: registrar\n`;
    expect(parseDvcFile({ text, file: 'data.dvc' }).outs).toHaveLength(1);
  });

  it('two outputs are refused: Vitrine versions one data folder per .dvc file', () => {
    const error = (() => {
      try {
        return parseDvcFile({ text: `outs:\n${OUT}${OUT.replace('path: data', 'path: more')}`, file: 'data.dvc' });
      } catch (e) {
        return e;
      }
    })() as Error;
    expect(isVitrineError(error, 'DVCFILE_INVALID')).toBe(true);
    expect(error.message).toMatch(/^data\.dvc:7: /);
    expect(error.message).toContain('2 outputs');
  });
});

describe('data.dvc pointing at a version the cache does not have', () => {
  it('status says it is not in the cache and to pull, instead of "0 changed"', async () => {
    await addData({ root: repo, log: silentLogger });
    await writeFile(
      path.join(repo, 'data.dvc'),
      `outs:\n${OUT.replace('d751713988987e9331980363e24189ce', '0123456789abcdef0123456789abcdef')}`,
    );
    const status = await dataStatus({ root: repo, log: silentLogger });
    expect(status.clean).toBe(false);
    const text = describeStatus(status).join('\n');
    expect(text).toContain('not in the cache: run "npx vitrine data pull"');
    expect(text).not.toContain('0 added, 0 removed, 0 changed');
  });
});
