import { describe, expect, it } from 'vitest';
import { rightsGroup } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

/*
 * Reviewer V31 and D34 (7 December 2026): "Public Domain: no", an export's yes/no field written out with its name,
 * read as the Public Domain Mark and offered the photograph for download. A public domain answered "no" (or "not",
 * "false", "nein", "non"…) at the end of its clause is denied, as "Not public domain" is: In Copyright.
 */
describe('a public domain answered no', () => {
  it.each([
    'Public Domain: no',
    'Public domain: No',
    'Public Domain - no',
    'Public domain = false',
    'Public Domain not',
    'Public domain: no; CC0',
    'Gemeinfrei: nein',
    'Domaine public : non',
    'Dominio público: no',
    'Publiek domein: nee',
    'PD: no',
  ])('reads "%s" as In Copyright, with no download', (text) => {
    const read = rightsOf(text);
    expect(rightsGroup(read)).toBe('in_copyright');
    expect(read.download).toBe(false);
  });

  it.each([
    'Public Domain - No known copyright restrictions',
    'Public domain: yes',
    'Public domain; no restrictions',
    'Public Domain Mark 1.0',
  ])('leaves "%s" open', (text) => {
    expect(rightsGroup(rightsOf(text))).toBe('open');
  });
});
