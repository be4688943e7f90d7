import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import { type Fixture, makeRepo, writeDataset } from '../registry/helpers.ts';

/* A tester's run said "Training on 1 objects": the count's noun follows the count. Failed before its fix. */

const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await rm(f.parent, { recursive: true, force: true });
});

describe('the train stage says how many objects it trains on', () => {
  it('"1 object", in the singular', async () => {
    // Two labelled lines: the first trains, writeDataset leaves the last unlabelled.
    const f = await makeRepo({ objects: 2 });
    fixtures.push(f);
    await writeDataset({ ws: f.ws });
    const log = memoryLogger();
    // The images are stand-ins the backbone cannot read: the sentence comes before it reads them.
    await trainStage.run({ ws: f.ws, params: f.params, log, clock: systemClock, env: {} }).catch(() => undefined);
    const said = log.lines.map((l) => l.message).find((m) => m.startsWith('Training on'));
    expect(said).toMatch(/^Training on 1 object \(0 for validation\) with the /);
  });
});
