import { describe, expect, it } from 'vitest';
import { CC, CC0, INC, read } from './rights-read.ts';

/*
 * Reviewer V20, F3: reading 10 dropped In Copyright in any clause that named a "record", and the licence beside it
 * won. A record sleeve, "for the record", "Records of the Smith family" or a line that says which record the rights
 * are of ("Rights statement for this record\nIn Copyright") are the work; these were In Copyright at 07dbe328 and
 * were offered for download. In Copyright is the record's only where its clause names the metadata, the data or the
 * catalogue record or entry, on the same line.
 */

describe('In Copyright beside a record that is the work, or on a line joined to one, stays (V20 F3)', () => {
  it.each([
    // The line naming the record is joined to the next: In Copyright there is not dropped.
    'Rights statement for this record\nIn Copyright\nImage licence: CC BY 4.0',
    'Rights statement for this record:\nIn Copyright\nCC BY 4.0',
    'Metadata:\nIn Copyright\nCC BY 4.0',
    'CC BY 4.0\nIn Copyright\n(metadata only)',
    // "Record" as a thing or in an idiom.
    'Record sleeve: In Copyright; photograph CC BY 4.0',
    'Record cover by Jane Doe, In Copyright; photo: CC0',
    'Records: In Copyright; scan CC0',
    'Records of the Smith family, In Copyright; CC0 1.0',
    'For the record, this work is In Copyright; CC BY 4.0',
    'On record: In Copyright; CC BY 4.0',
    'Status on record: InC; CC0',
    'This record: http://rightsstatements.org/vocab/InC/1.0/; CC BY 4.0',
    'Record: http://rightsstatements.org/vocab/InC/1.0/\nCC BY 4.0',
    // Not clearly the catalogue text: the safe reading.
    'Description: In Copyright; CC BY 4.0',
    'Object description: In Copyright. Photograph: CC BY 4.0',
    'Data about the object: In Copyright; CC0',
    'Catalogue entry: object In Copyright; CC BY 4.0',
  ])('keeps %j In Copyright', (text) => {
    expect(read(text)).toEqual({ uri: INC, group: 'in_copyright', download: false });
  });

  it.each([
    ['Metadata: InC; CC0', CC0],
    ['Metadata: In Copyright\nCC BY 4.0', CC('by')],
    ['Record metadata: InC; CC0', CC0],
    ['Catalogue record: In Copyright; CC BY 4.0', CC('by')],
    ['Catalogue entry: In Copyright; CC0', CC0],
    ['Data: In Copyright; CC BY 4.0', CC('by')],
    ['CC BY 4.0\nInC (metadata only)', CC('by')],
  ])('reads %j as the work statement beside the record one', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });

  // Other statements in a clause about a record stay the record ones, as before.
  it.each(['Record: CC0', 'Records: NoC-US', 'For the record: CC0', 'Rights statement for this record\nCC0'])(
    'reads %j as unknown',
    (text) => {
      expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
    },
  );
});

/*
 * Reviewer V21, F1: reading 10 kept In Copyright only where a record clause named a word of a short list (image,
 * photo, text, object…), so any other word for the work beside the metadata lost it, and the work was offered for
 * download. In Copyright is the record's only where its clause names the catalogue text and nothing else.
 */
