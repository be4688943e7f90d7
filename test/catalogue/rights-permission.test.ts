import { describe, expect, it } from 'vitest';
import { rightsGroup } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

/*
 * Texts that say the photograph may be used only with someone’s permission, or that a right is reserved in words other
 * than "all rights reserved", were not recognised, and so shown in full by default (catalogue.images.unknown: full):
 * "Permission required", "Verwendung nur mit Genehmigung", "Urheberrecht vorbehalten", "Geschützt", "Bildrecht: Museum
 * Ludwig" (the singular of the holder field "Bildrechte:"), "Reproduction soumise à autorisation". They are now In
 * Copyright. A permission not needed ("No permission required") stays unknown; a permission given under an open licence
 * is the licence; a licence’s own terms for commercial use ("CC BY-NC 4.0; commercial use only with permission") stay
 * the licence. Failed before the fix.
 */

const group = (text: string) => rightsGroup(rightsOf(text));

describe('a permission asked for, or a right reserved in other words', () => {
  it.each([
    'Bildrecht: Museum Ludwig',
    'Bildrecht: Museum Ludwig; CC BY 4.0',
    'Urheberrecht vorbehalten',
    'Urheberrechte vorbehalten',
    'Bildrechte vorbehalten',
    'Geschützt',
    'geschützt.',
    'Protected',
    'Protégé',
    'Permission required',
    'Written permission required',
    'Permission is required for reproduction',
    'Requires permission from the museum',
    'Reproduction only with permission',
    'Reproduction only with the written permission of the museum',
    'Use by permission only',
    'Use with permission only',
    'Reproduced by permission of the artist',
    'Photograph used with permission',
    'Permission from the artist is required',
    'Public domain (reproduction with permission of the owner)',
    'Subject to permission',
    'Contact the museum for permission',
    'Please ask permission before use',
    'Permission must be requested from the registrar',
    'Ohne Genehmigung keine Nutzung',
    'Prière de demander l’autorisation',
    'No reproduction without permission',
    'May not be reproduced without prior written permission',
    'Verwendung nur mit Genehmigung',
    'Nutzung nur mit Genehmigung',
    'Abdruck nur mit schriftlicher Genehmigung',
    'Veröffentlichung nur mit Erlaubnis des Museums',
    'Genehmigung erforderlich',
    'Nicht zur Weiterverwendung',
    'Not for reuse',
    'Not for re-use',
    'Not to be reproduced',
    'Reuse not permitted',
    'Licensed image',
    'Licensed photograph.',
    'Reproduction soumise à autorisation',
    'Reproduction soumise à autorisation préalable',
    'Utilisation sur autorisation uniquement',
    'Autorisation requise',
    'Reproduction interdite',
    'Reproduction interdite sans autorisation',
    'Reproducción prohibida sin permiso',
    'Prohibida la reproducción',
    'Uso solo con autorización',
    'Se requiere permiso',
    'Riproduzione vietata',
    'Riproduzione soggetta ad autorizzazione',
    'Solo previa autorizzazione',
    'Autorizzazione richiesta',
    'Reproductie alleen met toestemming',
    'Toestemming vereist',
    'Reproductie verboden',
    'Niet voor hergebruik',
  ])('reads %j as In Copyright', (text) => {
    expect(group(text)).toBe('in_copyright');
  });

  it.each([
    'No permission required',
    'No written permission required',
    'Permission not required',
    'Keine Genehmigung erforderlich',
    'Aucune autorisation requise',
    'No se requiere permiso',
    'Geen toestemming vereist',
    'Nicht geschützt',
    'Reuse requires no permission',
    'Reproduction does not require permission',
    'No reuse restrictions',
    'No need to ask permission',
    'CC0: you don’t need to ask permission',
    'Protected area of the museum',
  ])('does not read %j as In Copyright: no permission is asked for', (text) => {
    expect(group(text)).not.toBe('in_copyright');
  });

  // A licence to be asked for, or whom to ask, said without the word "required" (helper R9's leftovers).
  it.each([
    'Usage requires a licence',
    'Reproduction requires a license from the museum',
    'Permissions: contact registrar',
    'Permissions: please contact the Photo Library',
  ])('reads %j as In Copyright: a licence or a permission is to be asked for', (text) => {
    expect(group(text)).toBe('in_copyright');
  });

  it.each(['Reuse requires no licence', 'Permissions: none needed', 'CC BY 4.0; commercial use requires a licence'])(
    'does not read %j as In Copyright',
    (text) => {
      expect(group(text)).not.toBe('in_copyright');
    },
  );

  it.each([
    'Permission granted under CC BY 4.0',
    'CC BY-NC 4.0; commercial use only with permission',
    'CC BY-NC 4.0 – permission required for commercial use',
    'CC BY-NC-SA 4.0 (kommerzielle Nutzung nur mit Genehmigung)',
    'Public domain; no permission required',
    'CC0 – free to use without permission',
    'Licence: CC BY 4.0',
    'Bildrecht: CC BY 4.0',
  ])('keeps %j open: the licence is given, or the permission is only for commercial use', (text) => {
    expect(group(text)).toBe('open');
  });
});
