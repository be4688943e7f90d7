import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { guessColumns } from '../../pipeline/init/mapping.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Outside tester: `vitrine init` took a German library’s plain "Signatur" column (its shelfmark) as the object id only
 * in some exports. A library’s export has no inventory number: "Signatur" alone is the id. A museum’s "Signatur /
 * Bezeichnung" (how a work is signed and inscribed) never is, whatever its cells hold.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-signatur-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const TYPES = ['Handschrift', 'Karte', 'Druckgrafik'];

/** `vitrine init --from` on an export of `header` with 12 rows made by `row(i)`: the exit code and what it said. */
async function init(name: string, header: string[], row: (i: number, file: string) => string[]) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'export', 'bilder'), { recursive: true });
  const lines = [header.join(';')];
  for (let i = 1; i <= 12; i++) {
    const file = `bilder/${name}-${i}.jpg`;
    await writeFile(path.join(dir, 'export', file), Buffer.concat([JPEG, Buffer.from(`${name} ${i}`)]));
    lines.push(row(i, file).join(';'));
  }
  const csv = path.join(dir, 'export', 'export.csv');
  await writeFile(csv, `${lines.join('\n')}\n`);
  const museum = path.join(dir, 'museum');
  const log = memoryLogger();
  const code = await main(['init', '-C', museum, '--from', csv, '--images', path.join(dir, 'export'), '--yes'], {
    cwd: root,
    env: {},
    stdout: () => {},
    log,
    interactive: false,
  });
  return { code, said: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n'), museum };
}

describe('vitrine init on a German export with a "Signatur" column', () => {
  it('takes a library’s plain "Signatur" as the object id when no column is an inventory number', async () => {
    const header = ['Signatur', 'Titel', 'Datierung', 'Objektart', 'Datei', 'Bestand', 'Bemerkung'];
    const { code, said, museum } = await init('bibliothek', header, (i, file) => [
      `Cod. Pal. germ. ${100 + i}`,
      `Stundenbuch (${i})`,
      '15. Jahrhundert',
      TYPES[i % 3]!,
      file,
      i % 2 ? 'Sammlung Müller' : 'Nachlass Weber',
      '',
    ]);
    expect(code, said).toBe(0);
    expect(said).toMatch(/ {2}id {11}← Signatur\n/);
    expect(await readFile(path.join(museum, 'params.yaml'), 'utf8')).toContain('id: Signatur');
  }, 60_000);

  it('takes a museum’s "Signatur / Bezeichnung" (how a work is signed) for no id', async () => {
    const header = ['Titel', 'Künstler', 'Signatur / Bezeichnung', 'Datierung', 'Objektart', 'Datei'];
    const { code, said } = await init('museum', header, (i, file) => [
      `Landschaft ${i}`,
      'Adolph Menzel',
      `sign. u. r.: A. M. ${1850 + i}`,
      `${1850 + i}`,
      TYPES[i % 3]!,
      file,
    ]);
    expect(said).not.toMatch(/ {2}id {11}← Signatur/);
    expect(code, said).not.toBe(0);
    expect(said).toContain('looks like the object id');
  }, 60_000);
});

describe('guessing the id among German "Signatur" columns', () => {
  const guess = (header: string[]) =>
    guessColumns({ header, rows: [{ cells: Object.fromEntries(header.map((h) => [h, ''])) }] }).columns.id;

  it('takes a shelfmark written in any of its usual forms', () => {
    for (const id of ['Signatur', 'SIGNATUR', 'Signatur-Nr.', 'Signaturnummer', 'Aktuelle Signatur', 'Signatur (alt)'])
      expect(guess([id, 'Titel', 'Künstler']), id).toBe(id);
    expect(guess(['Bibliothekssignatur', 'Titel'])).toBe('Bibliothekssignatur');
  });

  it('takes no column of how a work is signed, marked or dated, however its name is written', () => {
    for (const name of [
      'Signatur / Bezeichnung',
      'Signatur / Bez.',
      'Signatur, Bez.',
      'Signatur / Beschriftung',
      'Beschriftung/Signatur',
      'Signatur / Monogramm',
      'Signatur, datiert',
      'Signatur / Stempel',
    ])
      expect(guess(['Titel', name, 'Künstler']), name).toBeFalsy();
    // Beside one, a plain "Signatur" is still the id.
    expect(guess(['Signatur / Bez.', 'Signatur', 'Titel'])).toBe('Signatur');
  });
});
