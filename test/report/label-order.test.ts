import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const text = (lines: [string, string][]) =>
  `object_id,label\n${lines.map(([id, label]) => `${id},${label}\n`).join('')}`;

/*
 * Outside tester T3 (F15): the label-changes table listed ids in code-point order (NEW.0, NEW.1, NEW.10, NEW.100),
 * while every message lists them in natural order (OBJ-2 before OBJ-10).
 */
describe('the label-changes table', () => {
  it('lists ids in natural order', async () => {
    const added: [string, string][] = Array.from({ length: 12 }, (_, i) => [`NEW.${11 - i}`, 'coin']);
    const headText = text([...Object.entries(labels), ...added]);
    const { ws } = await makeRepo({ objects, base: labels, head: labels, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => c.id)).toEqual(Array.from({ length: 12 }, (_, i) => `NEW.${i}`));
    const ids = markdown
      .split('\n')
      .filter((l) => l.startsWith('| NEW.'))
      .map((l) => /^\| (NEW\.\d+)/.exec(l)![1]);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => `NEW.${i}`));
  });
});
