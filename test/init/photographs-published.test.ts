import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * D16, an outside tester (a small university gallery): init never said that the photographs go on the public
 * catalogue, nor how to hold back those of works in copyright. It now says so, with how many rows its rights column
 * reads as in copyright or of unknown rights, and what catalogue.images does with them.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-photographs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function init(
  name: string,
  header: string[],
  rights: string[] | null,
  /** Rows that name another row’s photograph: row → the row whose photograph it names. */
  shared: Map<number, number> = new Map(),
): Promise<string> {
  const { dir, rows } = await copyEgyptExport({ dir: path.join(root, `export-${name}`), pick: 4 });
  const csv = path.join(dir, 'objects.csv');
  const picked = rows.map((r, i) => [
    r[0]!,
    rows[shared.get(i) ?? i]![1]!,
    r[2]!,
    r[3]!,
    ...(rights ? [rights[i % rights.length]!] : []),
  ]);
  await writeFile(csv, stringify([header, ...picked]));
  const museum = path.join(root, `museum-${name}`);
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
  return messages;
}

describe('what init says of the photographs', () => {
  it('says they are published, and counts the rows its rights column reads as in copyright', async () => {
    // Four rows of each of five types, each in turn with these rights.
    const rights = ['In Copyright', '© 2001 The Artist', 'Public domain', ''];
    const messages = await init('rights', ['Inv. No.', 'Photo', 'Classification', 'Title', 'Rights'], rights);
    expect(messages).toContain('Photographs: the public catalogue publishes each object’s photograph');
    expect(messages).toContain('works in copyright are shown small only (at most 300 pixels)');
    expect(messages).toContain(
      'In "Rights": 10 rows are in copyright, 5 rows have rights not recorded or not recognised, of 20 rows. As the ' +
        'catalogue would show their 20 photographs: 10 shown small only, 10 shown in full.',
    );
    expect(messages).toContain('set catalogue.images in params.yaml');
  });

  it('counts rights as the catalogue reads them: entities decoded, in copyright anywhere in the text', async () => {
    // Found by a reviewer (V1): these rows were counted as open or unknown, though the catalogue holds them back.
    const rights = ['&copy; The Artist', 'Image CC BY 4.0; work © the artist', 'InC', 'Public domain'];
    const messages = await init('strict', ['Inv. No.', 'Photo', 'Classification', 'Title', 'Rights'], rights);
    expect(messages).toContain(
      'In "Rights": 15 rows are in copyright, 0 rows have rights not recorded or not recognised, of 20 rows. As the ' +
        'catalogue would show their 20 photographs: 15 shown small only, 5 shown in full.',
    );
  });

  it('counts photographs as the catalogue shows them: one shared by several rows follows the strictest', async () => {
    // Helper R4: init counted rights per row, so a public-domain row naming the photograph of one in copyright was
    // counted as shown in full, though the catalogue shows that photograph small for both.
    const rights = ['In Copyright', 'Public domain'];
    // Rows 1 and 3 (public domain) name the photographs of rows 0 and 2 (in copyright); row 5 that of row 7 (both
    // public domain).
    const shared = new Map([
      [1, 0],
      [3, 2],
      [5, 7],
    ]);
    const messages = await init('shared', ['Inv. No.', 'Photo', 'Classification', 'Title', 'Rights'], rights, shared);
    expect(messages).toContain(
      'In "Rights": 10 rows are in copyright, 0 rows have rights not recorded or not recognised, of 20 rows. As the ' +
        'catalogue would show their 17 photographs: 10 shown small only, 7 shown in full. 2 rows share their ' +
        'photograph with a row whose rights ask for less to be shown: it is shown as those rights ask.',
    );
  });

  it('names the rights texts it does not recognise whose photographs are shown in full, with their objects', async () => {
    // Tester T3, F4: init counted these rows ("5 rows have rights not recorded or not recognised") but named no text,
    // so a maintainer could not see that a copyright text was among them.
    const rights = ['Rights TBC', 'Rights TBC', 'Verwendung frei', 'Public domain', ''];
    const messages = await init('unrecognised', ['Inv. No.', 'Photo', 'Classification', 'Title', 'Rights'], rights);
    expect(messages).toMatch(
      new RegExp(
        '\\n {2}12 rows have a rights text Vitrine does not recognise, and their photographs are shown in full ' +
          '\\(catalogue\\.images\\.unknown: full\\): "Rights TBC" \\(8: [^,()]+, [^,()]+, [^,()]+ and 5 more\\) and ' +
          '"Verwendung frei" \\(4: [^,()]+, [^,()]+, [^,()]+ and 1 more\\)\\. If they are not open, correct the rights ' +
          'field in the export',
      ),
    );
    // The objects by their numbers in the export ("Inv. No."), not by a line.
    expect(messages).not.toMatch(/Rights TBC" \(8: line/);
  });

  it('says every photograph is of unknown rights when no rights column is mapped', async () => {
    const messages = await init('none', ['Inv. No.', 'Photo', 'Classification', 'Title'], null);
    expect(messages).toContain('No rights column is mapped, so every photograph counts as of unknown rights');
    expect(messages).toContain('--column rights=<column>');
  });
});
