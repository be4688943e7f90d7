import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A review of `vitrine init`: an unusable remote was accepted (exit 0) and then blocked every rerun; a
 * refused row sent the user to a params.yaml that did not exist yet. Each case failed before its fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-review-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);

/** A small export: two coins and two vessels, plus any extra rows. */
async function smallExport(name: string, extra: string[][] = []): Promise<string> {
  const dir = path.join(root, name, 'export');
  await mkdir(dir, { recursive: true });
  const rows = [
    ['C1', 'C1.jpg', 'coin'],
    ['C2', 'C2.jpg', 'coin'],
    ['V1', 'V1.jpg', 'vessel'],
    ['V2', 'V2.jpg', 'vessel'],
  ];
  for (const [id, file] of rows) await writeFile(path.join(dir, file!), Buffer.concat([JPEG, Buffer.from(id!)]));
  const csv = path.join(dir, 'objects.csv');
  await writeFile(csv, stringify([['id', 'image', 'label'], ...rows, ...extra]));
  return csv;
}

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('vitrine init checks the remote before writing anything', () => {
  for (const remote of [
    's3://',
    's3:///folder',
    'ftp://host/store',
    'gs://bucket/store',
    'https://example.org/store',
  ]) {
    it(`refuses --remote ${remote} as a mistake in the command, writes nothing, and a rerun works`, async () => {
      const name = `remote-${remote.replace(/\W+/g, '-')}`;
      const csv = await smallExport(name);
      const museum = path.join(root, name, 'museum');
      await mkdir(museum, { recursive: true });
      const bad = await vitrine(['init', '--from', csv, '--remote', remote], museum);
      expect(bad.code).toBe(2);
      expect(bad.messages).toMatch(/--remote/);
      expect(bad.messages).toMatch(/a folder.*s3:\/\/bucket/);
      expect(await readdir(museum)).toEqual([]);
      const good = await vitrine(['init', '--from', csv, '--remote', '../store'], museum);
      expect(good.code).toBe(0);
    });
  }
});

describe('vitrine init with a refused row', () => {
  it('says to rerun with --on-invalid skip (there is no params.yaml yet), which imports the other rows', async () => {
    const csv = await smallExport('refused', [['EVIL', '../../../etc/passwd', 'coin']]);
    const museum = path.join(root, 'refused', 'museum');
    await mkdir(museum, { recursive: true });
    const first = await vitrine(['init', '--from', csv], museum);
    expect(first.code).toBe(1);
    expect(first.messages).toMatch(/--on-invalid skip/);
    expect(first.messages).not.toMatch(/set import\.on_invalid/);
    expect(await readdir(museum)).toEqual([]);
    const second = await vitrine(['init', '--from', csv, '--on-invalid', 'skip'], museum);
    expect(second.code).toBe(1);
    expect(second.messages).toMatch(/EVIL/);
    // Its last word says why it exits 1 (it ended on "Next: … git commit").
    expect(second.messages.trim().split('\n').at(-1)).toMatch(
      /1 row was refused \(listed above; on_invalid is "skip"\)/,
    );
    expect(await readFile(path.join(museum, 'params.yaml'), 'utf8')).toMatch(/on_invalid: skip/);
    expect(await readFile(path.join(museum, 'data', 'objects.csv'), 'utf8')).toMatch(/C1[\s\S]*V2/);
    expect((await vitrine(['init', '--from', csv, '--on-invalid', 'maybe'], path.join(root, 'refused'))).code).toBe(2);
  });
});
