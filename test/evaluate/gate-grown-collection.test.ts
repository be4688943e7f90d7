import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grownCollection, grownCollectionWords } from '../../pipeline/evaluate/gate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from '../report/fixture.ts';

/*
 * Brief (D2): `vitrine init` writes gate.min_test_objects 5 and gate.max_macro_f1_drop 0.5 into params.yaml for a
 * collection whose test split cannot reach 30; nothing said to set them back as the collection grew, so a grown
 * collection kept being judged on a handful of test objects. Once its test split holds the default’s 30 photographed
 * objects, the run’s log and the report’s gate section say so, naming the defaults.
 */

const small = { min_test_objects: 5, max_macro_f1_drop: 0.5 };

describe('a collection grown out of the small-collection gate', () => {
  it('is found once its test split holds 30 photographed objects and params.yaml asks for fewer', () => {
    expect(grownCollection({ photographedInTest: 29, gate: small })).toBeNull();
    expect(grownCollection({ photographedInTest: 30, gate: small })).toEqual({
      photographedInTest: 30,
      settings: [
        { key: 'gate.min_test_objects', now: 5, default: 30 },
        { key: 'gate.max_macro_f1_drop', now: 0.5, default: 0.02 },
      ],
    });
    // The defaults already, or a minimum the museum raised itself: nothing to say.
    expect(grownCollection({ photographedInTest: 80, gate: { min_test_objects: 30, max_macro_f1_drop: 0.02 } })).toBe(
      null,
    );
    expect(grownCollection({ photographedInTest: 80, gate: { min_test_objects: 40, max_macro_f1_drop: 0.5 } })).toBe(
      null,
    );
    // A stricter drop than the default is the museum’s own: only the minimum is named.
    expect(
      grownCollection({ photographedInTest: 31, gate: { min_test_objects: 10, max_macro_f1_drop: 0.01 } }),
    ).toEqual({ photographedInTest: 31, settings: [{ key: 'gate.min_test_objects', now: 10, default: 30 }] });
  });

  it('is said in words naming the settings and their defaults', () => {
    const grown = grownCollection({ photographedInTest: 34, gate: small })!;
    expect(grownCollectionWords({ grown })).toBe(
      'The collection has grown: its test split now holds 34 objects with a photograph, enough for the default ' +
        'gate. In params.yaml, gate.min_test_objects is 5 and gate.max_macro_f1_drop is 0.5 (set lower for a small ' +
        'collection): a maintainer can now set them back to the defaults, gate.min_test_objects 30 and ' +
        'gate.max_macro_f1_drop 0.02, on the main branch (docs/metrics.md, “Small collections”).',
    );
  });

  it('is said once in the report’s gate section, from the evaluate stage’s metrics.json', async () => {
    const objects = demoObjects();
    const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const file = path.join(ws.evaluate, 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8'));
    metrics.gate.grown = grownCollection({ photographedInTest: 34, gate: small });
    await writeFile(file, JSON.stringify(metrics));
    const params = validateParams({ raw: { gate: small } });
    const built = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const gate = built.markdown.slice(built.markdown.indexOf('### Promotion gate'));
    const section = gate.slice(0, gate.indexOf('\n### ', 5) === -1 ? undefined : gate.indexOf('\n### ', 5));
    expect(section).toContain('The collection has grown: its test split now holds 34 objects with a photograph');
    expect(section).toContain('`gate.min_test_objects` 30 and `gate.max_macro_f1_drop` 0.02');
    expect(built.markdown.split('The collection has grown').length).toBe(2);
  });
});
