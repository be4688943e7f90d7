import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { guessColumns } from '../../pipeline/init/mapping.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Tester, 2026-12-03 #1: `vitrine init` at a terminal on a German export (Inventarnummer,Bild,Objektart,Titel,
 * Datierung) showed "id (none)", "label (none)", "title (none)", offered "Use these columns? (y/n) [y]", asked for
 * the vocabulary, the collection name and the storage place, and only after "Write the repository…? [y]" said that
 * no column looks like the object id. Now the usual German, French, Dutch, Spanish and Italian column names are
 * guessed, and when no column looks like the id init asks which column holds each field straight away, the id
 * first, and asks nothing else until it has one.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-not-english-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const TYPES = ['Vase', 'Münze', 'Maske'];

/** The tester's export, objekte-utf8.csv, with `header` (the id column first) and 12 objects with images in bilder/. */
async function germanExport(name: string, header: string[]) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'export', 'bilder'), { recursive: true });
  const lines = [header.join(',')];
  for (let i = 1; i <= 12; i++) {
    const id = `I-${i}`;
    await writeFile(path.join(dir, 'export', 'bilder', `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
    lines.push([id, `bilder/${id}.jpg`, TYPES[i % 3], `Gegenstand ${i}`, 'um 1800'].join(','));
  }
  const csv = path.join(dir, 'export', 'objekte-utf8.csv');
  await writeFile(csv, `${lines.join('\n')}\n`);
  return { csv, images: path.join(dir, 'export'), museum: path.join(dir, 'museum3') };
}

/**
 * `vitrine init` at a terminal: each question written to the prompts stream is answered from `answers` (the first
 * whose pattern matches it, each used once, in order); a question none matches ends the input, as Ctrl-D would.
 */
async function initAtTerminal(args: string[], cwd: string, answers: [RegExp, string][]) {
  const stdin = new PassThrough();
  const questions: string[] = [];
  let screen = '';
  let next = 0;
  const prompts = new Writable({
    write(chunk: Buffer, _encoding, done) {
      screen += chunk.toString();
      const question = /([^\n]*: )$/.exec(screen)?.[1];
      if (question) {
        screen = '';
        questions.push(question);
        const wanted = answers[next];
        if (wanted?.[0].test(question)) {
          next++;
          stdin.write(`${wanted[1]}\n`);
        } else stdin.end();
      }
      done();
    },
  });
  const log = memoryLogger();
  const code = await main(['init', ...args], {
    cwd,
    env: {},
    stdout: () => {},
    log,
    interactive: true,
    stdin,
    prompts,
  });
  stdin.end();
  const said = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  return { code, questions, answered: next, said };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('vitrine init at a terminal, on an export whose columns are not named in English', () => {
  it("guesses the tester's German columns and writes the repository with them", async () => {
    const header = ['Inventarnummer', 'Bild', 'Objektart', 'Titel', 'Datierung'];
    const { csv, images, museum } = await germanExport('german', header);
    const { code, questions, said } = await initAtTerminal(['-C', museum, '--from', csv, '--images', images], root, [
      [/^Use these columns\? \(y\/n\) \[y\]: $/, ''],
      [/^Vocabulary, comma-separated \[Maske, Münze, Vase\]: $/, ''],
      [/^Collection name \[Museum3\]: $/, ''],
      [/^Where should the images be stored\?/, ''],
      [/^Write the repository and import 12 objects\? \(y\/n\) \[y\]: $/, ''],
    ]);
    expect(code, `${said}\n${questions.join('\n')}`).toBe(0);
    expect(said).toMatch(
      / {2}id {11}← Inventarnummer\n {2}image {8}← Bild\n {2}label {8}← Objektart\n {2}title {8}← Titel\n/,
    );
    expect(said).toMatch(/ {2}date {9}← Datierung\n/);
    const params = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    expect(params).toContain('id: Inventarnummer');
    expect(params).toContain('label: Objektart');
    expect(await readFile(path.join(museum, 'labels.csv'), 'utf8')).toMatch(/^I-1,Münze$/m);
  });

  it('asks which column holds each field straight away when no column looks like the id', async () => {
    // "Spalte A" is an id no guess knows: the export cannot be imported until someone says which column it is.
    const header = ['Spalte A', 'Bild', 'Objektart', 'Titel', 'Datierung'];
    const { csv, images, museum } = await germanExport('no-id', header);
    const { code, questions, said } = await initAtTerminal(['-C', museum, '--from', csv, '--images', images], root, [
      // No "Use these columns?" with a mapping that cannot work; the id has no answer to take by Enter.
      [/^ {2}id: $/, ''],
      [/^ {2}id: $/, 'Spalte A'],
      [/^ {2}image \[Bild\]: $/, ''],
      [/^ {2}label \[Objektart\]: $/, ''],
      [/^ {2}title \[Titel\]: $/, ''],
      [/^ {2}maker \[-\]: $/, ''],
      [/^ {2}date \[Datierung\]: $/, ''],
      [/^ {2}department \[-\]: $/, ''],
      [/^ {2}medium \[-\]: $/, ''],
      [/^ {2}credit_line \[-\]: $/, ''],
      [/^ {2}rights \[-\]: $/, ''],
      [/^ {2}description \[-\]: $/, ''],
      [/^Vocabulary, comma-separated \[Maske, Münze, Vase\]: $/, ''],
      [/^Collection name \[Museum3\]: $/, ''],
      [/^Where should the images be stored\?/, ''],
      [/^Write the repository and import 12 objects\? \(y\/n\) \[y\]: $/, ''],
    ]);
    expect(code, `${said}\n${questions.join('\n')}`).toBe(0);
    expect(questions.some((q) => q.startsWith('Use these columns'))).toBe(false);
    expect(said).toMatch(/ {2}id {11}\(none\)/);
    const params = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    expect(params).toContain('id: Spalte A');
    expect(await readFile(path.join(museum, 'labels.csv'), 'utf8')).toMatch(/^I-2,Maske$/m);
  });

  it('stops before the later questions when the input ends without an id column', async () => {
    const header = ['Spalte A', 'Bild', 'Objektart', 'Titel', 'Datierung'];
    const { csv, images, museum } = await germanExport('no-id-ended', header);
    // Nothing is answered: the input ends at the first question.
    const { code, questions, said } = await initAtTerminal(['-C', museum, '--from', csv, '--images', images], root, []);
    expect(code).toBe(1);
    expect(questions).toEqual(['  id: ']);
    expect(said).toContain('No column of objekte-utf8.csv looks like the object id');
    expect(await exists(path.join(museum, 'params.yaml'))).toBe(false);
  });
});

describe('vitrine init on an export with no column taken as the labels', () => {
  // Tester T6 (7 December 2026): "Label objects in the export's label column", when no column was the labels.
  it('names --column label= and the columns nothing uses', async () => {
    const { csv, images, museum } = await germanExport('no-label', [
      'Inventarnummer',
      'Bild',
      'Sorte',
      'Titel',
      'Zeit',
    ]);
    const log = memoryLogger();
    const args = ['init', '-C', museum, '--from', csv, '--images', images, '--yes'];
    const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(code, said).toBe(1);
    expect(said).toContain(
      'No column of objekte-utf8.csv was taken as the labels: name the one that says what each object is with ' +
        '--column label=Sorte (columns not used: Sorte, Zeit)',
    );
    expect(await exists(path.join(museum, 'params.yaml'))).toBe(false);
  });
});

describe('guessing the columns of exports in other languages', () => {
  const guess = (header: string[]) =>
    guessColumns({ header, rows: [{ cells: Object.fromEntries(header.map((h) => [h, ''])) }] }).columns;

  it.each([
    ['German', ['Inventar-Nr.', 'Abbildung', 'Objekttyp', 'Titel', 'Datierung', 'Künstler', 'Beschreibung']],
    ['French', ["N° d'inventaire", 'Image', "Type d'objet", 'Titre', 'Datation', 'Auteur', 'Description']],
    ['Dutch', ['Inventarisnummer', 'Afbeelding', 'Objecttype', 'Titel', 'Datering', 'Vervaardiger', 'Beschrijving']],
    ['Spanish', ['Número de inventario', 'Imagen', 'Tipo de objeto', 'Título', 'Fecha', 'Autor', 'Descripción']],
    [
      'Italian',
      ['Numero di inventario', 'Immagine', 'Tipo di oggetto', 'Titolo', 'Datazione', 'Autore', 'Descrizione'],
    ],
  ])('maps a %s export', (_language, header) => {
    const [id, image, label, title, date, maker, description] = header;
    expect(guess(header)).toMatchObject({ id, image, label, title, date, maker, description });
  });

  // An outside tester's French export: "No label column", then "The vocabulary needs at least two labels".
  it.each([
    ['French', ["Numéro d'inventaire", 'Fichier', 'Désignation', 'Titre', 'Matériaux', 'Département', 'Droits']],
    ['German', ['Inventarnummer', 'Bild', 'Objektbezeichnung', 'Titel', 'Material/Technik', 'Abteilung', 'Rechte']],
    ['Dutch', ['Objectnummer', 'Afbeelding', 'Objectnaam', 'Titel', 'Materiaal', 'Afdeling', 'Rechten']],
    ['Spanish', ['Inventario', 'Imagen', 'Clasificación', 'Título', 'Materiales', 'Departamento', 'Derechos']],
    ['Italian', ['Inventario', 'Immagine', 'Definizione', 'Titolo', 'Materia e tecnica', 'Dipartimento', 'Diritti']],
  ])('maps a %s export’s object type, materials, department and rights', (_language, header) => {
    const [id, image, label, title, medium, department, rights] = header;
    expect(guess(header)).toMatchObject({ id, image, label, title, medium, department, rights });
  });

  // A reviewer: an English coin export’s "Denomination" (its face value) is no object type.
  it('does not take a coin’s Denomination for the object type', () => {
    expect(guess(['Object number', 'Image', 'Title', 'Denomination']).label).toBeFalsy();
    expect(guess(['Object number', 'Image', 'Title', 'DENOMINATION']).label).toBeFalsy();
    expect(guess(['N° inventaire', 'Fichier', 'Titre', 'Dénomination monétaire']).label).toBeFalsy();
  });

  // Tester T6 (7 December 2026): French museums' standard field for the object type, written with its accent.
  it.each([['Dénomination'], ['DÉNOMINATION'], ['Dénomination(s)'], ['De\u0301nomination']])(
    'takes a French %s column for the object type',
    (label) => {
      expect(guess(['N° inventaire', 'Fichier', label, 'Titre', 'Domaine']).label).toBe(label);
    },
  );
});
