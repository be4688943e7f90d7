import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { labelsThatMayBeWrong, type ReviewFile, renderReview, reviewFromOof } from '../../pipeline/review/index.ts';

/*
 * Confident learning counts how many objects of each label look like another label (those whose
 * probability of it reaches its per-class threshold), then takes that many by rank. Calibrating the
 * counts (objects that reach no threshold are shared out) can make the count larger than the objects
 * that reached the threshold: the rest are picked only because they rank high. Here "pick" (B at 55%,
 * under B's threshold of 75%) is such an object; "flag" (B at 80%) reaches it.
 */

const row = (id: string, label: string, probabilities: number[]) => ({
  id,
  label,
  split: 'train' as const,
  fold: 0,
  probabilities,
});

const oof: OofFile = {
  schema: 'vitrine.oof/1',
  labels: ['A', 'B'],
  k: 5,
  seed: 42,
  objects: [
    ...Array.from({ length: 12 }, (_, i) => row(`a${i}`, 'A', [0.9, 0.1])),
    ...Array.from({ length: 6 }, (_, i) => row(`u${i}`, 'A', [0.55, 0.45])),
    row('flag', 'A', [0.2, 0.8]),
    row('pick', 'A', [0.45, 0.55]),
    ...Array.from({ length: 10 }, (_, i) => row(`b${i}`, 'B', [0.1, 0.9])),
    ...Array.from({ length: 10 }, (_, i) => row(`v${i}`, 'B', [0.4, 0.6])),
  ],
};

