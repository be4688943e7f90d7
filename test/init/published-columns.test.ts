import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { guessColumns } from '../../pipeline/init/mapping.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * Tester, 2026-12-05: a small museum's export (Inv. No., Object Name, Classification, Period, Materials, Photo,
 * Rights, Source, Notes, two empty rows at the end). init did not take "Inv. No." for the object id, mapped the
 * internal Notes column to the public description without a word (the notes reached object pages, JSON-LD and
 * the catalogue's download), and said "152 rows" for 150 objects.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-published-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the columns init publishes', () => {
  it('takes "Inv. No." or "Inv.-Nr." for the object id, and no Notes column for the description', () => {
    for (const id of ['Inv. No.', 'Inv.-Nr.', 'Obj. No.']) {
      const guess = guessColumns({ header: ['Title', id, 'Photo', 'Notes'], rows: [] });
      expect(guess.columns.id).toBe(id);
      expect(guess.columns.description).toBe('');
    }
    expect(guessColumns({ header: ['Id', 'Description'], rows: [] }).columns.description).toBe('Description');
  });

  it('says which columns the public will read, and counts the empty rows apart', async () => {
    const { dir, rows } = await copyEgyptExport({ dir: path.join(root, 'export'), pick: 2 });
    const csv = path.join(dir, 'objects.csv');
    const header = [
      'Inv. No.',
      'Photo',
      'Classification',
      'Object Name',
      'Materials',
      'Description',
      'Notes',
      'Record URL',
    ];
    // The Egyptian export's order: id, file, label, title, artist, date, medium, …
    const picked = rows.map((r) => [
      r[0]!,
      r[1]!,
      r[2]!,
      r[3]!,
      r[6]!,
      'Shown in gallery 4',
      'Cracked; insured',
      'https://m.example/1',
    ]);
    const empty = header.map(() => '');
    await writeFile(csv, stringify([header, ...picked, empty, empty]));
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const log = memoryLogger();
    const code = await main(['init', '--from', csv, '--yes'], {
      cwd: museum,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    });
    const messages = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(code, messages).toBe(0);
    expect(messages).toMatch(/id +← Inv\. No\./);
    expect(messages).toMatch(/description +← Description/);
    expect(messages).toContain(`objects.csv: ${picked.length} rows (and 2 empty ones, skipped)`);
    expect(messages).toContain(
      `Published: the public catalogue shows "Object Name", "Materials" and "Description" on each object's page`,
    );
    expect(messages).toContain('--column description=');
    // Columns kept as they are (links back to the museum's record) reach the public too (a reviewer).
    expect(messages).toContain('kept as they are, and published too: Record URL');
    // Notes is named among the columns not used, and none of it is in the collection's objects.
    expect(messages).toMatch(/not used: Notes/);
    const objects = await readFile(path.join(museum, 'data', 'objects.csv'), 'utf8');
    expect(objects).not.toContain('insured');
    expect(objects).toContain('Shown in gallery 4');
  }, 60_000);
});
