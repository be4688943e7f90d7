import { describe, expect, it } from 'vitest';
import { CC, INC, read } from './rights-read.ts';

/*
 * Reviewer V25: reading 11 made film, video, audio, recordings and Bild picture words, and a distributor or gallery
 * whose name ends in one gave the record's licence to the work. Each text is read as at 6465b5fe, or shows less.
 */

describe('a picture word ending a name in a credit is no picture (F1)', () => {
  it.each([
    'Courtesy of the artist and LUX Films, metadata: CC0',
    'Courtesy of the artist and Icarus Films, metadata: CC0',
    'Courtesy the artist and Arsenal – Institut für Film und Video, metadata: CC0',
    'Courtesy of the artist and Sound Recordings, metadata: CC0',
    'Courtesy of the artist and Galerie Bild, metadata: CC0',
    "Avec l'aimable autorisation de l'artiste et de Lux Films, metadata: CC0",
    'Courtesy of the artist and LUX Films, metadata: CC BY 4.0',
  ])('reads %j as In Copyright', (text) => {
    expect(read(text)).toMatchObject({ uri: INC, download: false });
  });

  it.each(['Gift of Jane Doe and LUX Films, metadata: CC0', 'Gift of Jane Doe and Galerie Bild, Metadaten: CC0'])(
    'reads %j as unknown',
    (text) => {
      expect(read(text)).toMatchObject({ uri: null, download: false });
    },
  );

  it.each([
    'Video and metadata: CC BY-NC 4.0\nCC0',
    'Metadata; films and metadata: CC BY-NC 4.0\nCC0',
    'Public domain. The recordings and metadata: CC BY-NC 4.0',
  ])('still reads %j, its picture word opening the clause, as the picture licence', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });
});

describe('film, video, audio or recordings beside a courtesy credit are the photograph (F2)', () => {
  it.each([
    'Courtesy of the artist. Video and metadata: CC0',
    'Courtesy of the artist; Film and metadata: CC0',
    'Courtesy of the artist and Film, metadata: CC0',
    'Courtesy of the artist; Audio: CC BY 4.0',
    'Courtesy of the artist; recordings: CC BY 4.0',
  ])('reads %j as In Copyright', (text) => {
    expect(read(text)).toMatchObject({ uri: INC, download: false });
  });
});

describe('a media word before a word naming text is the record (F3)', () => {
  it.each([
    'Metadata and video captions: CC0',
    'Metadata and film titles: CC0',
    'Metadata and film credits: CC0',
    'Metadata and video descriptions: CC0',
    'Metadata and video subtitles: CC0',
    'Metadata and audio transcripts: CC0',
    'Metadaten und Video-Untertitel: CC0',
  ])('reads %j as unknown', (text) => {
    expect(read(text)).toMatchObject({ uri: null, download: false });
  });
});

describe('a record word of two meanings before a picture in more words is the picture (F4)', () => {
  it.each([
    'Datensatz zum Foto: CC BY-NC 4.0\nCC0',
    'Datensatz zur Aufnahme: CC BY-NC 4.0\nCC0',
    "Scheda sull'immagine: CC BY-NC 4.0\nCC0",
    'Beschrijving bij de afbeelding: CC BY-NC 4.0\nCC0',
    'La notice sur la photo: CC BY-NC 4.0\nCC0',
    "Données relatives à l'image: CC BY-NC 4.0\nCC0",
    'Registro para la fotografía: CC BY-NC 4.0\nCC0',
    'Registro del objeto y fotografía: CC BY-NC 4.0\nCC0',
    'Registro digital: CC BY-NC 4.0\nCC0',
    'Registro digital de la foto: CC BY-NC 4.0\nCC0',
  ])('reads %j as the NonCommercial licence', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });
});

describe('a public domain denied or a work protected in a clause about the record stays In Copyright (F5)', () => {
  it.each([
    'Metadata: not PD. Image: CC0',
    'Metadata: non-public domain. Image: CC0',
    'Metadata: work not yet public domain. Image: CC0',
    'Metadata: work not yet in the public domain; image CC0',
    'Metadata: work still protected. Image: CC0',
    'Catalogue record: work protected. Image: CC0',
  ])('reads %j as In Copyright', (text) => {
    expect(read(text)).toMatchObject({ uri: INC, download: false });
  });

  it.each(['Metadata: CC0. Image: CC0', 'Metadata: not protected. Image: CC0'])('still reads %j as CC0', (text) => {
    expect(read(text).uri).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
  });
});

describe('a picture word parted from "record" by a spaced dash makes no photographic record (sweep)', () => {
  it('reads a credit, a spaced dash and the record licence as In Copyright', () => {
    expect(read('Courtesy of the artist and Magnum Photos - record: CC0').uri).toBe(INC);
  });

  it('reads a gift, a spaced dash and the record public domain as unknown', () => {
    expect(read('Gift of Jane Doe and Magnum Photos - record: Public domain').uri).toBeNull();
  });

  it('still reads a photo record joined by one hyphen as the photograph', () => {
    expect(read('Photo-record: CC BY-NC 4.0\nCC0').uri).toBe(CC('by-nc'));
  });
});
