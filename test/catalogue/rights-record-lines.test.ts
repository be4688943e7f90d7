import { describe, expect, it } from 'vitest';
import { CC, CC0, INC, read } from './rights-read.ts';

/*
 * Reviewer V19 on reading 10 (88ab1b85), which parted the record licence from the work one at a new line. F1: a
 * licence of the record written over two lines went to the photograph ("Metadata:\nCC0" was CC0, offered for
 * download; before, not known). F2: an In Copyright in a clause about the record was dropped, and a licence beside it
 * won ("InC (applies to text or images); CC BY 4.0" was CC BY; before, In Copyright).
 */

describe('a licence of the record written over two lines is not the work one (V19 F1)', () => {
  it.each([
    'Metadata:\nCC0',
    'Metadata:\r\nCC0 1.0',
    'Metadata\nCC0 1.0',
    'Metadata licence:\nCC0 1.0 Universal',
    'CC0 1.0\n(metadata only)',
    'CC0\n(applies to metadata only)',
    'CC BY 4.0 for\nmetadata only',
    'This record is released under\nCC0',
    'The catalogue record is licensed under the\nCreative Commons CC0 1.0 Universal Public Domain Dedication',
    'Metadata:\nNoC-US',
    'NoC-US\n(metadata only)',
    'Gift of Jane Doe, metadata released under\nCC0',
    'Letter text\nCC0',
  ])('reads %j as unknown', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });

  it.each(['Courtesy of the artist, Metadata:\nCC0', 'Courtesy of the artist / Metadata:\nCC0'])(
    'keeps %j In Copyright',
    (text) => {
      expect(read(text)).toEqual({ uri: INC, group: 'in_copyright', download: false });
    },
  );

  // What reading 10 rightly parts: the record line names its own licence, the next line is the work one.
  it.each([
    ['Metadata: CC0\nCC BY 4.0', CC('by')],
    ['Metadata:\nCC0\nCC BY 4.0', CC('by')],
    ['CC BY 4.0\nMetadata:\nCC0', CC('by')],
    ['CC BY 4.0\nCC0 (metadata only)', CC('by')],
  ])('reads %j as the work licence', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

describe('In Copyright in a clause that names the text or the image stays In Copyright (V19 F2)', () => {
  it.each([
    'InC (applies to text or images); CC BY 4.0',
    'In Copyright (applies to text or images); CC BY 4.0',
    'InC - covers text or image; CC BY 4.0',
    'http://rightsstatements.org/vocab/InC/1.0/ (applies to text or images); CC BY 4.0',
    'InC applies to data or images\nCC BY 4.0',
    'In Copyright for text or photo. CC BY 4.0 applies to the scan',
    'Metadata: CC0, image: In Copyright; photograph: CC BY 4.0',
    'Letter text In Copyright; photograph CC0',
    'Text: In Copyright; Photograph: CC0',
    'Text - InC; Photo: CC BY 4.0',
    'Metadata CC0, image In Copyright',
    'Metadata CC0 / image In Copyright',
    'Metadata: CC0 - image In Copyright',
    'Metadata: CC0, images: InC',
    'Metadata: CC0 and image In Copyright',
  ])('reads %j as In Copyright', (text) => {
    expect(read(text)).toEqual({ uri: INC, group: 'in_copyright', download: false });
  });

  // What reading 10 rightly added: In Copyright said of the record only is not the work one.
  it.each([
    ['Metadata: InC; CC0', CC0],
    // Not a bare "Record:" nor "Description:", which may be the work (V20 F3, rights-record-idioms.test.ts).
    ['Catalogue record: http://rightsstatements.org/vocab/InC/1.0/\nCC BY 4.0', CC('by')],
    ['Record metadata: In Copyright; CC BY 4.0', CC('by')],
  ])('reads %j as the work statement beside it', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

// Seen while fixing V19: a field name after the record ("metadata licence:") hid it from the rule of task D6, at
// 07dbe328 too, and a living artist work was offered for download.
describe('the record named with a field name, after other words, is not the work one', () => {
  it.each([
    'Courtesy of the artist, Metadata licence: CC0',
    'Courtesy of the artist, metadata rights: CC0',
    'Courtesy of the artist\nMetadata licence:\nCC0',
  ])('keeps %j In Copyright', (text) => {
    expect(read(text)).toEqual({ uri: INC, group: 'in_copyright', download: false });
  });

  it.each(['Gift of Jane Doe, metadata licence: CC0', 'Gift of Jane Doe, record licence:\nCC BY 4.0'])(
    'reads %j as unknown',
    (text) => {
      expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
    },
  );
});
