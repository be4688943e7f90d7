import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monitoringFor, readMonitoring } from '../../pipeline/catalogue/monitoring.ts';
import { monitoringSchema } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { chartLines } from '../../site/src/lib/drift-lines.ts';

/*
 * Since monitoring judges the objects added since the model on their own (with the pool of them and the unlabelled
 * ones beside), each history line records which group it judged (currentKind); lines written before do not say.
 * The Monitoring page drew all of them as one line and one "New objects" column, so a fall from 0.83 to 0.12
 * could be nothing but a change of group. Each run now says which group it judged, and a chart joins only the
 * points of one group.
 */

let ws: Workspace;
beforeEach(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-history-groups-')));
  await mkdir(ws.monitor, { recursive: true });
});
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

const line = (day: string, novelty: number | null, kind?: string) => ({
  createdAt: `2026-12-${day}T08:00:00Z`,
  modelVersion: 'v1.0.0',
  commit: null,
  referenceCount: 24,
  currentCount: kind === 'added-since' ? 12 : 42,
  ...(kind ? { currentKind: kind } : {}),
  noveltyIncrease: novelty,
  unusualShare: 0.1,
  drifted: false,
  driftedSignals: [],
});

async function history(entries: object[]) {
  await writeFile(
    path.join(ws.monitor, 'history.json'),
    JSON.stringify({ schema: 'vitrine.drift-history/1', entries }),
  );
  const inputs = await readMonitoring({ ws, log: memoryLogger() });
  const m = monitoringFor({ inputs, version: 'v1.0.0', current: true, objects: new Map(), params: defaultParams() })!;
  expect(monitoringSchema.parse(m)).toEqual(m);
  return m.history!;
}

describe('the drift-over-time chart and table say which group each check judged', () => {
  // A line without currentKind may have judged either group, or objects added since a ref: not known (task D4).
  it('reads a line without currentKind as objects not known, and names each group in plain words', async () => {
    const h = await history([
      line('01', 0.2),
      line('02', 0.3, 'new-and-unlabelled'),
      line('03', 0.83, 'added-since'),
      line('04', 0.9, 'added-since'),
    ]);
    expect(h.runs.map((r) => r.group)).toEqual(['unknown', 'pool', 'added-since', 'added-since']);
    expect(h.groups).toEqual([
      { key: 'unknown', name: 'objects not known, as the check did not record which' },
      { key: 'pool', name: 'new and unlabelled objects together' },
      { key: 'added-since', name: 'objects added since the model' },
    ]);
  });

  it('reads a kind it does not know as other objects, not as either group', async () => {
    const h = await history([line('01', 0.2, 'objects'), line('02', 0.3, 'added-since')]);
    expect(h.runs.map((r) => r.group)).toEqual(['other', 'added-since']);
    expect(h.groups.map((g) => g.name)).toEqual(['other objects', 'objects added since the model']);
  });

  it('joins only the points of one group, across checks of the other, and breaks where one was not measured', () => {
    const groups = ['pool', 'pool', 'added-since', 'added-since', 'pool', 'added-since', 'added-since', 'added-since'];
    const values = [0.2, 0.3, 0.83, 0.9, 0.25, null, 0.7, 0.8];
    expect(chartLines({ values, groups })).toEqual([
      { group: 'pool', runs: [0, 1, 4] },
      { group: 'added-since', runs: [2, 3] },
      { group: 'added-since', runs: [6, 7] },
    ]);
    // One group throughout: one line, as before.
    expect(chartLines({ values: [1, 2, 3], groups: ['pool', 'pool', 'pool'] })).toEqual([
      { group: 'pool', runs: [0, 1, 2] },
    ]);
  });
});
