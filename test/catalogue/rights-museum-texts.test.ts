import { describe, expect, it } from 'vitest';
import { CC, CC0, MARK, RS, read } from './rights-read.ts';

/*
 * Task D4: rights statements as museums write them, each with the statement a museum would expect. The misses, which
 * failed before the fix: a CC licence beside a courtesy credit line was read as In Copyright ("Courtesy of the artist;
 * CC BY 4.0"), and of two statements that conflict the first named won, however much it allowed ("CC0; No Copyright -
 * Contractual Restrictions" offered the download the second forbids). Now the one that shows less wins. A text not
 * recognised stays unknown: never guessed into the public domain.
 */

describe('a CC licence beside a courtesy credit line', () => {
  it.each([
    ['Courtesy of the artist; CC BY 4.0', CC('by')],
    ['Courtesy of the artist. CC BY 4.0', CC('by')],
    ['Courtesy of the artist (CC BY-NC 4.0)', CC('by-nc')],
    ['CC BY-SA 4.0; courtesy the artist and Gagosian', CC('by-sa')],
    ['Courtesy of the artist; CC0', CC0],
    ['Courtesy of the Estate of Jane Doe; CC BY-NC 4.0', CC('by-nc')],
    ['Avec l’aimable autorisation de l’artiste ; CC BY 4.0', CC('by')],
    ['Courtesy of the Library of Congress; CC0', CC0],
  ])('reads %j as the licence', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });

  it.each([
    '© 2019 the artist, all rights reserved; courtesy X',
    '© 2019 the artist, all rights reserved; courtesy of the artist; CC BY 4.0',
    'Courtesy of the artist',
    // The licence not confirmed, or of the photograph only: the artist still holds the work.
    'Courtesy of the artist; CC BY 4.0 (unverified)',
    'Courtesy of the artist; photo: CC BY 4.0',
    // Public domain is no licence the artist gives: it contradicts the credit, which shows less.
    'Courtesy of the artist; public domain',
    'Courtesy of the artist; Domaine public',
  ])('keeps %j In Copyright', (text) => {
    expect(read(text)).toMatchObject({ group: 'in_copyright', download: false });
  });
});

describe('public domain and no known copyright as museums write them', () => {
  it.each([
    ['Domaine public', MARK],
    ['domaine public', MARK],
    ['DOMAINE PUBLIC', MARK],
    ['Gemeinfrei', MARK],
    ['Dominio público', MARK],
    ['Pubblico dominio', MARK],
    ['Public Domain Mark 1.0', MARK],
    ['Public Domain Mark', MARK],
    ['https://creativecommons.org/publicdomain/mark/1.0/', MARK],
    ['CC0', CC0],
    ['cc0 1.0', CC0],
    ['CC0 1.0 Universal Public Domain Dedication', CC0],
    ['Public domain (CC0)', CC0],
    ['No known copyright restrictions', RS('NKC')],
  ])('reads %j as %s', (text, uri) => {
    expect(read(text)).toMatchObject({ uri, group: 'open', download: true });
  });
});

describe('rightsstatements.org addresses', () => {
  it.each([
    ['http://rightsstatements.org/vocab/NoC-US/1.0/', RS('NoC-US'), 'open', true],
    ['https://rightsstatements.org/vocab/NoC-US/1.0/', RS('NoC-US'), 'open', true],
    ['rightsstatements.org/vocab/NoC-US/1.0/', RS('NoC-US'), 'open', true],
    ['http://rightsstatements.org/vocab/InC/1.0/', RS('InC'), 'in_copyright', false],
    ['http://rightsstatements.org/vocab/InC/1.0', RS('InC'), 'in_copyright', false],
    ['http://rightsstatements.org/vocab/InC-EDU/1.0/', RS('InC-EDU'), 'in_copyright', false],
    ['https://rightsstatements.org/page/InC-NC/1.0/?language=en', RS('InC-NC'), 'in_copyright', false],
    ['http://rightsstatements.org/vocab/CNE/1.0/', RS('CNE'), 'unknown', false],
    ['http://rightsstatements.org/vocab/UND/1.0/', RS('UND'), 'unknown', false],
    ['http://rightsstatements.org/vocab/NKC/1.0/', RS('NKC'), 'open', true],
    ['http://rightsstatements.org/vocab/NoC-CR/1.0/', RS('NoC-CR'), 'open', false],
    ['http://rightsstatements.org/vocab/NoC-OKLR/1.0/', RS('NoC-OKLR'), 'open', false],
    ['InC-EDU', RS('InC-EDU'), 'in_copyright', false],
    ['CNE', RS('CNE'), 'unknown', false],
    ['UND', RS('UND'), 'unknown', false],
  ])('reads %j as %s', (text, uri, group, download) => {
    expect(read(text)).toEqual({ uri, group, download });
  });

  it('reads an address of a statement rightsstatements.org does not have as unknown', () => {
    expect(read('http://rightsstatements.org/vocab/XYZ/1.0/')).toEqual({
      uri: null,
      group: 'unknown',
      download: false,
    });
  });
});

