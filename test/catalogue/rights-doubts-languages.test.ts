import { describe, expect, it } from 'vitest';
import { rightsGroup } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

/*
 * Review V7: "public domain" in other languages read as the Public Domain Mark (download on) when the text doubts it in
 * the same language, though the English with the same doubt is unknown: a question mark after it ("Domaine public ?"),
 * a word that says it is not confirmed yet ("Gemeinfrei (vorläufig)", "Pubblico dominio (da verificare)"), the
 * photograph left out ("Domaine public, sauf la photographie"). Beside CC0 or CC BY those words did not doubt the
 * licence either. They are now unknown, as the English texts are. Failed before the fix.
 */

const read = (text: string) => {
  const r = rightsOf(text);
  return { group: rightsGroup(r), download: r.download };
};

describe('a doubt said in another language', () => {
  it.each([
    'Domaine public ?',
    'Gemeinfrei?',
    'Dominio público?',
    '¿Dominio público?',
    'Pubblico dominio?',
    'Publiek domein?',
  ])('reads %j as unknown: a question mark after public domain', (text) => {
    expect(read(text)).toEqual({ group: 'unknown', download: false });
  });

  it.each([
    'Domaine public (provisoire)',
    'Domaine public (à vérifier)',
    'Domaine public (non vérifié)',
    'Domaine public (sous réserve)',
    'Domaine public – non confirmé',
    'Gemeinfrei (vorläufig)',
    'Gemeinfrei (in Klärung)',
    'Gemeinfrei (nicht geprüft)',
    'Gemeinfrei (ungeprüft)',
    'Gemeinfrei (unbestätigt)',
    'Dominio público (en revisión)',
    'Dominio público (por confirmar)',
    'Dominio público (pendiente)',
    'Dominio público (sin verificar)',
    'Pubblico dominio (da verificare)',
    'Pubblico dominio (provvisorio)',
    'Pubblico dominio (non verificato)',
    'Publiek domein (onder voorbehoud)',
    'Publiek domein (voorlopig)',
    'Publiek domein (te bevestigen)',
    'Publiek domein (niet geverifieerd)',
    'Public domain (à vérifier)',
    'Domaine public ; provisoire',
    'CC0 (provisoire)',
    'CC0 (à vérifier)',
    'CC0 (non vérifié)',
    'CC BY 4.0 (vorläufig)',
    'CC BY 4.0 (in Klärung)',
    'CC0 (en revisión)',
    'CC0 (da verificare)',
    'CC BY 4.0 (onder voorbehoud)',
    'CC BY 4.0 – voorlopig',
    // After the field name in its language, as after "Rights:" ("Rights: TBC; CC0").
    'Droits : à vérifier ; CC0',
    'Lizenz: ungeklärt; CC0',
    'Rechtslage ungeklärt; gemeinfrei',
    'Derechos: pendiente; CC0',
    'Licenza: da verificare; CC BY 4.0',
    'Rechten: onder voorbehoud; Publiek domein',
  ])('reads %j as unknown: not confirmed yet', (text) => {
    expect(read(text)).toEqual({ group: 'unknown', download: false });
  });

  it.each([
    'Gemeinfrei, aber nicht die Fotografie',
    'Gemeinfrei (außer der Fotografie)',
    'Domaine public, sauf la photographie',
    'Domaine public, à l’exception de la photographie',
    'Domaine public, mais pas la photo',
    'Dominio público, excepto la fotografía',
    'Dominio público, salvo la imagen',
    'Pubblico dominio, tranne la fotografia',
    'Pubblico dominio, esclusa la fotografia',
    'Publiek domein, behalve de foto',
    'Publiek domein, met uitzondering van de foto',
    'CC0, sauf la photographie',
    'CC BY 4.0, mais pas la photographie',
    'CC0 (Abbildung ausgenommen)',
    'Domaine public (photographie exclue)',
    'Public domain, but not the photograph',
  ])('reads %j as unknown: the photograph is left out', (text) => {
    expect(read(text)).toEqual({ group: 'unknown', download: false });
  });

  it.each([
    'Domaine public, reproduction interdite',
    'Public domain; reproduction prohibited',
    'CC0; no reproduction without permission',
    'Gemeinfrei; Vervielfältigung verboten',
    'Dominio público; prohibida la reproducción',
    // "Geschützt", "Protected" and "Protégé" are In Copyright as the whole text; as a clause of their own beside an open
    // statement they were read as that statement.
    'CC0; Geschützt',
    'Gemeinfrei. Geschützt',
    'Public domain, protected',
    'Domaine public (protégé)',
    'CC BY 4.0 / Geschützt',
    'Protected – CC BY 4.0',
    'Publiek domein; beschermd',
  ])('reads %j as In Copyright: reuse forbidden wins over the open statement beside it', (text) => {
    expect(read(text)).toEqual({ group: 'in_copyright', download: false });
  });

  it.each([
    ['CC BY-NC 4.0; commercial use only with permission', 'https://creativecommons.org/licenses/by-nc/4.0/'],
    ['Public domain; accession pending', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['Domaine public (auteur mort en 1890)', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['CC0; attribution unverified', 'https://creativecommons.org/publicdomain/zero/1.0/'],
    ['Public domain; no permission required', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['Gemeinfrei (Fotografie: gemeinfrei)', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['Dominio público (fotografía incluida)', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['CC0 (Met Open Access)', 'https://creativecommons.org/publicdomain/zero/1.0/'],
    // "Protected" said of something else, and "Licensed image" beside its licence.
    ['CC0; protected area', 'https://creativecommons.org/publicdomain/zero/1.0/'],
    ['CC BY 4.0; licensed image', 'https://creativecommons.org/licenses/by/4.0/'],
    // Saying there is no photograph, or no fee, leaves none out.
    ['Domaine public (pas de photo)', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['CC0 — no reproduction fees', 'https://creativecommons.org/publicdomain/zero/1.0/'],
    [
      'Domaine public ; la photographie est aussi dans le domaine public',
      'https://creativecommons.org/publicdomain/mark/1.0/',
    ],
  ])('keeps %j as it was read', (text, uri) => {
    expect(rightsOf(text)).toMatchObject({ uri, download: true });
  });
});

/*
 * A hedge beside an open statement, in English as in the other languages ("Probably public domain", "Public domain
 * (uncertain)", "Vermutlich gemeinfrei", "Domaine public (présumé)"): the museum is not sure, and was read as sure.
 * Unknown, as "Possibly not in copyright" is. Failed before the fix.
 */
describe('an open statement hedged', () => {
  it.each([
    'Probably public domain',
    'Possibly public domain',
    'Presumed public domain',
    'Public domain (probably)',
    'Public domain (uncertain)',
    'Public domain (unclear)',
    'CC0 (likely)',
    'Vermutlich gemeinfrei',
    'Wahrscheinlich gemeinfrei',
    'Gemeinfrei – unklar',
    'Probablement dans le domaine public',
    'Domaine public (présumé)',
    'Domaine public (incertain)',
    'Probablemente dominio público',
    'Dominio público (dudoso)',
    'Probabilmente pubblico dominio',
    'Pubblico dominio (incerto)',
    'Waarschijnlijk publiek domein',
    'Publiek domein (onzeker)',
  ])('reads %j as unknown', (text) => {
    expect(read(text)).toEqual({ group: 'unknown', download: false });
  });

  it.each([
    ['Hergebruik mogelijk onder CC BY 4.0', 'https://creativecommons.org/licenses/by/4.0/'],
    ['Reuse possible under CC BY 4.0', 'https://creativecommons.org/licenses/by/4.0/'],
    ['Public domain; date uncertain', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['Domaine public (auteur incertain)', 'https://creativecommons.org/publicdomain/mark/1.0/'],
  ])('keeps %j as it was read: the hedge is of something else', (text, uri) => {
    expect(rightsOf(text)).toMatchObject({ uri, download: true });
  });
});

// Reviewer V8: hedges and exceptions missed, and a condition of reuse or a hedge of something else read as a doubt.
describe('hedges and exceptions, as reviewer V8 tried them', () => {
  it.each([
    'Thought to be in the public domain',
    'Believed to be in the public domain',
    'Likely to be in the public domain',
    'Appears to be public domain',
    'Seems to be in the public domain',
    'Public domain (probable)',
    'Probable public domain',
    'Domaine public (probable)',
    'Public domain (unsure)',
    'Public domain (not sure)',
    'Voraussichtlich gemeinfrei',
    'Gemeinfrei (angenommen)',
    'Provavelmente domínio público',
    "Pubblico dominio, tranne l'immagine",
    'CC0, tranne le immagini',
  ])('reads %j as unknown', (text) => {
    expect(read(text)).toEqual({ group: 'unknown', download: false });
  });

  it.each([
    ['CC BY 4.0, sous réserve de mentionner la source', 'https://creativecommons.org/licenses/by/4.0/'],
    ['Domaine public, sous réserve des droits des tiers', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['Public domain; uncertain date', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['Public domain - probably 18th century', 'https://creativecommons.org/publicdomain/mark/1.0/'],
    ['Public domain, believed taken 1890', 'https://creativecommons.org/publicdomain/mark/1.0/'],
  ])('keeps %j open: a condition of reuse, or a hedge of something else', (text, uri) => {
    expect(rightsOf(text)).toMatchObject({ uri, download: true });
  });
});
