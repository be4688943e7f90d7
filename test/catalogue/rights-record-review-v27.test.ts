import { describe, expect, it } from 'vitest';
import { INC, read } from './rights-read.ts';

/*
 * Reviewer V27, F1: beside a courtesy credit, a picture named, then a dash, then its licence ("Video and metadata -
 * CC0") was read as two clauses, and the licence given to a living artist's work, offered for download. With ":" it
 * was In Copyright; a dash says the same.
 */

const dashed = (text: string) => ['-', '–', '—'].map((dash) => text.replace('DASH', dash));

describe('a picture, a dash, then its licence beside a courtesy credit is the picture licence (F1)', () => {
  it.each([
    ...dashed('Courtesy of the artist. Video and metadata DASH CC0'),
    ...dashed('Courtesy of the artist. Metadata and media DASH CC0'),
    ...dashed('Courtesy of the artist. Image and metadata DASH CC0'),
    ...dashed('Courtesy of the artist. Photo DASH CC0'),
    ...dashed('Courtesy of the artist. Film DASH CC0'),
    'Courtesy of the artist; Video and metadata - CC0',
    'Courtesy of the artist\nVideo and metadata - CC0',
    'Courtesy of the artist. The films, metadata - CC0',
    'Courtesy of the artist. Metadata, video - CC0',
    'Courtesy of the artist. Metadata and Bild - CC0',
    'Courtesy of the artist and LUX Films. Video and metadata - CC0',
    'Courtesy of the artist. Video and metadata - CC BY 4.0',
    'Courtesy of the artist. Video and metadata - Public domain',
  ])('reads %j as In Copyright', (text) => {
    expect(read(text)).toMatchObject({ uri: INC, download: false });
  });

  it.each(['Courtesy of the artist - CC BY 4.0', 'Courtesy of the artist. Metadata - CC0; CC BY 4.0'])(
    'still reads %j, no picture before the dash, as the licence',
    (text) => {
      expect(read(text)).toMatchObject({ uri: 'https://creativecommons.org/licenses/by/4.0/', download: true });
    },
  );
});
