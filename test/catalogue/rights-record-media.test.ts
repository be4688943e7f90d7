import { describe, expect, it } from 'vitest';
import { CC, CC0, INC, read } from './rights-read.ts';

/*
 * Task D10: two ways a licence of the image was taken for the record's and blanked, so that a CC0 beside it offered
 * the image for download where the museum restricted it. "Photographic record: CC BY-NC 4.0" read "record:" as the
 * record's name in the middle of a clause; a photographic, photo or image record, a "record photograph" or "record
 * shot", is the image. "Metadata and media: CC BY-NC 4.0" read "media" as nothing: media, files, assets, digital
 * surrogates, imagery, scans beside the record name the image too, as "and image" does.
 */

describe('a photographic record is the image, not the catalogue record', () => {
  it.each([
    'Photographic record: CC BY-NC 4.0\nCC0',
    'Photographic records: CC BY-NC 4.0\nCC0',
    'Photo record: CC BY-NC 4.0\nCC0',
    'Photo-record: CC BY-NC 4.0\nCC0',
    'Image record: CC BY-NC 4.0\nCC0',
    'Record photograph: CC BY-NC 4.0\nCC0',
    'Record photography: CC BY-NC 4.0\nCC0',
    'Record shot: CC BY-NC 4.0\nCC0',
    'Record shots: CC BY-NC 4.0\nCC0',
    'The photographic record is CC BY-NC 4.0\nCC0',
    'CC BY-NC 4.0 (photographic record only)\nCC0',
    'CC BY-NC 4.0; CC0',
  ])('reads %j as the NonCommercial licence', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });

  it.each(['Courtesy of the artist, photographic record: CC0', 'Courtesy of the artist / Record photograph: CC0'])(
    'reads %j as In Copyright, the licence being the photograph one',
    (text) => {
      // The photograph licensed beside the artist credited: the work is still the artist one (photographLicensed).
      expect(read(text)).toMatchObject({ download: false });
    },
  );
});

describe('media, files or scans beside the record name the image too', () => {
  it.each([
    'Metadata and media: CC BY-NC 4.0\nCC0',
    'Metadata and digital media: CC BY-NC 4.0\nCC0',
    'Metadata and the digital media: CC BY-NC 4.0\nCC0',
    'Metadata and associated media: CC BY-NC 4.0\nCC0',
    'Metadata, media files: CC BY-NC 4.0\nCC0',
    'Metadata and assets: CC BY-NC 4.0\nCC0',
    'Metadata and digital assets: CC BY-NC 4.0\nCC0',
    'Metadata and digital surrogates: CC BY-NC 4.0\nCC0',
    'Metadata and files: CC BY-NC 4.0\nCC0',
    'Metadata and photography: CC BY-NC 4.0\nCC0',
    'Metadata and imagery: CC BY-NC 4.0\nCC0',
    'Metadata and visuals: CC BY-NC 4.0\nCC0',
    'Metadata and scans: CC BY-NC 4.0\nCC0',
    'Metadata and digitisation: CC BY-NC 4.0\nCC0',
    'Metadata and digitizations: CC BY-NC 4.0\nCC0',
    'Record and media: CC BY-NC 4.0\nCC0',
    'Media and metadata: CC BY-NC 4.0\nCC0',
    'Digital media and metadata: CC BY-NC 4.0\nCC0',
    'CC BY-NC 4.0 for metadata and media\nCC0',
    // The same in the other languages the record is read in.
    'Metadaten und Medien: CC BY-NC 4.0\nCC0',
    'Metadaten und digitale Medien: CC BY-NC 4.0\nCC0',
    'Metadaten und Dateien: CC BY-NC 4.0\nCC0',
    'Metadaten und Digitalisate: CC BY-NC 4.0\nCC0',
    'Métadonnées et médias : CC BY-NC 4.0\nCC0',
    'Métadonnées et fichiers : CC BY-NC 4.0\nCC0',
    'Métadonnées et visuels : CC BY-NC 4.0\nCC0',
    'Métadonnées et numérisations : CC BY-NC 4.0\nCC0',
    'Metadatos y medios: CC BY-NC 4.0\nCC0',
    'Metadatos y archivos: CC BY-NC 4.0\nCC0',
    'Metadatos y digitalizaciones: CC BY-NC 4.0\nCC0',
    'Metadati e media: CC BY-NC 4.0\nCC0',
    'Metadati e file: CC BY-NC 4.0\nCC0',
    'Metadati e riproduzioni: CC BY-NC 4.0\nCC0',
    'Metadata en media: CC BY-NC 4.0\nCC0',
    'Metadata en bestanden: CC BY-NC 4.0\nCC0',
    'Metadata en beelden: CC BY-NC 4.0\nCC0',
    'Metadatan och filer: CC BY-NC 4.0\nCC0',
    'Metadataen og medier: CC BY-NC 4.0\nCC0',
    'Metadados e mídias: CC BY-NC 4.0\nCC0',
    'Metadados e ficheiros: CC BY-NC 4.0\nCC0',
    'Metadados e digitalizações: CC BY-NC 4.0\nCC0',
    // Accents as combining marks, as some systems write them (NFD).
    'Métadonnées et médias : CC BY-NC 4.0\nCC0'.normalize('NFD'),
    'Metadados e mídias: CC BY-NC 4.0\nCC0'.normalize('NFD'),
  ])('reads %j as the NonCommercial licence, as "Metadata and images" is', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });

  it.each([
    ['Metadata and media: CC0', CC0],
    ['Metadaten und Medien: CC0', CC0],
    ['Metadata and media: InC; CC BY 4.0', INC],
    // The media licensed beside the artist credited: the work is still the artist one.
    ['Courtesy of the artist, metadata and media: CC0', INC],
    ['Courtesy of the artist\nMedia and metadata: CC BY-NC 4.0\nCC0', INC],
  ])('reads %j as the statement of the image', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

describe('the record alone is read as before', () => {
  it.each([
    ['Metadata: CC BY-NC 4.0\nCC0', CC0],
    ['Record: CC BY-NC 4.0\nCC0', CC0],
    ['Text and description: CC BY-NC 4.0\nCC0', CC0],
    ['Metadaten: CC BY-NC 4.0\nCC0', CC0],
    ['Image description: CC0', null],
    ['Photo metadata: CC0', null],
    ['Metadata, filename: CC0', null],
    ['Metadata and mediation notes: CC0', null],
  ])('reads %j as %j', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});
