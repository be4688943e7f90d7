import { describe, expect, it } from 'vitest';
import { CC, CC0, INC, read } from './rights-read.ts';

/*
 * Task D6 (session 61): the record's words were English only, so "Metadaten: CC0" was read as the work's licence and
 * offered the photograph for download, as "Metadata: CC0" does not; and a record's name joined to the image by
 * ", or", "and/or", "(or …)", "or an image" or to a scan or reproduction was read as the record's name alone, so a
 * NonCommercial licence of both was blanked and a CC0 beside it offered for download.
 */

// "Métadonnées" with its accents as combining marks, as some systems write them (NFD).
const NFD = 'Métadonnées : CC0'.normalize('NFD');

describe('a licence of the record in another language is not the work one', () => {
  it.each([
    'Metadaten: CC0',
    'Die Metadaten stehen unter CC0',
    'Datensatz: CC0',
    'Katalogdaten: CC0',
    'Katalogeintrag: CC0',
    'Métadonnées : CC0',
    'MÉTADONNÉES : CC0',
    'Metadonnees: CC0',
    'Méta-données : CC0',
    NFD,
    'Les métadonnées sont sous licence CC0',
    'Données : CC0',
    'Notice descriptive : CC0',
    'Metadatos: CC0',
    'Registro: CC0',
    'Metadati: CC0',
    'Scheda catalografica: CC0',
    'Metadata: CC0',
    'Beschrijving: CC0',
    'Metadatan: CC0',
    'Metadataen: CC0',
    'Metadados: CC0',
    'CC0 (nur Metadaten)',
    'CC0 (métadonnées uniquement)',
    'CC0 pour les métadonnées',
    'Metadaten:\nCC0',
  ])('reads %j alone as unknown, as "Metadata: CC0"', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });

  it.each([
    'Courtesy of the artist, Metadaten: CC0',
    'Courtesy of the artist / Métadonnées : CC0',
    'Courtesy of the artist, Metadaten stehen unter CC0',
    'Courtesy of the artist, les métadonnées sont sous licence CC0',
    'Courtesy of the artist, metadatos bajo licencia CC0',
    'In Copyright\nMetadaten: CC0',
    'Metadaten: CC0; In Copyright',
    'Metadatos: CC0\nIn Copyright',
  ])('reads %j beside the artist credited or In Copyright as In Copyright', (text) => {
    expect(read(text)).toMatchObject({ uri: INC, download: false });
  });

  it.each([
    ['Metadaten: CC0\nCC BY-NC 4.0', CC('by-nc')],
    ['Métadonnées : CC0 ; CC BY 4.0', CC('by')],
    // In Copyright of the record is not dropped in another language: the safe mistake.
    ['Metadaten: In Copyright; CC0', INC],
    // The image or the work named beside the record, or instead of it: its licence stays.
    ['Metadaten und Bilder: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Métadonnées et images : CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Metadatos e imágenes: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Metadati o immagine: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Bild: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Bilddaten: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ["Données de l'image : CC BY-NC 4.0\nCC0", CC('by-nc')],
    ['Registro fotográfico: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Notice: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Werk: CC BY-NC 4.0\nCC0', CC('by-nc')],
  ])('reads %j as the work statement that shows less', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

describe('a licence of the text joined to the image in other ways is the image licence too', () => {
  it.each([
    'Text, or image: CC BY-NC 4.0\nCC0',
    'Text and/or image: CC BY-NC 4.0\nCC0',
    'Text (or image): CC BY-NC 4.0\nCC0',
    'Text or an image: CC BY-NC 4.0\nCC0',
    'Text or scan: CC BY-NC 4.0\nCC0',
    'Text or reproduction: CC BY-NC 4.0\nCC0',
    'Text and scan: CC BY-NC 4.0\nCC0',
    'Text and an image: CC BY-NC 4.0\nCC0',
    'Image, or text: CC BY-NC 4.0\nCC0',
    'CC BY-NC 4.0 for text and/or images\nCC0',
    'CC BY-NC 4.0 for text or scan\nCC0',
  ])('reads %j as the NonCommercial licence, as "Text and image" is', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });

  it.each([
    ['Text and image: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Text or image: CC BY-NC 4.0\nCC0', CC('by-nc')],
    ['Text and description: CC BY-NC 4.0\nCC0', CC0],
    ['Metadata: CC BY-NC 4.0\nCC0', CC0],
  ])('still reads %j as before', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});
