import { describe, expect, it } from 'vitest';
import { forbidsPublication } from '../../pipeline/catalogue/image-rules.ts';

/*
 * "Internal use only" keeps a photograph off the site; the same words in the other languages Vitrine reads exports in
 * were "not recognised", so by default shown in full (helper R9: "Nur für den internen Gebrauch").
 */

const INTERNAL = [
  'Nur für den internen Gebrauch',
  'Nur für den dienstlichen Gebrauch',
  'Nur intern',
  'Nur zur internen Verwendung',
  'Usage interne uniquement',
  'Réservé à un usage interne',
  'À usage interne seulement',
  'Solo para uso interno',
  'Sólo para uso interno',
  'Únicamente para uso interno',
  'Solo per uso interno',
  'Ad uso interno',
  'Alleen voor intern gebruik',
  'Uitsluitend voor intern gebruik',
];

// Texts about internal use that do not forbid publishing the photograph.
const HARMLESS = [
  'CC0; internal use and publication permitted',
  'Gemeinfrei (auch für den internen Gebrauch)',
  'Public domain; usage interne et externe libre',
];

describe('"internal use only" in other languages', () => {
  it.each(INTERNAL)('%s keeps the photograph off the site', (text) => {
    expect(forbidsPublication(text)).toBe(true);
  });
  it.each(HARMLESS)('%s does not', (text) => {
    expect(forbidsPublication(text)).toBe(false);
  });
});
