import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * Reviewer, 2026-12-02: the refusal of an export that would remove objects misnamed why. Ids that changed case
 * (dm-0001 for DM-0001) were called "not listed", with advice (--remove-missing) that orphans every label; rows
 * refused for a bad image path counted as "not listed" too; and 500 objects missing of 100,000 went silently.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-why-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);

/** An export of `rows` ([id, image]) in `<name>/<file>`, each relative image written beside it. */
async function exportOf(
  name: string,
  file: string,
  rows: [string, string][],
): Promise<{ csv: string; images: string }> {
  const images = path.join(root, name, 'images');
  await mkdir(images, { recursive: true });
  for (const [id, image] of rows)
    if (!image.startsWith('/')) await writeFile(path.join(images, image), Buffer.concat([JPEG, Buffer.from(id)]));
  const csv = path.join(root, name, file);
  await writeFile(
    csv,
    stringify([['id', 'image', 'label', 'title'], ...rows.map(([id, image]) => [id, image, 'coin', id])]),
  );
  return { csv, images };
}

async function collection(name: string, list: string[]): Promise<Workspace> {
  const ws = workspace(path.join(root, name, 'repo'));
  const full = await exportOf(
    name,
    'full.csv',
    list.map((id) => [id, `${id}.jpg`]),
  );
  await importCollection({ ws, params: defaultParams(), metadata: full.csv, images: full.images, log: memoryLogger() });
  return ws;
}

describe('an export that would remove objects', () => {
  it('whose ids changed case is refused saying so, --remove-missing named only for a renumbering on purpose', async () => {
    const list = ids('DM-', 20);
    const ws = await collection('case', list);
    const lower = await exportOf(
      'case',
      'lower.csv',
      list.map((id) => [id.toLowerCase(), `${id}.jpg`]),
    );
    const error = await importCollection({
      ws,
      params: defaultParams(),
      metadata: lower.csv,
      images: lower.images,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toMatch(/"dm-0001" for "DM-0001"/);
    expect(message).toMatch(/capitals/);
    // Keeping the ids is the advice; --remove-missing only if they were changed on purpose (review 1, item 12).
    expect(message).toMatch(/keep the ids as they were.*If the ids were changed on purpose .*--remove-missing/is);
    expect(message).not.toMatch(/does not list/);
  });

  it('counts rows refused (bad image paths) as refused rows, not as objects left out', async () => {
    const list = ids('RF-', 20);
    const ws = await collection('refused', list);
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const bad = await exportOf(
      'refused',
      'bad.csv',
      list.map((id, i) => [id, i < 15 ? '/etc/passwd' : `${id}.jpg`]),
    );
    const log = memoryLogger();
    const error = await importCollection({ ws, params, metadata: bad.csv, images: bad.images, log }).catch(
      (e: unknown) => e,
    );
    const said = [error instanceof Error ? error.message : '', ...log.lines.map((l) => l.message)].join('\n');
    expect(said).not.toMatch(/those it does not list/);
    expect(said).not.toMatch(/--remove-missing/);
    expect(said).toMatch(/15 objects .*rows .*refused/);
  });

  it('refuses, even with --remove-missing, an import whose refused rows would remove most of the collection', async () => {
    // Reviewer, 2 Dec: refused rows no longer counted towards the refusal, so 38 of 40 objects with a bad image
    // path (an export fault: absolute paths) emptied objects.csv to 2 with only a warning.
    const list = ids('RB-', 40);
    const ws = await collection('refused-bulk', list);
    const before = await readFile(ws.objects, 'utf8');
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const bad = await exportOf(
      'refused-bulk',
      'bad.csv',
      list.map((id, i) => [id, i < 38 ? '/etc/passwd' : `${id}.jpg`]),
    );
    for (const removeMissing of [false, true]) {
      const error = await importCollection({
        ws,
        params,
        metadata: bad.csv,
        images: bad.images,
        removeMissing,
        log: memoryLogger(),
      }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('IMPORT_ROWS_REFUSED');
      expect((error as Error).message).toMatch(/38 of the 40 objects/);
      expect((error as Error).message).not.toMatch(/--remove-missing/);
      expect(await readFile(ws.objects, 'utf8')).toBe(before);
    }
  });

  it('warns, naming how many went and how to bring them back, when more than 10 are removed', async () => {
    const list = ids('WD-', 100);
    const ws = await collection('warn', list);
    const most = await exportOf(
      'warn',
      'most.csv',
      list.slice(0, 80).map((id) => [id, `${id}.jpg`]),
    );
    const log = memoryLogger();
    await importCollection({ ws, params: defaultParams(), metadata: most.csv, images: most.images, log });
    const warning = log.lines.find((l) => l.level === 'warn' && /20 objects/.test(l.message));
    expect(warning?.message).toMatch(/removed/);
    expect(warning?.message).toMatch(/git checkout/);
  });
});
