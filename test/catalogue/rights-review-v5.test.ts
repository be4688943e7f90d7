import { describe, expect, it } from 'vitest';
import { rightsGroup } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

/*
 * Review V5 of rights reading 5 (pipeline/catalogue/rights.ts): texts that claimed a copyright and were read as open,
 * or named nobody and were held back. Each case is one a museum’s export may hold.
 */

const CC0 = 'https://creativecommons.org/publicdomain/zero/1.0/';
const group = (text: string) => rightsGroup(rightsOf(text));

describe('rights reading 5, review V5', () => {
  it('reads “no rights reserved” followed by an exception, or on a line of its own after “No”, as rights reserved', () => {
    for (const text of [
      'CC0 – No rights reserved except the photograph',
      'CC0 – No rights reserved, except the photograph',
      'Public domain; no rights reserved but the photograph',
      'CC0 – No rights reserved apart from the photograph',
      'CC0 – No rights reserved. Except the photograph',
      'No rights reserved except the photograph',
      'Commercial use: No\nRights reserved\nCC BY-NC 4.0',
      'Commercial use: No\r\nRights reserved; CC BY 4.0',
    ])
      expect(group(text), JSON.stringify(text)).toBe('in_copyright');
    // CC0’s own words are still CC0.
    for (const text of [
      'CC0 – No rights reserved',
      'CC0\nNo rights reserved',
      'CC0 1.0 Universal (No Rights Reserved)',
      'CC0 – No rights reserved. Save and share it freely',
    ])
      expect(rightsOf(text).uri, JSON.stringify(text)).toBe(CC0);
  });

  it('reads a holder field in other languages beside a licence as “Copyright: Jane Doe” is', () => {
    expect(group('Copyright: Jane Doe; CC BY 4.0')).toBe('in_copyright');
    for (const text of [
      'Urheberrecht: Jane Doe; CC BY 4.0',
      'Urheber: Jane Doe; CC BY 4.0',
      'Bildnachweis: Jane Doe; CC BY 4.0',
      'Fotograaf: Jan de Vries; CC BY 4.0',
      'Auteursrecht: Jan de Vries; CC BY 4.0',
      'Droits d’auteur : Jeanne Dupont ; CC BY',
      "Droits d'auteur : Jeanne Dupont ; CC BY",
      'Derechos de autor: Juana Pérez; CC BY 4.0',
      'Crediti fotografici: Gianna Rossi; CC BY 4.0',
      'fot. Jan Kowalski; CC BY 4.0',
      'CC BY 4.0, fot. Jan Kowalski',
    ])
      expect(group(text), text).toBe('in_copyright');
    // The same fields before a licence alone name nobody.
    for (const text of ['Urheberrecht: CC BY 4.0', 'Bildnachweis: CC BY 4.0', 'Fotograaf: CC BY 4.0'])
      expect(group(text), text).toBe('open');
  });

  it('reads “all rights reserved” in other word orders and languages as the English words are', () => {
    for (const words of [
      'Tutti i diritti sono riservati',
      'Reservados todos los derechos',
      'Reservats tots els drets',
      'Reservados todos os direitos',
      'Alle rettigheder forbeholdt',
      'Alla rättigheter reserverade',
      'Tous droits de reproduction réservés',
      'Усі права захищені',
      'Все права защищены',
      'Tüm hakları saklıdır',
      'TÜM HAKLARI SAKLIDIR',
      'Minden jog fenntartva',
      'Toate drepturile rezervate',
      'Všetky práva vyhradené',
      '版权所有',
      '版權所有',
      '無断転載禁止',
      '著作権所有',
    ]) {
      expect(rightsOf(words).uri, words).toBe('http://rightsstatements.org/vocab/InC/1.0/');
      for (const text of [`${words}; CC BY 4.0`, `CC0 – ${words}`]) expect(group(text), text).toBe('in_copyright');
    }
  });

  it('reads a holder field that names nobody, or a source, as the licence beside it', () => {
    for (const [text, alone] of [
      ['Foto: unbekannt; CC0', 'CC0'],
      ['Crédit photo : inconnu ; Domaine public', 'Domaine public'],
      ['Photographer: [unknown]; CC0', 'CC0'],
      ['Photographer: ?; CC0', 'CC0'],
      ['Photo: ?; CC0', 'CC0'],
      ['Photographer: not recorded; CC0', 'CC0'],
      ['Photo: Public domain (PD-Art)', 'Public domain'],
      ['Photo: CC0 via Europeana', 'CC0'],
      ['Photo: CC BY-SA 4.0 (Wikimedia Commons)', 'CC BY-SA 4.0'],
    ] as const)
      expect(rightsOf(text).uri, text).toBe(rightsOf(alone).uri);
    expect(group('Photo: Jane Doe (CC BY)')).toBe('in_copyright');
    expect(group('Photo: Jane Doe? ; CC0')).toBe('in_copyright');
  });

  it('reads “no rights reserved” in Spanish as the English words are', () => {
    expect(rightsOf('CC0 – Sin derechos reservados').uri).toBe(CC0);
    expect(group('Sin derechos reservados')).toBe(group('No rights reserved'));
  });
});
