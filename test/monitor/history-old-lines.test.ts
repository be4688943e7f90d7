import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monitoringFor, readMonitoring } from '../../pipeline/catalogue/monitoring.ts';
import { monitoringSchema } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { chartLines, otherReferencesWords } from '../../site/src/lib/drift-lines.ts';

/*
 * Task D4. History lines written before 7 December 2026 have no currentKind, reference or referenceCommit, so a run of
 * `vitrine monitor --reference <ref>` then read as a check against the model. Where the record says more (no model in
 * production: only a --reference run could run; drift.json of the same run names its reference) it is read as a
 * reference run; where it does not, the page says the objects are not known. Also: older references are counted in
 * plain words, and the novelty chart is titled by what it compares with.
 */

let ws: Workspace;
beforeEach(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-history-old-lines-')));
  await mkdir(ws.monitor, { recursive: true });
});
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

const line = (day: string, fields: Record<string, unknown> = {}) => ({
  createdAt: `2026-12-${day}T08:00:00Z`,
  modelVersion: 'v1.0.0',
  commit: null,
  referenceCount: 24,
  currentCount: 12,
  noveltyIncrease: 0.3,
  unusualShare: 0.1,
  drifted: false,
  driftedSignals: [],
  ...fields,
});

const side = (kind: string, ref: string | null, commit?: string) => ({
  kind,
  description: ref ? `the objects at ${ref}` : 'the training objects of v1.0.0',
  modelVersion: null,
  ref,
  ...(commit ? { commit } : {}),
  count: 12,
});

async function page(entries: object[], drift?: object) {
  await writeFile(
    path.join(ws.monitor, 'history.json'),
    JSON.stringify({ schema: 'vitrine.drift-history/1', entries }),
  );
  if (drift) await writeFile(path.join(ws.monitor, 'drift.json'), JSON.stringify(drift));
  const inputs = await readMonitoring({ ws, log: memoryLogger() });
  const m = monitoringFor({ inputs, version: 'v1.0.0', current: true, objects: new Map(), params: defaultParams() })!;
  expect(monitoringSchema.parse(m)).toEqual(m);
  return m;
}

const drift = (createdAt: string, reference: object, current: object) => ({
  schema: 'vitrine.drift/1',
  createdAt,
  modelVersion: 'v1.0.0',
  reference,
  current,
  signals: { embeddings: null, novelty: null, imageStats: [], predictedLabels: null },
  unfamiliar: [],
  drifted: false,
  summary: 'No drift.',
});

describe('history lines written before 7 December 2026', () => {
  it('says a line that does not record which objects it judged judged objects not known, not the pool', async () => {
    const h = (await page([line('01'), line('02', { currentKind: 'added-since' })])).history!;
    expect(h.runs.map((r) => r.group)).toEqual(['unknown', 'added-since']);
    expect(h.groups[0]).toEqual({ key: 'unknown', name: 'objects not known, as the check did not record which' });
  });

  it('reads a line of a run with no model in production as a reference run, its reference not known', async () => {
    const h = (
      await page([
        line('01', { modelVersion: null }),
        line('02', { modelVersion: null, currentKind: 'added-since' }),
        line('03', { currentKind: 'added-since' }),
      ])
    ).history!;
    expect(h.runs.map((r) => r.group)).toEqual(['reference-unknown', 'reference-unknown', 'added-since']);
    expect(h.groups[0]).toEqual({
      key: 'reference-unknown',
      name: 'objects added since a reference not known, as the check did not record which',
    });
  });

  it('reads the reference of the run drift.json holds, with its commit when drift.json kept it', async () => {
    const c = 'c0ffee1c0ffee1c0ffee1c0ffee1c0ffee1c0ffe';
    const h = (
      await page(
        [line('01'), line('02', { currentKind: 'added-since' })],
        drift('2026-12-02T08:00:00Z', side('data-version', 'spring-2026', c), side('added-since', 'HEAD')),
      )
    ).history!;
    expect(h.runs.map((r) => r.group)).toEqual(['unknown', 'reference-1']);
    expect(h.groups[1]).toEqual({ key: 'reference-1', name: 'objects added since spring-2026 (c0ffee1)' });
    const old = (
      await page([line('01')], drift('2026-12-01T08:00:00Z', side('model-training', null), side('added-since', 'HEAD')))
    ).history!;
    expect(old.runs.map((r) => r.group)).toEqual(['added-since']);
  });

  it('never joins points whose objects are not known, since they may have judged different objects', () => {
    const groups = ['unknown', 'unknown', 'reference-unknown', 'reference-unknown', 'pool', 'pool'];
    expect(chartLines({ values: [1, 2, 3, 4, 5, 6], groups })).toEqual([{ group: 'pool', runs: [4, 5] }]);
  });
});

describe('the words and titles of the drift-over-time charts', () => {
  it('counts the references before the two latest as older comparisons, in plain words', () => {
    expect(otherReferencesWords(1)).toBe('1 older comparison with another reference (the table names it)');
    expect(otherReferencesWords(2)).toBe('2 older comparisons with other references (the table names each)');
  });

  it('titles the novelty chart by what its checks compared with: training, a reference, or both', async () => {
    const title = async (entries: object[]) =>
      (await page(entries)).history!.series.find((s) => s.key === 'novelty')!.name;
    const ref = { currentKind: 'added-since', reference: 'spring-2026' };
    expect(await title([line('01', { currentKind: 'added-since' })])).toBe('Unlike anything in training (novelty)');
    expect(await title([line('01', ref)])).toBe('Unlike anything in the reference (novelty)');
    expect(await title([line('01', ref), line('02', { currentKind: 'new-and-unlabelled' })])).toBe(
      'Unlike anything in training or the reference (novelty)',
    );
    expect(await title([line('01')])).toBe('Unlike anything in training or the reference (novelty)');
  });

  it('names the latest check against a reference by that reference, not by training', async () => {
    const m = await page([line('01', { currentKind: 'added-since', reference: 'spring-2026' })], {
      ...drift('2026-12-01T08:00:00Z', side('data-version', 'spring-2026'), side('added-since', 'HEAD')),
      signals: {
        embeddings: null,
        novelty: { value: 0.4, minIncrease: 0.5, pValue: 0.2, drifted: false },
        imageStats: [],
        predictedLabels: null,
      },
    });
    expect(m.latest!.signals.find((s) => s.key === 'novelty')!.name).toBe(
      'Photographs unlike any of the objects at spring-2026 (novelty)',
    );
  });
});
