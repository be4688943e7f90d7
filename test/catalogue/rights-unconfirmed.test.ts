import { describe, expect, it } from 'vitest';
import { rightsGroup } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

/*
 * A licence the text says is not confirmed yet was read as open, shown in full with its badge and a download: "Rights:
 * TBC; CC0" (the field name "Rights:" was set aside, and with it the "TBC" after it), "CC BY 4.0 (unverified)" (only
 * "pending", "TBC", "to be confirmed" and "not yet granted" were read). Like "pending", they are now unknown rights.
 * "TBC" about something else stays beside an open licence ("Public domain; date TBC", review V6). Failed before the
 * fix.
 */

const group = (text: string) => rightsGroup(rightsOf(text));

describe('a licence not yet confirmed', () => {
  it.each([
    'Rights: TBC; CC0',
    'Rights: TBD; CC BY 4.0',
    'Licence: TBC; CC0',
    'Rights TBC; CC0',
    'TBC; CC0',
    'CC0; TBC',
    'CC0 | TBD',
    'CC0 (TBC)',
    'CC0 (TBD)',
    'CC0 – to be confirmed',
    'CC0 - to be determined',
    'Licence: TBD',
    'CC BY 4.0 (unverified)',
    'CC BY 4.0 (not verified)',
    'CC BY-SA 4.0 – unconfirmed',
    'CC BY 4.0 (to be checked)',
    'CC BY 4.0 (to be verified)',
    'CC BY 4.0 (provisional)',
    'Public domain (unverified)',
    'Public domain?',
    'CC0 (?)',
    'Creative Commons Attribution 4.0 International (unverified)',
    'Rights status: unverified; CC0',
    'Licence under review; CC BY 4.0',
    'https://creativecommons.org/publicdomain/zero/1.0/ (TBC)',
  ])('reads %j as not open', (text) => {
    expect(group(text)).not.toBe('open');
  });

  it.each([
    'Public domain; date TBC',
    'Public domain; accession pending',
    'CC0; attribution unverified',
    'Public domain; maker unconfirmed',
    'CC0 (Met Open Access)',
    'Rights: CC0',
    'CC0 — verified 2024',
    'https://rightsstatements.org/page/NoC-NC/1.0/?language=en',
    'CC0 (see https://museum.org/rights?lang=en)',
  ])('keeps %j open: the doubt is of something else, or there is none', (text) => {
    expect(group(text)).toBe('open');
  });
});
