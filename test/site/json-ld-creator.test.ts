import { describe, expect, it } from 'vitest';
import { jsonLdCreator } from '../../site/src/lib/creator.ts';

/*
 * An outside tester of the public site: an object page's JSON-LD typed every maker as a schema.org Person, "Mint of
 * Chang’an", "Workshop of …", "Egyptian" and "Tiffany & Co." included. A maker that reads as an organisation is an
 * Organization; an attribution or an unknown maker gives no creator; any other name is given as plain text.
 */
const org = (name: string) => ({ '@type': 'Organization', name });

describe('the creator of an object page’s JSON-LD', () => {
  it('is an Organization for a mint, workshop, factory, company, studio or pottery', () => {
    for (const name of [
      'Mint of Chang’an',
      'Royal Mint',
      'Tiffany & Co.',
      'Tiffany Studios',
      'Meissen Porcelain Factory',
      'Wedgwood and Sons',
      'Rookwood Pottery',
      'East India Company',
      'Oxford University Press',
    ])
      expect(jsonLdCreator(name), name).toEqual(org(name));
  });

  it('is an Organization for the same words in French, German, Dutch, Italian and Spanish', () => {
    for (const name of [
      'Monnaie de Paris',
      'Manufacture nationale de Sèvres',
      'Christofle et Cie',
      'Königliche Porzellan-Manufaktur',
      'Porzellanmanufaktur Nymphenburg',
      'Wiener Werkstätte',
      'Rijksmunt',
      'Koninklijke Porceleyne Fles N.V.',
      'Zecca di Venezia',
      'Manifattura Ginori',
      'Real Fábrica de Santa Bárbara',
      'Casa de Moneda de México',
    ])
      expect(jsonLdCreator(name), name).toEqual(org(name));
  });

  it('is left out for an attribution, whose artist did not make the object', () => {
    for (const name of [
      'Workshop of Peter Paul Rubens',
      'Circle of Rembrandt',
      'Attributed to Giotto',
      'Follower of Caravaggio',
      'School of Fontainebleau',
      'After Raphael',
      'Rubens, workshop of',
      'Atelier de Rubens',
      'Werkstatt des Lucas Cranach',
      'Kring van Rembrandt',
      'Bottega di Giovanni Bellini',
      'Taller de Zurbarán',
      'Attribué à Poussin',
    ])
      expect(jsonLdCreator(name), name).toBeUndefined();
  });

  it('is left out for an unknown or anonymous maker, in any of the languages', () => {
    for (const name of ['Unknown', 'unknown maker', 'Anonymous', 'Maker unknown', 'Anonyme', 'Unbekannt', 'Anónimo'])
      expect(jsonLdCreator(name), name).toBeUndefined();
    expect(jsonLdCreator('')).toBeUndefined();
    expect(jsonLdCreator('  ')).toBeUndefined();
  });

  it('is the name as plain text, not a Person, for anything else: a culture or a person alike', () => {
    for (const name of ['Egyptian', 'Jane Doe', 'Katsushika Hokusai', 'Leonardo da Vinci', 'Sigismund Munt', 'Inca'])
      expect(jsonLdCreator(name), name).toBe(name);
  });

  /*
   * Reviewer V11: a print's maker names its engraver and the artist it copies, a Japanese print its publisher, a
   * painting its workshop; "unknown" anywhere, or "Press" or "Studio" anywhere, decided it all.
   */
  it('is the maker named first for a print after another artist (the engraver made it), in the five languages', () => {
    for (const [maker, creator] of [
      ['Jan Saenredam, after Hendrick Goltzius', 'Jan Saenredam'],
      ['Marcantonio Raimondi (after Raphael)', 'Marcantonio Raimondi'],
      ['Jean Dupont, d’après Poussin', 'Jean Dupont'],
      ["Jean Dupont, d'après Poussin", 'Jean Dupont'],
      ['Lucas Kilian, nach Hans von Aachen', 'Lucas Kilian'],
      ['Cornelis Cort (naar Titiaan)', 'Cornelis Cort'],
      ['Manuel Salvador Carmona, según Mengs', 'Manuel Salvador Carmona'],
    ])
      expect(jsonLdCreator(maker), maker).toBe(creator);
    // The engraver still goes through the rules: an unknown one gives none, a firm is an Organization.
    expect(jsonLdCreator('Unknown, after Raphael')).toBeUndefined();
    expect(jsonLdCreator('Anonymous engraver (after Rubens)')).toBeUndefined();
    expect(jsonLdCreator('Boydell & Co., after Reynolds')).toEqual(org('Boydell & Co.'));
  });

  it('is the maker named first when a later part names someone unknown: the publisher, not the maker', () => {
    for (const [maker, creator] of [
      ['Ando Hiroshige, Unknown publisher', 'Ando Hiroshige'],
      ['Katsushika Hokusai; publisher unknown', 'Katsushika Hokusai'],
      ['Chinese, unknown', 'Chinese'],
    ])
      expect(jsonLdCreator(maker), maker).toBe(creator);
    for (const maker of [
      'Unknown artist',
      'Unknown Chinese artist',
      'Anonymous Flemish painter',
      'Artiste inconnu',
      'Unknown (Chinese)',
      'Unknown, Japanese',
    ])
      expect(jsonLdCreator(maker), maker).toBeUndefined();
  });

  it('is the master’s plain name for a master and workshop, in the five languages', () => {
    for (const [maker, creator] of [
      ['Giovanni Bellini e bottega', 'Giovanni Bellini'],
      ['Peter Paul Rubens and workshop', 'Peter Paul Rubens'],
      ['Rubens and his workshop', 'Rubens'],
      ['Rembrandt & studio', 'Rembrandt'],
      ['Lucas Cranach der Ältere und Werkstatt', 'Lucas Cranach der Ältere'],
      ['Jan Brueghel en werkplaats', 'Jan Brueghel'],
      ['Nicolas Poussin et atelier', 'Nicolas Poussin'],
      ['Francisco de Zurbarán y taller', 'Francisco de Zurbarán'],
      ['Titian with workshop, after Giorgione', 'Titian'],
    ])
      expect(jsonLdCreator(maker), maker).toBe(creator);
  });

  it('is a plain name when the word that may name a firm may as well be part of a name (Press, Studio)', () => {
    // Unsure, so no type: "Ellen Press" is a woman, "Kelmscott Press" a firm, and nothing in the names tells.
    for (const name of ['Ellen Press', 'Mary Ellen Press', 'Kelmscott Press', 'Studio Job', 'Anna Studio'])
      expect(jsonLdCreator(name), name).toBe(name);
  });
});