describe('In Copyright in a clause that names the metadata and something else stays (V21 F1)', () => {
  const joined = [
    'illustrations',
    'drawings',
    '3D model',
    'recordings',
    'media files',
    'files',
    'content',
    'IIIF',
    'transcription',
    'video',
    'sound',
  ].map((w) => `Metadata and ${w}: In Copyright; CC0`);
  it.each([
    'Metadata and reproductions: In Copyright; CC0',
    'Metadata and media: InC; CC BY 4.0',
    'Metadata and digital surrogates: In Copyright; CC0',
    'Metadata and the painting: In Copyright; CC0',
    'Audio data: In Copyright; CC0',
    ...joined,
    'Metadata & media: InC; CC0',
    'Metadata + sound: In Copyright; CC BY 4.0',
    'Metadata, audio: In Copyright; CC0',
    'Data and reproduction: InC; CC0',
    'Collection data and reproductions: In Copyright; CC0',
    'Sound/Video data: In Copyright; CC0',
    'Film metadata: In Copyright; CC0',
    'Painting metadata: InC; CC BY 4.0',
    'Metadata of the painting: In Copyright; CC0',
    'Data about the piece: In Copyright; CC0',
    'In Copyright (metadata and media); CC0',
  ])('keeps %j In Copyright', (text) => {
    expect(read(text)).toEqual({ uri: INC, group: 'in_copyright', download: false });
  });

  it('keeps "Metadata and thumbnail: InC-EDU; CC0 1.0" In Copyright - Educational Use', () => {
    const edu = 'http://rightsstatements.org/vocab/InC-EDU/1.0/';
    expect(read('Metadata and thumbnail: InC-EDU; CC0 1.0')).toEqual({
      uri: edu,
      group: 'in_copyright',
      download: false,
    });
  });

  // The catalogue text alone, with filler only: In Copyright is the record one, as before.
  it.each([
    ['Metadata: InC; CC0', CC0],
    ['The metadata: In Copyright; CC0', CC0],
    ['Metadata only: InC; CC0', CC0],
    ['InC applies to metadata only; CC0', CC0],
    ['In Copyright for this record metadata; CC0', CC0],
    ['Metadata licence: InC; CC BY 4.0', CC('by')],
    ['InC (metadata only)\nCC BY 4.0', CC('by')],
  ])('reads %j as the work statement beside the record one', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });

  it('keeps "Metadata:" then In Copyright on the next line In Copyright', () => {
    expect(read('Metadata:\nInC\nCC0')).toEqual({ uri: INC, group: 'in_copyright', download: false });
  });
});

/*
 * Reviewer V22: a licence beside the catalogue's text in the same clause ("CC0, metadata: InC") was taken for
 * filler, so the In Copyright was the record's and the CC0 the work's; and "Meta‐data" with a Unicode hyphen was not
 * read as the record at all. These were In Copyright or unknown at 07dbe328, and were offered for download.
 */
describe('a record statement beside another in one clause, or the record written with a Unicode hyphen (V22)', () => {
  it.each([
    'CC0, metadata: InC',
    'CC BY 4.0 / Metadata: In Copyright',
    'Public domain - metadata: In Copyright',
    'NoC-US, Catalogue record InC-OW-EU',
    'Meta‐data: In Copyright, CC BY 4.0',
  ])('does not offer %j for download', (text) => {
    expect(read(text).download).toBe(false);
  });

  it.each(['Meta‐data from the museum catalogue, CC0', 'Meta‑data by the museum, CC BY 4.0'])(
    'reads %j as the record licence: unknown',
    (text) => {
      expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
    },
  );

  it.each([
    ['Metadata: InC; CC0', CC0],
    ['Metadata: CC0\nCC BY 4.0', CC('by')],
    ['InC (metadata only); CC0', CC0],
  ])('still reads %j as the work statement beside the record one', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

/*
 * Task X2's find: "or" (and a slash) joining the text and the image was read as the record's name alone, so a
 * NonCommercial licence of both was blanked as the record's and a CC0 beside it offered for download.
 */
describe('a licence of the text or the image is the image licence too (X2)', () => {
  it.each([
    'Text or image: CC BY-NC 4.0\nCC0',
    'CC BY-NC 4.0 applies to text or images\nCC0',
    'Text or images: CC BY-NC 4.0; CC0',
    'Text/image: CC BY-NC 4.0\nCC0',
  ])('reads %j as the NonCommercial licence, the one that shows less', (text) => {
    expect(read(text).uri).toBe(CC('by-nc'));
  });
});
