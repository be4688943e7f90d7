import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../pipeline/fs.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  publicationWith,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * An outside tester, 2026-12-06: "Mounted bird" renamed "Bird mount" and merged; the version registered on main said
 * "label vocabulary changed (added Bird mount; removed Mounted bird)" and its card "Classes removed: Mounted bird",
 * where the report had said "“Mounted bird” is now “Bird mount” (26 objects)". The evaluation's renames
 * (metrics.json labelRenames) go with the registration, and the card says the class was renamed.
 */

const newRepo = repoPerTest();
const RENAMED = ['coin', 'mask', 'pot'];

describe('a version that renames a type', () => {
  it('says on its card and in its reason that the type was renamed, not one removed and one added', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'vessel' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replaceAll(',vessel', ',pot'));
    sh(f.root, 'commit', '-q', '-am', 'Rename vessel to pot');
    f.params.collection.vocabulary = RENAMED;
    await writeDataset({ ws: f.ws, labels: RENAMED });
    await writeModel({ ws: f.ws, predicts: 'pot', labels: RENAMED, seed: 2 });
    const publication = publicationWith({ coin: 0.8, mask: 0.8, pot: 0.8 });
    const metrics = await writeMetrics({ ws: f.ws, params: f.params, labels: RENAMED, publication });
    // As the evaluation writes it of a rename.
    metrics.labelRenames = [{ from: 'vessel', to: 'pot', objects: 6 }];
    await writeJsonAtomic({ file: path.join(f.ws.evaluate, 'metrics.json'), value: metrics });
    await promote({ ctx: stageContext(f), predict: standInPredict });

    const card = await readFile(path.join(f.ws.registry, 'cards', 'v2.0.0.md'), 'utf8');
    expect(card).not.toContain('Classes removed');
    expect(card).not.toContain('New classes');
    expect(card).not.toMatch(/added pot|removed vessel/);
    expect(card).toContain('Label vocabulary changed (renamed “vessel” to “pot”) since v1.0.0');
    expect(card).toContain('Classes renamed: “vessel” to “pot” (the same class under its new name).');
    const json = JSON.parse(await readFile(path.join(f.ws.registry, 'cards', 'v2.0.0.json'), 'utf8'));
    expect(JSON.stringify(json)).not.toContain('removed vessel');
  });
});
