import { describe, expect, it } from 'vitest';
import { lookAlike, proposeVocabulary } from '../../pipeline/init/scaffold.ts';

/*
 * A label typed on a Mac comes as "Pie\u0300ce" (e, then a combining accent), the same label as "Pièce" typed
 * elsewhere. vitrine init proposed both, as two labels, while saying they looked like one.
 */
describe('vitrine init, a label with its accents encoded two ways', () => {
  const composed = ['Céramique', 'Pièce'];
  const decomposed = composed.map((l) => l.normalize('NFD'));
  const rows = [
    ...Array(6).fill('Textile'),
    ...Array(5).fill(composed[0]),
    ...Array(5).fill(decomposed[0]),
    ...Array(4).fill(composed[1]),
    ...Array(4).fill(decomposed[1]),
  ].map((label, i) => ({ line: i + 2, cells: { label } }));

  it('proposes it once, in its composed form, with the objects of both', () => {
    expect(decomposed[1]).not.toBe(composed[1]);
    const proposal = proposeVocabulary({ table: { format: 'csv', header: ['label'], rows }, labelColumn: 'label' });
    expect(proposal.vocabulary).toEqual(['Céramique', 'Pièce', 'Textile']);
    expect(proposal.vocabulary.every((l) => l === l.normalize('NFC'))).toBe(true);
    expect(proposal.leftOut).toEqual([]);
  });

  it('counts both ways of writing it towards the objects a label needs', () => {
    // 6 objects each way: 12 together is enough to be learnt, 6 alone is not.
    const table = {
      format: 'csv' as const,
      header: ['label'],
      rows: [...Array(12).fill('Textile'), ...Array(6).fill('Pièce'), ...Array(6).fill('Pièce'.normalize('NFD'))].map(
        (label, i) => ({ line: i + 2, cells: { label } }),
      ),
    };
    const proposal = proposeVocabulary({ table, labelColumn: 'label' });
    expect(proposal.vocabulary).toEqual(['Textile', 'Pièce']);
  });

  it('counts the two as one label, not as a look-alike to correct', () => {
    // Tester T6 (F3): "Céramique (31), céramique (1), Céramique (1)", and a "check:" line for the two Céramique.
    const proposal = proposeVocabulary({ table: { format: 'csv', header: ['label'], rows }, labelColumn: 'label' });
    expect(proposal.labels).toEqual([
      { label: 'Céramique', count: 10 },
      { label: 'Pièce', count: 8 },
      { label: 'Textile', count: 6 },
    ]);
    expect(proposal.nearDuplicates).toEqual([]);
    expect(lookAlike({ labels: ['Coin', 'coin'], why: 'case' })).toMatch(/look like one label written two ways/);
  });

  it('a no-break space between its words is a plain space: one label, proposed as the dataset stage reads it', () => {
    // A word processor’s "Epoche:\u00a0Neu" beside "Epoche: Neu": one label to params.yaml and labels.csv alike.
    const table = {
      format: 'csv' as const,
      header: ['label'],
      rows: [...Array(12).fill('Textile'), ...Array(6).fill('Epoche:\u00a0Neu'), ...Array(6).fill('Epoche: Neu')].map(
        (label, i) => ({ line: i + 2, cells: { label } }),
      ),
    };
    const proposal = proposeVocabulary({ table, labelColumn: 'label' });
    expect(proposal.vocabulary).toEqual(['Textile', 'Epoche: Neu']);
    expect(proposal.leftOut).toEqual([]);
  });
});