describe('texts that name no statement', () => {
  it.each([
    // French "free of rights" is as often royalty-free (a licence bought once) as out of copyright.
    'Libre de droits',
    'Libre de droit',
    'Droits libres',
    'Rechtefrei',
    'Lizenzfrei',
    'Libero da diritti',
    'Copyright free',
    'Royalty free',
    'Free to use',
    'Open access',
    'PD',
    // The Library of Congress says this of publication, not of copyright.
    'No known restrictions on publication',
    'Public domain?',
  ])('reads %j as unknown, never as the public domain', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });
});

describe('two statements that conflict', () => {
  it.each([
    // The one in copyright wins, whichever comes first.
    ['http://rightsstatements.org/vocab/NoC-US/1.0/; http://rightsstatements.org/vocab/InC/1.0/', RS('InC')],
    ['http://rightsstatements.org/vocab/InC/1.0/; http://rightsstatements.org/vocab/NoC-US/1.0/', RS('InC')],
    ['CC0; http://rightsstatements.org/vocab/InC-EDU/1.0/', RS('InC-EDU')],
    ['Gemeinfrei; InC-EDU', RS('InC-EDU')],
    ['Public domain; In Copyright', RS('InC')],
    // Not evaluated or undetermined wins over an open statement: nobody has checked.
    ['http://rightsstatements.org/vocab/NoC-US/1.0/; http://rightsstatements.org/vocab/CNE/1.0/', RS('CNE')],
    ['http://rightsstatements.org/vocab/CNE/1.0/; CC0', RS('CNE')],
    ['CC0; copyright not evaluated', RS('CNE')],
    ['Public domain; copyright undetermined', RS('UND')],
    ['CNE; CC0', RS('CNE')],
    ['Copyright not evaluated; no known copyright', RS('CNE')],
    ['CC0 | UND', RS('UND')],
    // A restriction that stops the download wins over a statement that offers it.
    ['CC0; No Copyright - Contractual Restrictions', RS('NoC-CR')],
    ['Public Domain; No Copyright - Other Known Legal Restrictions', RS('NoC-OKLR')],
    ['http://rightsstatements.org/vocab/NoC-US/1.0/; http://rightsstatements.org/vocab/NoC-CR/1.0/', RS('NoC-CR')],
    // The licence that allows less wins over one that allows more.
    ['Public domain; CC BY-NC 4.0', CC('by-nc')],
    ['CC0; CC BY-NC 4.0', CC('by-nc')],
    ['CC BY-NC 4.0; CC0', CC('by-nc')],
    ['Public Domain Mark 1.0; CC BY 4.0', CC('by')],
    ['Domaine public ; CC BY-SA 4.0', CC('by-sa')],
    ['CC BY 4.0; CC BY-NC-ND 4.0', CC('by-nc-nd')],
    ['No known copyright restrictions; CC BY-NC 4.0', CC('by-nc')],
    ['http://rightsstatements.org/vocab/NoC-US/1.0/; CC BY 4.0', CC('by')],
    ['Photo: CC BY-SA 4.0; object: public domain', CC('by-sa')],
  ])('reads %j as %s', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });

  it.each([
    'http://rightsstatements.org/vocab/NoC-US/1.0/; no commercial use without permission',
    'NoC-US; commercial use requires a licence',
    'No known copyright restrictions; commercial use requires a licence',
  ])('reads %j as unknown: a limit on commercial use the statement does not have', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });

  it.each([
    // One statement said twice, or in its own words and its address: no conflict.
    ['CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)', CC('by')],
    ['Creative Commons Attribution 4.0 International (CC BY 4.0)', CC('by')],
    ['Public domain; date undetermined', MARK],
    ['Public domain; condition not evaluated', MARK],
  ])('reads %j as %s, the one statement it names', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

/*
 * Task D6 (review V14 of D4): a licence of the catalogue record beside the artist credited was read as the work's
 * licence when no ";", "|" or ". " parted them, and a living artist's work offered for download. A licence said of
 * the metadata, the record, its data, text, description or catalogue entry never licenses the work, whatever parts
 * it from the rest: a new line, a comma, a slash, a dash or nothing.
 */
describe('a licence of the record beside the artist credited', () => {
  it.each([
    'Courtesy of the artist\nMetadata: CC0',
    'Courtesy of the artist, Metadata: CC0',
    'Courtesy of the artist / Metadata: CC0',
    'Courtesy of the artist - Metadata: CC0',
    'Courtesy of the artist Metadata: CC0',
    'Courtesy of the artist, metadata released under CC0',
    'Courtesy of the artist\nRecord: CC0 1.0',
    'Courtesy of the artist\nThis record is CC0',
    'Courtesy of the artist\nCatalogue data: CC0',
    'Courtesy of the artist\nText: CC BY-SA 4.0',
    'Courtesy of the artist\nCatalogue entry: CC0',
    'Courtesy of the artist, description CC BY 4.0',
    'Courtesy of the artist\nMetadata: https://creativecommons.org/publicdomain/zero/1.0/',
    'Metadata: CC0\nCourtesy of the artist',
  ])('keeps %j In Copyright', (text) => {
    expect(read(text)).toMatchObject({ group: 'in_copyright', download: false });
  });

  it.each([
    // The photograph named with the record: the licence is the photograph's too.
    ['Image and metadata: CC0', CC0],
    ['Photo and text: CC BY 4.0', CC('by')],
    ['Image data: CC0', CC0],
    ['Metadata and images: CC0', CC0],
  ])('reads %j as the licence, given the photograph too', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });

  it.each([
    'Gift of Jane Doe\nMetadata: CC0',
    'Gift of Jane Doe, metadata released under CC0',
    'Metadata: https://creativecommons.org/publicdomain/zero/1.0/',
  ])('reads %j as unknown: no licence of the work', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });

  it.each([
    ['Metadata: CC0; Image: CC BY 4.0', CC('by')],
    ['CC BY 4.0, metadata CC0', CC('by')],
  ])('reads %j as the licence of the photograph beside it', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});

/*
 * Task D6: rights said to be unknown beside another statement count as Undetermined in the conflict rule, so the
 * statement that shows less wins: "NKC; rights unknown" was read as No Known Copyright, offered for download.
 */
describe('rights said to be unknown beside another statement', () => {
  it.each([
    'NKC; Copyright status: unknown',
    'NKC\nUnknown',
    'NKC; rights unknown',
    'No known copyright restrictions; copyright unknown',
    'CC0; copyright unknown',
    'Public domain\nUnknown',
    'CC BY 4.0 | Rights status: unknown',
  ])('reads %j as unknown', (text) => {
    expect(read(text)).toEqual({ uri: null, group: 'unknown', download: false });
  });

  it.each([
    // Something else unknown: the rights are said.
    ['Public domain; date unknown', MARK],
    ['CC0; artist unknown', CC0],
    ['Photographer: unknown; CC0', CC0],
    ['NKC; maker unknown', RS('NKC')],
  ])('reads %j as %s: what is unknown is not the rights', (text, uri) => {
    expect(read(text).uri).toBe(uri);
  });
});
