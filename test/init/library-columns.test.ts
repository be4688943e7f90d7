import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { guessColumns } from '../../pipeline/init/mapping.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * An outside tester's French university library export (Cote;Titre;Date;Type d'objet;Fichier;Fonds;Notes, with a
 * byte-order mark and CRLF): `vitrine init --from` stopped with "No column of export.csv looks like the object id".
 * Libraries and archives number their items by shelfmark: "Cote" in French, "Shelfmark" or "Call number" in English,
 * "Signatur" in German, "Signatura" in Spanish, "Segnatura" in Italian, "Cota" in Portuguese; an archive's "Fonds" is
 * the department the catalogue shows and filters by. Now they are guessed.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-library-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const TYPES = ['Manuscrit', 'Carte', 'Estampe'];

describe('vitrine init on a library’s export', () => {
  it('takes the French shelfmark (Cote) as the object id and the Fonds as the department', async () => {
    const dir = path.join(root, 'french');
    await mkdir(path.join(dir, 'export', 'images'), { recursive: true });
    const header = ['Cote', 'Titre', 'Date', "Type d'objet", 'Fichier', 'Fonds', 'Notes'];
    const lines = [header.join(';')];
    for (let i = 1; i <= 12; i++) {
      const cote = `MS ${100 + i} f. ${i}r`;
      const file = `images/ms-${i}.jpg`;
      await writeFile(path.join(dir, 'export', file), Buffer.concat([JPEG, Buffer.from(cote)]));
      const fonds = i % 2 ? 'Fonds Dupré' : 'Collection Müller';
      lines.push([cote, `Livre d’heures (${i})`, 'XVe siècle', TYPES[i % 3], file, fonds, ''].join(';'));
    }
    const csv = path.join(dir, 'export', 'export.csv');
    await writeFile(csv, `\ufeff${lines.join('\r\n')}\r\n`);
    const museum = path.join(dir, 'museum');
    const log = memoryLogger();
    const code = await main(['init', '-C', museum, '--from', csv, '--images', path.join(dir, 'export'), '--yes'], {
      cwd: root,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    });
    const said = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(code, said).toBe(0);
    expect(said).toMatch(/ {2}id {11}← Cote\n/);
    expect(said).toMatch(/ {2}department {3}← Fonds\n/);
    expect(said).not.toMatch(/not used: .*Cote/);
    const params = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    expect(params).toContain('id: Cote');
    expect(params).toContain('department: Fonds');
    expect(await readFile(path.join(museum, 'labels.csv'), 'utf8')).toMatch(/^MS 101 f\. 1r,Carte$/m);
  }, 60_000);
});

describe('guessing a library’s or an archive’s id column', () => {
  const guess = (header: string[]) =>
    guessColumns({ header, rows: [{ cells: Object.fromEntries(header.map((h) => [h, ''])) }] }).columns;

  it.each([
    ['French', 'Cote'],
    ['English', 'Shelfmark'],
    ['English', 'Shelf mark'],
    ['English', 'Call number'],
    ['English', 'Call No.'],
    ['German', 'Signatur'],
    ['Spanish', 'Signatura'],
    ['Spanish', 'Signatura topográfica'],
    ['Italian', 'Segnatura'],
    ['Portuguese', 'Cota'],
  ])('maps a %s shelfmark (“%s”) as the object id', (_language, id) => {
    expect(guess([id, 'Title', 'Image'])).toMatchObject({ id, title: 'Title', image: 'Image' });
  });

  it('maps an archive’s fonds as the department', () => {
    expect(guess(['Cote', 'Titre', 'Fonds']).department).toBe('Fonds');
    expect(guess(['Cote', 'Titre', 'Nom du fonds']).department).toBe('Nom du fonds');
  });

  it('keeps a museum’s register number first, and does not take an artist’s signature for the id', () => {
    expect(guess(['Shelf Mark', 'Object number', 'Title']).id).toBe('Object number');
    expect(guess(['Cote', 'Numéro d’inventaire', 'Titre']).id).toBe('Numéro d’inventaire');
    // A register number whose name is not exactly one Vitrine knows (found at its end or inside) still comes first.
    expect(guess(['Cote', 'N° inventaire', 'Titre']).id).toBe('N° inventaire');
    expect(guess(['Segnatura', 'N. inventario', 'Titolo']).id).toBe('N. inventario');
    expect(guess(['Signatur', 'Inventarnummer (alt)', 'Titel']).id).toBe('Inventarnummer (alt)');
    expect(guess(['Shelfmark', 'Museum object number', 'Title'])).toMatchObject({ id: 'Museum object number' });
    expect(guess(['Shelfmark', 'Museum object number', 'Title']).department).toBeFalsy();
    // "Signature" (where a painting is signed) in an English or French export is no shelfmark.
    expect(guess(['Signature', 'Title', 'Image']).id).toBeFalsy();
    expect(guess(['Signature', 'Titre']).id).toBeFalsy();
  });

  // A reviewer: words that end in or hold a shelfmark's or a fonds's name but are none.
  it('takes no inscription, purchase fund or pet for a shelfmark or a fonds', () => {
    // German "Signatur / Bezeichnung": how a work is signed and inscribed, not a shelfmark.
    expect(guess(['Titel', 'Signatur / Bezeichnung', 'Künstler']).id).toBeFalsy();
    expect(guess(['Titel', 'Signatur und Datierung']).id).toBeFalsy();
    // Dutch "Aankoopfonds" (the fund an object was bought with) is a credit line, not an archive's fonds.
    expect(guess(['Objectnummer', 'Titel', 'Aankoopfonds']).department).toBeFalsy();
    expect(guess(['Mascota', 'Title']).id).toBeFalsy();
    // A shelfmark's short name still counts as a word of the column's name.
    expect(guess(['Ancienne cote', 'Titre']).id).toBe('Ancienne cote');
    expect(guess(['Cote', 'Titre', 'Nom du fonds']).department).toBe('Nom du fonds');
  });
});
