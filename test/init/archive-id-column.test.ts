import { describe, expect, it } from 'vitest';
import { guessColumns } from '../../pipeline/init/mapping.ts';

/*
 * Tester T12 (7 December 2026), a photo archive: init stopped with "No column of objects.csv looks like the object
 * id" on an export whose id column is "Reference Code" (ISAD(G) 3.1.1; AtoM's referenceCode). Archives and
 * libraries name the number a record is found by in their own words: a reference code, a call number, a shelfmark,
 * and in their languages a Signatur, a cote, a signatuur, a signatura or segnatura.
 */
describe('the object id column of an archive or library export', () => {
  it.each([
    'Reference Code',
    'referenceCode',
    'Ref. No.',
    'Reference number',
    'Call Number',
    'Shelfmark',
    'Signatur',
    'Cote',
    'Signatuur',
    'Signatura',
    'Segnatura',
  ])('takes "%s" for the object id', (id) => {
    const header = ['Title', 'Date (free text)', id, 'Creator', 'Rights', 'Category', 'Filename'];
    expect(guessColumns({ header, rows: [] }).columns.id).toBe(id);
  });

  it.each([
    'Bibliography ref. no.',
    'Cross reference no.',
    'Cross-reference number',
    'Publication reference number',
    'Loan Ref No',
    'Parent Reference Code',
    'Reference No. (bibliography)',
  ])('does not take "%s", a reference to something else, for the object id', (other) => {
    expect(guessColumns({ header: ['Title', other, 'Photo'], rows: [] }).columns.id).toBe('');
  });

  it('keeps an "Object number" before a reference code, and a Reference column of citations is no id', () => {
    expect(guessColumns({ header: ['Reference Code', 'Object number'], rows: [] }).columns.id).toBe('Object number');
    expect(guessColumns({ header: ['Title', 'Reference', 'Photo'], rows: [] }).columns.id).toBe('');
  });
});
