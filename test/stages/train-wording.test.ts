import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { trainStage, trainSummary } from '../../pipeline/stages/train.ts';
import { type Fixture, makeRepo, writeDataset } from '../registry/helpers.ts';

/* A tester's run said "Training on 1 objects": the count's noun follows the count. Failed before its fix. */

const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await rm(f.parent, { recursive: true, force: true });
});

describe('the train stage says how many objects it trains on', () => {
  // A later tester read "Training on 87 objects (18 for validation)" as 18 of the 87: they are more, said so.
  it('"1 object", in the singular', async () => {
    // Two labelled lines: the first trains, writeDataset leaves the last unlabelled.
    const f = await makeRepo({ objects: 2 });
    fixtures.push(f);
    await writeDataset({ ws: f.ws });
    const log = memoryLogger();
    // The images are stand-ins the backbone cannot read: the sentence comes before it reads them.
    await trainStage.run({ ws: f.ws, params: f.params, log, clock: systemClock, env: {} }).catch(() => undefined);
    const said = log.lines.map((l) => l.message).find((m) => m.startsWith('Training on'));
    expect(said).toMatch(/^Training on 1 object, with none set aside to check it as it learns \(validation\), on /);
  });
});

describe('the train stage’s summary agrees its nouns with their counts', () => {
  const summary = (n: number) =>
    trainSummary({
      trainObjects: n,
      embedded: { computed: n, fromCache: 0 },
      backend: 'wasm',
      dropped: n,
      leftOut: 0,
      history: {
        loss: [0.5],
        valLoss: [],
        accuracy: [1],
        valAccuracy: [],
        bestEpoch: 0,
        epochs: 1,
        stoppedEarly: false,
      },
    });

  it('"1 flagged label left out" and "1 training object", in the singular', () => {
    const one = summary(1);
    expect(one).toContain('1 flagged label left out');
    expect(one).toMatch(/^1 training object,/);
    expect(one).toContain('1 pass over the training objects');
  });

  it('"3 flagged labels left out" and "3 training objects", in the plural', () => {
    const three = summary(3);
    expect(three).toContain('3 flagged labels left out');
    expect(three).toMatch(/^3 training objects,/);
  });
});