let ws: Workspace;
beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-flagged-')));
  await writeFile(
    ws.params,
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('flagged or worth a look', () => {
  const review = reviewFromOof({ oof });
  const line = (text: string, id: string) => text.split('\n').find((l) => l.trimStart().startsWith(`${id} `))!;

  it('records which objects confident learning flags by its per-class threshold, and which it only picked by rank', () => {
    expect(review.agreement).toMatchObject({ better: true });
    expect(review.items.map((i) => i.id)).toEqual(['flag', 'pick']);
    // Both are in confident learning's count (what train.flagged: drop leaves out): `confident` is kept as it was.
    expect(review.items.map((i) => i.confident)).toEqual([true, true]);
    expect(review.confident).toBe(2);
    expect(review.items[0]).toMatchObject({ reason: 'flagged', threshold: 0.75 });
    expect(review.items[1]).toMatchObject({ reason: 'ranked', threshold: 0.75 });
    expect(review.flagged).toBe(1);
  });

  it('vitrine review writes "flagged" only beside an object that reaches the threshold, "worth a look" beside the rest', () => {
    const text = renderReview({ review });
    expect(line(text, 'flag')).toMatch(/labelled A, the model says B \(80%\) {2}score 0\.80 {2}flagged$/);
    expect(line(text, 'pick')).toMatch(/labelled A, the model says B \(55%\) {2}score 0\.55 {2}worth a look$/);
    expect(line(text, 'pick')).not.toContain('flagged');
    expect(text).toContain(
      '2 of 40 labelled objects may have a wrong label (1 flagged, 1 worth a look); most likely wrong first.',
    );
    expect(text).toContain(
      '"flagged": the model is at least as sure of the label it suggests as it is, on average, of the objects that ' +
        'have that label (confident learning).',
    );
    expect(text).toContain(
      '"worth a look": the model prefers another label, but is not sure enough for a flag; listed because it ranks high.',
    );
  });

  it('a list written before `reason` was recorded: flagged from a model that learnt well, worth a look from a weak one', () => {
    const { flagged: _flagged, ...before } = review;
    const old: ReviewFile = { ...before, items: review.items.map(({ reason: _r, threshold: _t, ...i }) => i) };
    const text = renderReview({ review: old });
    expect(line(text, 'flag')).toMatch(/flagged$/);
    expect(line(text, 'pick')).toMatch(/flagged$/);
    expect(text).toContain('(2 flagged); most likely wrong first.');
    const weak = renderReview({ review: { ...old, agreement: { ...old.agreement!, accuracy: 0.5 } } });
    expect(weak).not.toContain('flagged');
    expect(line(weak, 'pick')).toMatch(/worth a look$/);
    expect(weak).not.toMatch(/undefined|NaN/);
  });

  it('`vitrine review` names each object by its title too, when the dataset stage has run (an outside tester)', async () => {
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    const run = async () => {
      let out = '';
      expect(await main(['review'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log: memoryLogger() })).toBe(0);
      return out;
    };
    // Before the dataset stage: ids alone.
    expect(line(await run(), 'flag')).toMatch(/^ {2}flag {11}labelled A/);
    await mkdir(ws.dataset, { recursive: true });
    const objects = [
      { id: 'flag', title: 'Bronze coin with an owl' },
      { id: 'pick', title: 'A very long title of an object that goes on and on past forty characters' },
    ];
    await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify({ schema: 'vitrine.dataset/1', objects }));
    const text = await run();
    expect(line(text, 'flag')).toMatch(/^ {2}flag {11}“Bronze coin with an owl”, labelled A, the model says B/);
    expect(line(text, 'pick')).toMatch(/“A very long title of an object that goes…”, labelled A/);
    // A title with a line break and a control character (a quoted cell): one line, escaped (a reviewer).
    objects[0]!.title = 'Two\nlines \u001b[2J';
    await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify({ schema: 'vitrine.dataset/1', objects }));
    const escaped = await run();
    expect(escaped).not.toMatch(/\u001b/);
    expect(line(escaped, 'flag')).toContain('“Two\\nlines \\u001b[2J”, labelled A');
  });

  // Helper F1: the objects given one stand-in picture are said by `vitrine review`, and were missing from --json.
  it('`vitrine review --json` lists the pictures given to many objects, whose labels the model cannot check', async () => {
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    await mkdir(ws.dataset, { recursive: true });
    const card = { image: 'images/noimage.png', objects: ['L-1', 'U-1', 'U-2', 'U-3', 'U-4', 'U-5'], labels: ['A'] };
    const dataset = { schema: 'vitrine.dataset/1', objects: [{ id: 'flag', title: 'Coin' }], standIns: [card] };
    await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify(dataset));
    let out = '';
    const log = memoryLogger();
    expect(await main(['review', '--json'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    const json = JSON.parse(out) as ReviewFile & { standIns: unknown };
    expect(json.standIns).toEqual([card]);
    expect(json.items.map((i) => i.id)).toEqual(['flag', 'pick']);
    await rm(path.join(ws.dataset, 'dataset.json'));
    out = '';
    expect(await main(['review', '--json'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    expect(JSON.parse(out).standIns).toEqual([]);
  });

  it('`vitrine review --json` keeps the old fields and adds the reason', async () => {
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    let out = '';
    const log = memoryLogger();
    expect(await main(['review', '--json'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    const json = JSON.parse(out) as ReviewFile;
    expect(json.items.map(({ id, confident, reason }) => ({ id, confident, reason }))).toEqual([
      { id: 'flag', confident: true, reason: 'flagged' },
      { id: 'pick', confident: true, reason: 'ranked' },
    ]);
    expect(json).toMatchObject({ confident: 2, flagged: 1 });
    out = '';
    expect(await main(['review', '--help'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    expect(out).toContain('"worth a look"');
  });
});

describe('the staff labels that may be wrong, counted as the catalogue counts them', () => {
  // An outside tester read "50 staff labels that may be wrong" from the evaluate stage and 72 on the catalogue's review
  // page: the stage counted every object the check ranked; the queue only those flagged or scored 0.5 or more.
  it('are the flagged items and those scored 0.5 or more, not every ranked one', () => {
    const checked = reviewFromOof({ oof });
    // An object the check only ranks, low: its label is worth a look in `vitrine review`, not called wrong.
    const low = { ...checked.items.find((i) => i.id === 'pick')!, id: 'low', score: 0.3, reason: 'ranked' as const };
    const review = { ...checked, items: [...checked.items, low] };
    expect(labelsThatMayBeWrong(review).map((i) => i.id)).toEqual(
      checked.items.filter((i) => i.reason === 'flagged' || i.score >= 0.5).map((i) => i.id),
    );
    expect(labelsThatMayBeWrong(review).map((i) => i.id)).toContain('flag');
    expect(labelsThatMayBeWrong(review).map((i) => i.id)).not.toContain('low');
    // A model no better than guessing questions no label.
    expect(labelsThatMayBeWrong({ ...review, agreement: { ...review.agreement!, better: false } })).toEqual([]);
  });
});
