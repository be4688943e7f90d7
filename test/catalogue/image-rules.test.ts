import { describe, expect, it } from 'vitest';
import { rightsGroup, withheldOf } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';
import { defaultParams, parseParams } from '../../pipeline/params.ts';

/*
 * catalogue.images (D16): which rule of params.yaml an object's rights fall under, and what the site then shows of its
 * photograph. The rights are read as the object page reads them (rights.ts): In Copyright statements, "©" with no
 * open licence of the work and "All rights reserved" are in copyright; none, text not recognised, Not Evaluated and
 * Undetermined are unknown; open licences (also beside their holder) and No Copyright statements are open.
 */

const params = (images: string) =>
  parseParams({
    text: `collection:\n  name: Test Museum\n  vocabulary: [a, b]\ncatalogue:\n  images:\n${images}`,
    name: 'params.yaml',
  });

describe('catalogue.images rules', () => {
  it('reads In Copyright statements as in copyright, and no or unrecognised rights as unknown', () => {
    for (const text of [
      'In Copyright',
      'In copyright — educational use only',
      'In copyright, non-commercial use permitted',
      'http://rightsstatements.org/vocab/InC-RUU/1.0/',
      'EU orphan work',
      '© 2019 The Artist. All rights reserved.',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
    for (const text of ['', 'Ask the registrar', 'Copyright not evaluated', 'Copyright undetermined'])
      expect(rightsGroup(rightsOf(text)), text).toBe('unknown');
    for (const text of [
      'Public domain',
      'CC0 1.0',
      'CC BY-NC 4.0',
      'No known copyright restrictions',
      'No Copyright - Contractual Restrictions',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('open');
  });

  it('reads a text that says in copyright anywhere as in copyright, whatever open licence it also names', () => {
    // Found by a reviewer (V1): these were read as open or unknown, so the photograph was published in full.
    for (const text of [
      'Image CC BY 4.0; work © Estate of the artist',
      'Metadata CC0; image In Copyright',
      'https://creativecommons.org/licenses/by-nc-nd/4.0/ (photograph); artwork in copyright',
      'Not in the public domain',
      'In copyright (public domain in the US)',
      'Public domain; photo © Museum',
      'InC',
      'InC-EDU',
      'In\u00a0Copyright',
      'In  Copyright',
      'In-Copyright',
      'Copyright Jane Doe',
      'Copyright: the artist',
      '(c) Jane Doe',
      'Copyright (2019)',
      'Rights reserved',
      'DACS 2019',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
    expect(rightsOf('InC-EDU').uri).toBe('http://rightsstatements.org/vocab/InC-EDU/1.0/');
    expect(rightsOf('Metadata CC0; image In Copyright').download).toBe(false);
    // Not signs of copyright: a company name, statements that say there is none or that nobody has looked yet.
    for (const text of ['CC0; photograph by Acme Imaging Inc.', 'No Copyright - United States', 'Public domain'])
      expect(rightsGroup(rightsOf(text)), text).toBe('open');
    for (const text of ['Copyright not evaluated', 'Copyright undetermined', 'Copyright status unknown'])
      expect(rightsGroup(rightsOf(text)), text).toBe('unknown');
  });

  it('reads No Copyright statements, their codes and “not in copyright” as open', () => {
    // Found by an outside tester: “Not in copyright” was read as In Copyright, the bare codes as not recognised.
    for (const [text, uri] of [
      ['Not in copyright', 'https://creativecommons.org/publicdomain/mark/1.0/'],
      ['Out of copyright', 'https://creativecommons.org/publicdomain/mark/1.0/'],
      ['Out-of-copyright', 'https://creativecommons.org/publicdomain/mark/1.0/'],
      ['No copyright', 'https://creativecommons.org/publicdomain/mark/1.0/'],
      ['No Copyright - United States', 'http://rightsstatements.org/vocab/NoC-US/1.0/'],
      ['Not in copyright in the United States', 'http://rightsstatements.org/vocab/NoC-US/1.0/'],
      ['NoC-US', 'http://rightsstatements.org/vocab/NoC-US/1.0/'],
      ['No Copyright - Non-Commercial Use Only', 'http://rightsstatements.org/vocab/NoC-NC/1.0/'],
      ['No copyright, non commercial use only', 'http://rightsstatements.org/vocab/NoC-NC/1.0/'],
      ['NoC-NC', 'http://rightsstatements.org/vocab/NoC-NC/1.0/'],
      ['NoC-CR', 'http://rightsstatements.org/vocab/NoC-CR/1.0/'],
      ['NoC-OKLR', 'http://rightsstatements.org/vocab/NoC-OKLR/1.0/'],
      ['NKC', 'http://rightsstatements.org/vocab/NKC/1.0/'],
    ] as const) {
      expect(rightsOf(text).uri, text).toBe(uri);
      expect(rightsGroup(rightsOf(text)), text).toBe('open');
    }
    for (const text of ['Not in copyright', 'NoC-US', 'No Copyright - Non-Commercial Use Only'])
      expect(rightsOf(text).download, text).toBe(true);
    // Codes of statements that say nobody has looked yet stay unknown; a No Copyright code next to an In Copyright
    // statement is still in copyright.
    for (const text of ['CNE', 'UND']) expect(rightsGroup(rightsOf(text)), text).toBe('unknown');
    for (const text of ['NoC-US; in copyright elsewhere', 'Not in copyright in the US; © the artist elsewhere'])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
  });

  it('reads a copyright holder named beside an open licence or public domain as in copyright, to be safe', () => {
    // A read-only reviewer: read as the licence, these were shown in full and offered for download, though the © is
    // as often a claim on the photograph, or the licence one of the photograph only. Shown small is not a legal risk;
    // the licence written alone is read as the licence.
    for (const text of [
      '© Jane Doe / CC BY-SA 4.0',
      '© Jane Doe; CC0',
      'Public domain; © The National Gallery, London',
      'CC BY-NC 4.0 | © Estate of Roy Lichtenstein',
      '© 2024 Artists Rights Society (ARS), New York / CC BY-NC 4.0',
      'VAGA at ARS, New York',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
    expect(rightsGroup(rightsOf('CC BY-SA 4.0'))).toBe('open');
  });

  it('reads “no copyright” as public domain only when the text says nothing more', () => {
    // A read-only reviewer: any text with “no copyright” in it was read as the Public Domain Mark, shown in full.
    for (const text of [
      'No copyright information available',
      'No copyright clearance obtained',
      'No copyright holder traced',
      'Possibly not in copyright',
      'Object not copyrighted; image copyrighted by the Museum',
    ])
      expect(rightsGroup(rightsOf(text)), text).not.toBe('open');
    for (const text of ['No copyright', 'Not in copyright.', 'Out of copyright'])
      expect(rightsGroup(rightsOf(text)), text).toBe('open');
  });

  it('reads a licence that names only the image as not covering the work', () => {
    // A licence that names only the photograph or the record, next to a copyright, does not cover the work; a
    // copyright said of the work or the photograph, an In Copyright statement, “all rights reserved” win.
    for (const text of [
      'Image CC BY 4.0; work © the artist',
      'Image CC BY 4.0; © the artist',
      'Photograph: CC BY-SA 4.0, © Jane Doe',
      'CC BY 4.0 (photograph); © Jane Doe',
      'Metadata CC0; © Jane Doe',
      'CC BY 4.0; work © the artist',
      'CC BY 4.0; photo © Jane Doe',
      '© Jane Doe. All rights reserved. CC BY 4.0',
      '© DACS 2019, CC BY 4.0',
      'In copyright, © Jane Doe, CC BY 4.0',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
  });

  it('reads the statement after a field name (“Copyright: Not in copyright”), not the field name', () => {
    // Exports that flatten fields write the field’s name before its value: “Copyright:” was read as a holder named
    // (In Copyright), “Rights: Not in copyright” as unknown.
    const read = (text: string) => rightsOf(text);
    expect(read('Copyright: Not in copyright')).toMatchObject({
      uri: 'https://creativecommons.org/publicdomain/mark/1.0/',
      download: true,
      text: 'Copyright: Not in copyright',
    });
    expect(read('Rights: Not in copyright').uri).toBe('https://creativecommons.org/publicdomain/mark/1.0/');
    expect(read('Copyright: Public domain').uri).toBe('https://creativecommons.org/publicdomain/mark/1.0/');
    expect(read('Rights: Public domain').uri).toBe('https://creativecommons.org/publicdomain/mark/1.0/');
    expect(read('Licence: CC BY 4.0').uri).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(read('license:CC0').uri).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    expect(read('Copyright: CC BY-SA 4.0').uri).toBe('https://creativecommons.org/licenses/by-sa/4.0/');
    expect(read('Rights statement: NoC-US').uri).toBe('http://rightsstatements.org/vocab/NoC-US/1.0/');
    expect(read('COPYRIGHT : Copyright not evaluated').uri).toBe('http://rightsstatements.org/vocab/CNE/1.0/');
    // A holder named after the field name is a copyright said: still In Copyright, as is one named anywhere after it.
    for (const text of [
      'Copyright: Jane Doe',
      'Copyright: 2019 Jane Doe',
      'Copyright: © 2019 Jane Doe',
      'Copyright:',
      'Rights: In copyright',
      'Rights: Public domain; photo © Museum',
      'Licence: CC BY 4.0; © Estate of the artist',
      // A holder named first, then a licence: read as “© Jane Doe / CC BY-SA 4.0” is, in copyright.
      'Copyright: Jane Doe / CC BY-SA 4.0',
      'Copyright: 2019 Jane Doe, CC BY 4.0',
      'Copyright: The Trustees of the British Museum; Licence: CC BY-NC-SA 4.0',
    ])
      expect(rightsGroup(read(text)), text).toBe('in_copyright');
    // Not a field name: the words stay part of what is read.
    expect(rightsGroup(read('Copyright Jane Doe: all uses'))).toBe('in_copyright');
  });

  it('reads “Copyright:” followed by more than a statement as the same text with “©” (review V3)', () => {
    // A holder beside the licence, however the two are set apart (brackets, a long dash, a bare slash, nothing, the
    // licence first): the reviewer found each read as the licence, shown in full, while the “©” text was held back.
    for (const [field, symbol] of [
      ['Copyright: Jane Doe (CC BY-SA 4.0)', '© Jane Doe (CC BY-SA 4.0)'],
      ['Copyright: Jane Doe – CC BY-SA 4.0', '© Jane Doe – CC BY-SA 4.0'],
      ['Copyright: Jane Doe/CC BY 4.0', '© Jane Doe/CC BY 4.0'],
      ['Copyright: Estate of the artist (CC BY-NC 4.0)', '© Estate of the artist (CC BY-NC 4.0)'],
      ['Copyright: Getty Images CC BY 4.0', '© Getty Images CC BY 4.0'],
      ['Copyright: CC BY-SA 4.0 / Jane Doe', 'CC BY-SA 4.0 / © Jane Doe'],
      ['Copyright: Public domain; The National Gallery, London', 'Public domain; © The National Gallery, London'],
      ['Copyright: CC BY 4.0\nJane Doe', 'CC BY 4.0\n© Jane Doe'],
      ['Copyright: Public domain (photograph only)', '© Public domain (photograph only)'],
    ]) {
      expect(rightsGroup(rightsOf(symbol)), symbol).toBe('in_copyright');
      expect(rightsGroup(rightsOf(field!)), field).toBe('in_copyright');
    }
    // A statement alone after it, its code or address included, is still read.
    expect(rightsOf('Copyright: http://rightsstatements.org/vocab/NoC-US/1.0/').uri).toBe(
      'http://rightsstatements.org/vocab/NoC-US/1.0/',
    );
    expect(rightsOf('Copyright: No known copyright restrictions').download).toBe(true);
  });

  it('reads “Copyright: unknown” as “Copyright unknown” is, not as a holder named “unknown”', () => {
    // Found by helpers: the word after “Copyright:” was not recognised, so “Copyright” counted as a holder’s claim and
    // these were In Copyright, where the same words without the colon are unknown.
    for (const [fielded, bare] of [
      ['Copyright: unknown', 'Copyright unknown'],
      ['Copyright: Unknown.', 'Copyright unknown'],
      ['Copyright: none', 'Copyright none'],
      ['Copyright: expired', 'Copyright expired'],
      ['Copyright: free', 'Copyright free'],
      ['Copyright: not known', 'Copyright not known'],
      ['Copyright: status unknown', 'Copyright status unknown'],
      ['Copyright: Copyright unknown', 'Copyright unknown'],
      ['COPYRIGHT : N/A', 'Copyright n/a'],
      ['Copyright: unclear', 'Copyright unclear'],
    ] as const) {
      expect(rightsOf(fielded), fielded).toMatchObject({ uri: rightsOf(bare).uri, download: false, text: fielded });
      expect(rightsGroup(rightsOf(fielded)), fielded).toBe('unknown');
      expect(rightsGroup(rightsOf(bare)), bare).toBe('unknown');
    }
    // An expired copyright is not read as open: expired where, and for the photograph too? “Public domain” says so.
    expect(rightsGroup(rightsOf('Copyright: expired (public domain)'))).toBe('open');
    // A holder, or more than the one word, still says a copyright: shown small is the safe side.
    for (const text of [
      'Copyright: Jane Doe',
      'Copyright: yes',
      'Copyright: unknown holder',
      'Copyright holder unknown',
      'Copyright: unknown / CC BY 4.0',
      'Copyright: none; © Jane Doe',
      'Copyright: free of charge, © the Museum',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
  });

  it('reads a holder whose name begins with a status word, or is a statement’s short word, as a holder (review V4)', () => {
    // “Copyright Free Library of Philadelphia” was read as “copyright free” and a licence beside it as the whole say;
    // after “Copyright:”, a web address, “EU”, “Mark” or “Inc” were taken as part of the statement.
    for (const text of [
      'Copyright Free Library of Philadelphia, CC BY 4.0',
      'Copyright None Such Studio; CC BY 4.0',
      'Copyright Unknown Pleasures Ltd, CC BY-NC 4.0',
      'Copyright Status Quo Ltd, CC BY 4.0',
      'Copyright Expired Press / CC BY 4.0',
      'Copyright: CC BY 4.0 https://janedoe.example',
      'Copyright: CC BY-SA 4.0 https://commons.wikimedia.org/wiki/User:JaneDoe',
      'Copyright: EU (CC BY 4.0)',
      'Copyright: Mark (CC BY 4.0)',
      'Copyright: CC BY 4.0, US',
      'Copyright: CC0 Inc',
      'Copyright: CC BY 4.0 2019',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
    // Still read: the status words at a clause’s end, and a statement with its own address or long name.
    for (const text of ['Copyright unknown', 'Copyright status: unknown', 'Copyright free.', 'Copyright: none'])
      expect(rightsGroup(rightsOf(text)), text).toBe('unknown');
    // Not a holder; beside a licence, the rights said unknown show less and are read (task D6): it was open.
    expect(rightsGroup(rightsOf('Copyright unknown; CC BY 4.0'))).toBe('unknown');
    for (const text of [
      'Copyright: CC BY 4.0 https://creativecommons.org/licenses/by/4.0/',
      'Copyright: Creative Commons Attribution-ShareAlike 4.0 International',
      'Copyright: Public Domain Mark 1.0',
      'Copyright: No Copyright - United States',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('open');
  });

  it('reads a holder whose name begins with “free” or “unknown” as a holder', () => {
    // “Copyright Freeman Studio” was read as “copyright free” followed by “man Studio”: unknown, shown in full.
    for (const text of ['Copyright Freeman Studio', 'Copyright: Freeman Studio', 'Copyright Unknownfield Press'])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
  });

  it('reads a field naming a holder or photographer beside a licence as in copyright, as “©” is (task R5)', () => {
    // Read as the licence, these were shown in full, while “© Jane Doe / CC BY-SA 4.0” was held back: the field names
    // a person or body who holds a copyright, as “©” does, and the licence may be theirs for the photograph only.
    for (const text of [
      'Rights holder: Jane Doe; CC BY 4.0',
      'Rightsholder: Jane Doe, CC BY 4.0',
      'Holder: The Trustees of the British Museum; CC BY-NC-SA 4.0',
      'Copyright holder: Jane Doe / CC0',
      'Photographer: Jane Doe / CC BY',
      'Photo: Jane Doe ; CC BY',
      'Photo: CC BY 4.0 / Jane Doe',
      'Photograph: Studio Smith (CC BY-SA 4.0)',
      'Photo credit: Jane Doe, Public domain',
      'CC BY 4.0; Photographer: Jane Doe',
      'Public domain. Rights holder: Estate of the artist',
      // The same fields in other languages.
      'Foto: Jane Doe; CC BY 4.0',
      'Fotograf: Jane Doe / CC BY',
      'Fotógrafo: Jane Doe, CC BY-SA 4.0',
      'Crédit photo : Jane Doe, CC BY',
      'Photographie : Jane Doe ; CC BY',
      'Rechteinhaber: Jane Doe; CC BY 4.0',
      'Titulaire des droits : Jane Doe ; CC BY',
      // The holder alone is a copyright said, as “© Jane Doe” alone is.
      'Rights holder: Jane Doe',
      'Photographer: Jane Doe',
    ])
      expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
    // The field before a licence alone, or naming nobody, says no holder: the licence is read.
    for (const [text, uri] of [
      ['Photo: CC BY 4.0', 'https://creativecommons.org/licenses/by/4.0/'],
      ['Foto: CC BY 4.0', 'https://creativecommons.org/licenses/by/4.0/'],
      ['Photograph: CC0', 'https://creativecommons.org/publicdomain/zero/1.0/'],
      ['Rights holder: Public domain', 'https://creativecommons.org/publicdomain/mark/1.0/'],
      ['Photographer: unknown; CC0', 'https://creativecommons.org/publicdomain/zero/1.0/'],
    ] as const)
      expect(rightsOf(text).uri, text).toBe(uri);
    // Not a field naming a holder: the licence is still read.
    expect(rightsGroup(rightsOf('Image CC BY 4.0'))).toBe('open');
  });

  it('reads “all rights reserved” in other languages as the English words are (task R5)', () => {
    // Next to a licence they were read as the licence (shown in full); alone, as a text not recognised.
    const reserved = [
      'All rights reserved',
      'Alle Rechte vorbehalten',
      'Tous droits réservés',
      'Tous droits re\u0301serve\u0301s',
      'Tous droits reserves',
      'Todos los derechos reservados',
      'Todos os direitos reservados',
      'Tutti i diritti riservati',
      'Alle rechten voorbehouden',
      'Wszelkie prawa zastrzeżone',
      'Alla rättigheter förbehållna',
      'Alle rettigheder forbeholdes',
      'Alle rettigheter reservert',
      'Kaikki oikeudet pidätetään',
      'Všechna práva vyhrazena',
      'Все права защищены',
    ];
    for (const words of reserved) {
      expect(rightsGroup(rightsOf(words)), words).toBe('in_copyright');
      expect(rightsOf(words).uri, words).toBe('http://rightsstatements.org/vocab/InC/1.0/');
      for (const text of [`${words}; CC BY 4.0`, `CC0 – ${words.toUpperCase()}`, `© Museum. ${words}. Public domain`])
        expect(rightsGroup(rightsOf(text)), text).toBe('in_copyright');
    }
    // Creative Commons’ own “some rights reserved” in those languages is read as the English words are.
    for (const [some, english] of [
      ['Einige Rechte vorbehalten', 'Some rights reserved'],
      ['Certains droits réservés', 'Some rights reserved'],
      ['Algunos derechos reservados', 'Some rights reserved'],
      ['Alcuni diritti riservati', 'Some rights reserved'],
      ['Sommige rechten voorbehouden', 'Some rights reserved'],
      ['CC BY 4.0 – Certains droits réservés', 'CC BY 4.0 – Some rights reserved'],
    ] as const)
      expect(rightsOf(some).uri, some).toBe(rightsOf(english).uri);
    // “No rights reserved”, CC0’s and the Public Domain Mark’s own words, says no copyright is claimed: it was read
    // as “rights reserved”, In Copyright, so a collection that writes “CC0 – No rights reserved” was all shown small.
    for (const text of [
      'CC0 – No rights reserved',
      'CC0 1.0 Universal (No Rights Reserved)',
      'Keine Rechte vorbehalten; CC0',
      'CC0 – geen rechten voorbehouden',
      'CC0, inga rättigheter förbehållna',
      // After a field name, as part of the statement: no holder named.
      'Photo: CC0 – No rights reserved',
      'Copyright: CC0 – No rights reserved',
    ])
      expect(rightsOf(text).uri, text).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    // Alone it names no statement: not recognised, not In Copyright.
    expect(rightsGroup(rightsOf('No rights reserved'))).toBe('unknown');
    expect(rightsGroup(rightsOf('Not all rights reserved; CC BY 4.0'))).toBe('in_copyright');
  });

  // Task D4: only the holder can waive a copyright, and nobody has checked who holds it; of two statements that
  // conflict the one that shows less is read (it was pinned as CC0).
  it('reads CC0 next to “copyright not evaluated” as Not Evaluated: nobody has checked whose copyright CC0 waives', () => {
    expect(rightsOf('CC0; copyright not evaluated')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/CNE/1.0/',
      download: false,
    });
    expect(rightsGroup(rightsOf('CC0; copyright not evaluated'))).toBe('unknown');
  });

  it('defaults to a small picture for works in copyright and to the full photograph for unknown rights', () => {
    const rules = defaultParams().catalogue.images;
    expect(rules).toEqual({ in_copyright: 'thumbnail', unknown: 'full', thumbnail_max: 300 });
    expect(withheldOf({ rights: rightsOf('In Copyright'), rules })).toEqual({
      shown: 'thumbnail',
      reason: 'in-copyright',
    });
    expect(withheldOf({ rights: rightsOf(''), rules })).toBeNull();
    expect(withheldOf({ rights: rightsOf('Public domain'), rules })).toBeNull();
  });

  it('follows params.yaml: none for unknown rights, full for works in copyright', () => {
    const rules = params('    in_copyright: full\n    unknown: none\n    thumbnail_max: 150\n').catalogue.images;
    expect(rules).toEqual({ in_copyright: 'full', unknown: 'none', thumbnail_max: 150 });
    expect(withheldOf({ rights: rightsOf('In Copyright'), rules })).toBeNull();
    expect(withheldOf({ rights: rightsOf('Copyright not evaluated'), rules })).toEqual({
      shown: 'none',
      reason: 'rights-unknown',
    });
    // An open licence is always shown in full.
    expect(withheldOf({ rights: rightsOf('CC BY 4.0'), rules: { ...rules, unknown: 'none' } })).toBeNull();
  });

  it('refuses a rule it does not know, naming the key', () => {
    expect(() => params('    in_copyright: small\n')).toThrow(/catalogue\.images\.in_copyright/);
    expect(() => params('    thumbnail_max: 5000\n')).toThrow(/catalogue\.images\.thumbnail_max/);
  });
});
