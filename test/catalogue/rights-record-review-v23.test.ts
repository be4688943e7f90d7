import { describe, expect, it } from 'vitest';
import { CC, INC, read } from './rights-read.ts';

/*
 * Reviewer V23: six ways reading 11 showed more than the reading before it (6465b5fe), each a download offered or a
 * NonCommercial licence lost. Each text here is read as it was then, or as the museum words allow, never more open.
 */

describe('a public domain denied in a clause about the record stays denied (F1)', () => {
  it.each([
    'Datensatz: Werk nicht gemeinfrei. Bild: CC0',
    'Registro: obra no es de dominio público; imagen CC0',
    'Metadaten: kein gemeinfreies Werk; CC BY 4.0',
    'Métadonnées : pas dans le domaine public ; CC0',
    'Scheda: non è di pubblico dominio; CC0',
    'Beschrijving: niet in het publiek domein; CC0',
    'Metadados: não é de domínio público; CC0',
    'Catalogue record: work not in the public domain. Image: CC0',
    'Metadata: work no longer in the public domain; image CC0',
  ])('reads %j as In Copyright', (text) => {
    expect(read(text).uri).toBe(INC);
  });
});

describe('a picture word beside the record is a whole word (F2)', () => {
  it.each([
    'Courtesy of the artist and Fotohof, metadata: CC0',
    'Courtesy of the artist and Fotostudio, metadata: CC0',
    'Courtesy of the artist and Fotomuseum, metadata: CC0',
    'Courtesy of the artist and Afterimage, metadata: CC0',
    'Courtesy of the artist and Studio Lichtbild, Metadata: CC0',
    'Courtesy of the artist and the Etruscan, metadata: CC0',
    'Courtesy of the artist and Telephoto, data: CC0',
    'Courtesy of the artist / Fotohof / Record: CC0 1.0',
    'Courtesy of the artist, Fotohof, catalogue entry: CC0',
    'Courtesy of the artist and Photoworks, metadata: CC0',
  ])('reads %j as In Copyright', (text) => {
    expect(read(text).uri).toBe(INC);
  });

  it.each([
    'Metadata and photographs: CC BY-NC 4.0\nCC0',
    'Metadaten und Fotografien: CC BY-NC 4.0\nCC0',
    'Metadatos y fotografías: CC BY-NC 4.0\nCC0',
    'Metadata, or photos: CC BY-NC 4.0\nCC0',
    'Photographs and metadata: CC BY-NC 4.0\nCC0',
  ])('still reads %j as the image licence', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });
});

describe('the record of a picture in English is the record (F3)', () => {
  it.each([
    'Metadata of the image: CC0',
    'Description of the photograph: CC0',
    'Record of the photograph: CC0',
    'CC0 for records of photographs',
  ])('reads %j as unknown', (text) => {
    expect(read(text).uri).toBeNull();
  });

  it('still reads the Dutch "of" (or) as joining the record and the image', () => {
    expect(read('Beschrijving of afbeelding: CC BY-NC 4.0\nCC0').uri).toBe(CC('by-nc'));
    expect(read('Afbeelding of beschrijving: CC BY-NC 4.0\nCC0').uri).toBe(CC('by-nc'));
  });
});

describe('a record word of two meanings followed by a picture names the picture (F4)', () => {
  it.each([
    'Public domain; Registro de fotografía: CC BY-NC 4.0',
    'Public domain; Registro (fotografía): CC BY-NC 4.0',
    'Public domain; Registro: foto CC BY-NC 4.0',
    'Obra: dominio público; Registro de la imagen: CC BY-NC 4.0',
    'Public domain; Registo de imagem: CC BY-NC 4.0',
    'Public domain; Registro gráfico: CC BY-NC 4.0',
    'Public domain; Registro audiovisual: CC BY-NC 4.0',
    'Public domain; Scheda immagine: CC BY-NC 4.0',
    'Public domain; la notice photographique: CC BY-NC 4.0',
    "Public domain; La notice de l'image: CC BY-NC 4.0",
    'Public domain; Données de numérisation: CC BY-NC 4.0',
    'Public domain; Datensatz Digitalisat: CC BY-NC 4.0',
    'Public domain; Beschrijving van de afbeelding: CC BY-NC 4.0',
    'Public domain; Registro de fotografía: CC BY-NC 4.0'.normalize('NFD'),
  ])('reads %j as the NonCommercial licence', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });

  it.each(['Registro: CC0', 'Registro de la obra: CC0', 'La notice : CC0'])('still reads %j as the record', (text) => {
    expect(read(text).uri).toBeNull();
  });
});

describe('the English "per" is no record word (F5)', () => {
  it.each(['Public domain; photograph CC BY-NC 4.0 per the data supplied', 'CC BY-NC 4.0 per the record; CC0'])(
    'reads %j as the NonCommercial licence',
    (text) => {
      expect(read(text).uri).toBe(CC('by-nc'));
    },
  );

  it('still reads the Italian "per" before a record word', () => {
    expect(read('CC0 per i metadati').uri).toBeNull();
  });
});

describe('a picture word after the record ends where its word ends (F6)', () => {
  it.each(['Text und Bildbeschreibung: CC0', 'Metadata and Bildunterschrift: CC0', 'Text and scanning notes: CC0'])(
    'reads %j as unknown',
    (text) => {
      expect(read(text).uri).toBeNull();
    },
  );
});

describe('recordings beside the record are the work (task D10)', () => {
  it.each([
    'Recordings and metadata: CC BY-NC 4.0\nCC0',
    'Metadata and recordings: CC BY-NC 4.0\nCC0',
    'Audio recordings and metadata: CC BY-NC 4.0\nCC0',
  ])('reads %j as the NonCommercial licence', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });
});
