import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { type ReviewFile, renderReview, reviewFromOof } from '../../pipeline/review/index.ts';
import { conflictingGroups, conflictingPairs, lookAlikeCut } from '../../pipeline/review/look-alike.ts';

/*
 * A reviewer: a group of look-alikes was every flagged object reachable by look-alike steps, so a chain became one
 * group. Twelve vessels flagged as print, photographed along an arc (each close to the next, the two ends nothing
 * alike), and one print flagged as vessel next to the first vessel: all thirteen were "one group", and `vitrine
 * review` and each object page said "These 13 objects have very similar photographs but different labels", though
 * the last vessel's photograph has similarity 0 to the first's. A group is now objects each close to every other.
 */

const dims = 12;
let state = 777;
const noise = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648 - 0.5;
};
const around = (axis: number, spread: number) =>
  Array.from({ length: dims }, (_, j) => (j === axis ? 1 : 0) + spread * noise());
const onArc = (k: number) => {
  const t = (k / 11) * (Math.PI / 2);
  return Array.from({ length: dims }, (_, j) => (j === 5 ? Math.cos(t) : j === 6 ? Math.sin(t) : 0));
};

const objects: { id: string; label: string; p: number[]; v: number[] }[] = [];
for (let i = 0; i < 30; i++) objects.push({ id: `v${i}`, label: 'vessel', p: [0.95, 0.05], v: around(0, 0.6) });
for (let i = 0; i < 30; i++) objects.push({ id: `p${i}`, label: 'print', p: [0.05, 0.95], v: around(1, 0.6) });
// Twelve vessels flagged as print, from axis 5 (arc-0) to axis 6 (arc-11).
for (let k = 0; k < 12; k++)
  objects.push({ id: `arc-${k}`, label: 'vessel', p: [0.01 + k * 0.001, 0.99 - k * 0.001], v: onArc(k) });
// A print flagged as vessel, photographed almost as arc-0.
objects.push({ id: 'near', label: 'print', p: [0.99, 0.01], v: onArc(0).map((x, j) => x + (j === 7 ? 0.001 : 0)) });

const oof: OofFile = {
  schema: 'vitrine.oof/1',
  labels: ['vessel', 'print'],
  k: 5,
  seed: 42,
  objects: objects.map((o) => ({ id: o.id, label: o.label, split: 'train', fold: 0, probabilities: o.p })),
};
const vectors = new Map(objects.map((o) => [o.id, o.v]));
const cosine = (u: number[], w: number[]) => {
  const dot = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j]!, 0);
  return dot(u, w) / Math.sqrt(dot(u, u) * dot(w, w));
};

let ws: Workspace;
beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-look-alike-chain-')));
  await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [vessel, print]\n');
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('a chain of flagged look-alikes', () => {
  const review = reviewFromOof({ oof, vectors });
  const byId = new Map(review.items.map((i) => [i.id, i]));
  const input = {
    vectors: objects.map((o) => o.v),
    y: objects.map((o) => (o.label === 'vessel' ? 0 : 1)),
    flagged: new Map(
      objects.flatMap((o, i) => (o.id.startsWith('arc-') ? [[i, 1]] : o.id === 'near' ? [[i, 0]] : [])) as [
        number,
        number,
      ][],
    ),
  };

  it('is not one group: each member of a group is close to every other member', () => {
    const cut = lookAlikeCut(input)!;
    expect(cut).toBeGreaterThan(0.9);
    expect(cut).toBeLessThan(0.92);
    for (const id of ['near', 'arc-0', 'arc-11']) expect(byId.get(id)?.reason, id).toBe('flagged');
    const groups = conflictingGroups(input);
    expect(groups.size).toBeGreaterThan(0);
    for (const [i, others] of groups) {
      expect(others.length, objects[i]!.id).toBeLessThan(12);
      for (const { other } of others) {
        expect(
          cosine(objects[i]!.v, objects[other]!.v),
          `${objects[i]!.id}, ${objects[other]!.id}`,
        ).toBeGreaterThanOrEqual(cut);
        expect(groups.get(other)!.map((o) => o.other)).toContain(i);
      }
    }
    // The group is the print and the vessels close to it; the far end of the arc is in none.
    const near = objects.findIndex((o) => o.id === 'near');
    expect(groups.get(near)?.map((o) => objects[o.other]!.id)).toEqual(expect.arrayContaining(['arc-0', 'arc-1']));
    expect(byId.get('arc-11')?.lookAlikes).toBeUndefined();
    expect(byId.get('arc-11')?.lookAlike).toBeUndefined();
    // The closest conflicting two are still a pair, and pairs are mutual and inside one group.
    const pairs = conflictingPairs(input);
    expect(objects[pairs.get(near)!.other]!.id).toBe('arc-0');
    for (const [a, p] of pairs) {
      expect(pairs.get(p.other)?.other).toBe(a);
      expect(groups.get(a)?.map((o) => o.other) ?? [p.other]).toContain(p.other);
    }
  });

  it('`vitrine review` names only the close ones together and lists the far end as a plain suspect', async () => {
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    let text = '';
    const code = await main(['review'], {
      cwd: ws.root,
      env: {},
      stdout: (t) => (text += t),
      log: memoryLogger(),
    });
    expect(code).toBe(0);
    expect(text).toBe(renderReview({ review }));
    expect(text).not.toContain('These 13 objects');
    expect(text).toMatch(
      /These \d objects have (very )?similar photographs,? (perhaps .*, )?but different labels: .*near labelled print/,
    );
    expect(text).toMatch(/arc-11 +labelled vessel, the model says print/);
    const json = review as ReviewFile;
    for (const item of json.items)
      for (const o of item.lookAlikes ?? [])
        expect(cosine(vectors.get(item.id)!, vectors.get(o.id)!), `${item.id}, ${o.id}`).toBeGreaterThanOrEqual(
          lookAlikeCut(input)!,
        );
  });
});
