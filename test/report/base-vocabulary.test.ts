import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, VOCABULARY } from './fixture.ts';

/*
 * Session 5: the report read labels.csv at the base with the head's vocabulary. A line outside the vocabulary is set
 * aside when its object has a line inside it, so a label a pull request adds to (or removes from) the vocabulary
 * changed what the base's lines said: the base is read as the dataset stage read it there, with its own vocabulary.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const text = (lines: [string, string][]) => `object_id,label\n${lines.map(([id, l]) => `${id},${l}`).join('\n')}\n`;
const lines = (map: Record<string, string>) => Object.entries(map).sort() as [string, string][];
const vocabularyParams = (vocabulary: string[]) =>
  `collection:\n  name: Test Museum\n  vocabulary: [${vocabulary.join(', ')}]\n`;

describe('labels.csv at the base, read with the base’s own vocabulary', () => {
  it('a label the pull request adds: a line the base set aside is not a disagreement there', async () => {
    // At the base, DM-0004 is a coin: its "seal" line is outside the vocabulary, so the dataset stage set it aside.
    // The pull request adds seal to the vocabulary and deletes the coin line: the label changed from coin to seal.
    const grown = [...VOCABULARY, 'seal'];
    const head = { ...labels, 'DM-0004': 'seal' };
    const { ws } = await makeRepo({
      objects,
      base: labels,
      head,
      baseText: text([...lines(labels), ['DM-0004', 'seal']]),
      baseParams: vocabularyParams(VOCABULARY),
      headParams: vocabularyParams(grown),
    });
    const params = validateParams({ raw: { collection: { vocabulary: grown } } });
    const { json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([
      ['DM-0004', 'changed', 'coin', 'seal'],
    ]);
  });

  it('a label the pull request removes: the base’s two labels still disagreed there', async () => {
    // At the base, DM-0025 has two lines, textile and print, both labels then: the object was unlabelled. The pull
    // request removes textile from the vocabulary and its line: DM-0025 is newly labelled print.
    const narrowed = VOCABULARY.filter((l) => l !== 'textile');
    const head = { ...labels, 'DM-0025': 'print' };
    const { ws } = await makeRepo({
      objects,
      base: labels,
      head,
      baseText: text([...lines(labels), ['DM-0025', 'print']]),
      baseParams: vocabularyParams(VOCABULARY),
      headParams: vocabularyParams(narrowed),
    });
    const params = validateParams({ raw: { collection: { vocabulary: narrowed } } });
    const { json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const changes = json.labels.changes.filter((c) => c.id === 'DM-0025');
    expect(changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([['DM-0025', 'added', null, 'print']]);
  });
});
