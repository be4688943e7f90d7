import { describe, expect, it } from 'vitest';
import { outsideVocabulary } from '../../pipeline/dataset/outside-vocabulary.ts';
import type { Dataset } from '../../pipeline/types.ts';

/*
 * Tester T16 F1: a label "coin" + U+202E (a right-to-left override) was skipped by the dataset stage, yet published as
 * staff's word ("Catalogued by staff", JSON-LD, catalogue.csv, IIIF), the note around it reading backwards. A label
 * holding a character no label may hold (pastedInLabel: params.yaml's rule) is now published nowhere, as it is not
 * trained on; a label outside the vocabulary with none is still shown as staff's word.
 */

const issue = (object: string, label: string) => ({
  code: 'LABEL_NOT_IN_VOCABULARY',
  message: `labels.csv: ${object}`,
  file: 'labels.csv',
  object,
  label,
});

describe('a staff label outside the vocabulary holding an invisible or direction character', () => {
  it('is not shown as staff’s word on the catalogue; a plain one still is', () => {
    const objects = ['A-1', 'A-2', 'A-3'].map((id) => ({ id, label: null }));
    const labels = [
      { objectId: 'A-1', label: 'coin\u202e', line: 2 },
      { objectId: 'A-2', label: 'Pottery\u200b', line: 3 },
      { objectId: 'A-3', label: 'Misc', line: 4 },
    ];
    const dataset = {
      objects,
      labels: ['coin', 'Pottery'],
      issues: labels.map((l) => issue(l.objectId, l.label)),
    } as unknown as Dataset;
    const outside = outsideVocabulary({ dataset, labels });
    expect([...outside.keys()]).toEqual(['A-3']);
    expect(outside.get('A-3')!.label).toBe('Misc');
  });
});
