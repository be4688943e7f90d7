import { describe, expect, it } from 'vitest';
import { CC, CC0, MARK, RS, read } from './rights-read.ts';

/*
 * Task D3: three leftovers of the rights reading. A statement said of the record (its metadata, data, text,
 * description, catalogue entry) was read as the work's when it was a rightsstatements.org code, address or name
 * ("Metadata: NoC-US" offered the photograph for download); a new line did not part the record's licence from the
 * work's ("Metadata: CC0\nCC BY 4.0" was unknown); and "unknown" was understood in English only ("CC0; unbekannt"
 * was CC0, "Copyright: unbekannt" In Copyright).
 */

describe('a statement of the record, as a code, an address or a name, is never the work one', () => {
  it.each([
    'Metadata: NoC-US',
    'Gift of Jane Doe\nMetadata: NoC-US',
    'Record: http://rightsstatements.org/vocab/NoC-US/1.0/',
    'Metadata: https://rightsstatements.org/page/NoC-US/1.0/?language=en',
    'Metadata: No Copyright - United States',
    'Catalogue entry: NKC',
    'Description: No known copyright restrictions',
    'Gift of Jane Doe, metadata: NoC-US',
    'Metadata: Copyright not evaluated',
  ])('reads %j as unknown', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });

  it.each([
    'Courtesy of the artist, Metadata: NoC-US',
    'Courtesy of the artist Metadata: NoC-US',
    'Courtesy of the artist\nRecord: http://rightsstatements.org/vocab/NoC-US/1.0/',
    // A holder claimed beside the record statement: not a statement, still read.
    'Metadata: CC0, © Jane Doe',
    'Metadata: NoC-US; © Jane Doe',
  ])('keeps %j In Copyright', (text) => {
    expect(read(text)).toMatchObject({ group: 'in_copyright', download: false });
  });

  it.each([
    ['Metadata: InC; CC0', CC0],
    ['Metadata: In Copyright; Image: public domain', MARK],
    // Not a bare "Record:", which may be the work (V20 F3, rights-record-idioms.test.ts).
    ['Metadata: http://rightsstatements.org/vocab/InC/1.0/\nCC BY 4.0', CC('by')],
    ['Metadata: NoC-US; No Copyright - Contractual Restrictions', RS('NoC-CR')],
    ['Metadata: CC0; No known copyright restrictions', RS('NKC')],
    ['Metadata: CC0; NoC-US', RS('NoC-US')],
  ])('reads %j as the work statement beside it', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

describe('a new line parts the record licence from the work one', () => {
  it.each([
    ['Metadata: CC0\nCC BY 4.0', CC('by')],
    ['Metadata: CC0\r\nCC BY 4.0', CC('by')],
    ['Metadata: CC0\n\nCC BY-SA 4.0', CC('by-sa')],
    ['Text: CC BY-SA 4.0\nPublic domain', MARK],
    ['Metadata: NoC-US\nCC BY 4.0', CC('by')],
  ])('reads %j as the work licence', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });

  // Of two statements about the work that conflict, the one that shows less, as on one line.
  it.each([
    ['Metadata: CC0\nCC BY 4.0\nCC BY-NC 4.0', CC('by-nc')],
    ['Metadata: CC0\nPublic domain\nCC BY-SA 4.0', CC('by-sa')],
    ['Metadata: CC0\nCC BY 4.0\nNo Copyright - Contractual Restrictions', RS('NoC-CR')],
    ['Metadata: CC0\nCC BY 4.0\nCopyright not evaluated', RS('CNE')],
    ['Metadata: CC0\nCC BY 4.0\nIn Copyright', RS('InC')],
    ['Metadata: CC0\nCC BY 4.0\nrights unknown', null],
  ])('reads %j as the statement that shows less', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

describe('rights said to be unknown in the languages museums write them', () => {
  it.each([
    'unbekannt',
    'Rechte unbekannt',
    'inconnu',
    'droits inconnus',
    'desconocido',
    'sconosciuto',
    'onbekend',
    'okänd',
    'Copyright: unbekannt',
    'Copyright unbekannt',
    'Copyright : inconnu',
  ])('reads %j alone as unknown', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });

  it.each([
    'CC0; unbekannt',
    'NKC; Rechte unbekannt',
    'Rechte: unbekannt; CC0',
    'Urheberrecht: unbekannt; CC0',
    'Public domain; droits inconnus',
    'Droits : inconnus ; domaine public',
    'CC BY 4.0\ninconnu',
    'CC0 | desconocido',
    'CC0; derechos desconocidos',
    'Dominio pubblico; diritti sconosciuti',
    'CC0; sconosciuta',
    'NKC; onbekend',
    'Publiek domein; rechten onbekend',
    'CC0; okänd',
    'CC0; rättigheter okända',
    'CC0; direitos desconhecidos',
    'Copyright unbekannt; CC0',
  ])('reads %j, unknown beside another statement, as unknown', (text) => {
    expect(read(text)).toMatchObject({ group: 'unknown', download: false });
  });

  it.each([
    ['Foto: unbekannt; CC0', CC0],
    ['Fotograf: inconnu; CC0', CC0],
    ['Public domain; Datum unbekannt', MARK],
    ['Domaine public; date inconnue', MARK],
    ['CC0; auteur inconnu', CC0],
    ['CC BY 4.0; Urheber unbekannt', CC('by')],
  ])('reads %j, something else unknown, as the statement', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});
