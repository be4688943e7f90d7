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
      'Kelmscott Press',
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
});
