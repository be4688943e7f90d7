import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monitoringFor, readMonitoring } from '../../pipeline/catalogue/monitoring.ts';
import { monitoringSchema } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * The monitoring files are optional inputs of the public catalogue: missing, broken or older files
 * must leave their part of the Monitoring page out, never stop the build.
 */

let ws: Workspace;
const objects = new Map([
  ['A-1', { slug: 'a-1', title: 'Bowl' }],
  ['A-2', { slug: 'a-2', title: 'Mask' }],
]);

beforeEach(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitoring-')));
  await mkdir(ws.monitor, { recursive: true });
});
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('monitoring data for the catalogue', () => {
  it('gives no Monitoring page when monitoring never ran', async () => {
    const inputs = await readMonitoring({ ws, log: memoryLogger() });
    expect(monitoringFor({ inputs, version: 'v1.0.0', current: true, objects, params: defaultParams() })).toBeNull();
  });

  it('leaves broken or unknown files out with a warning instead of failing', async () => {
    await writeFile(path.join(ws.monitor, 'drift.json'), '{ "schema": "vitrine.drift/1", ');
    await writeFile(path.join(ws.monitor, 'history.json'), JSON.stringify({ runs: [1, 2] }));
    await writeFile(path.join(ws.monitor, 'corrections.json'), JSON.stringify([{ changed: 'many' }]));
    const log = memoryLogger();
    const inputs = await readMonitoring({ ws, log });
    expect(inputs).toEqual({ drift: null, history: [], corrections: null });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/drift\.json could not be read/);
    expect(monitoringFor({ inputs, version: 'v1.0.0', current: true, objects, params: defaultParams() })).toBeNull();
  });

  it('reads an older drift report (no novelty, no thresholds on old fields) and keeps what it can', async () => {
    await writeFile(
      path.join(ws.monitor, 'drift.json'),
      JSON.stringify({
        createdAt: '2026-09-01T00:00:00Z',
        modelVersion: null,
        signals: {
          embeddings: { effect: 0.4, pValue: 0.01, minEffect: 0.2, drifted: true },
          imageStats: [{ signal: 'brightness', value: 'high' }, null],
        },
        unfamiliar: [{ id: 'A-2', distance: 0.5 }, { id: 'GONE', distance: 0.4, nearestId: 'A-1' }, { distance: 0.3 }],
        drifted: true,
      }),
    );
    await writeFile(
      path.join(ws.monitor, 'history.json'),
      JSON.stringify({
        schema: 'vitrine.drift-history/1',
        entries: [
          { createdAt: '2026-09-01T00:00:00Z', modelVersion: null, embeddingEffect: 0.4, noveltyIncrease: null },
        ],
      }),
    );
    const inputs = await readMonitoring({ ws, log: memoryLogger() });
    // Runs without a production model belong to the current version only.
    expect(monitoringFor({ inputs, version: 'v0.9.0', current: false, objects, params: defaultParams() })).toBeNull();
    const m = monitoringFor({ inputs, version: 'v1.0.0', current: true, objects, params: defaultParams() })!;
    expect(monitoringSchema.parse(m)).toEqual(m);
    expect(m.latest!.signals.map((s) => s.key)).toEqual(['embeddings']);
    expect(m.latest!.unusualShare).toBeNull();
    expect(m.latest!.unfamiliar).toEqual([
      {
        id: 'A-2',
        slug: 'a-2',
        title: 'Mask',
        distance: 0.5,
        unusual: false,
        nearestId: null,
        nearestSlug: null,
        predicted: null,
      },
      {
        id: 'GONE',
        slug: null,
        title: '',
        distance: 0.4,
        unusual: false,
        nearestId: 'A-1',
        nearestSlug: 'a-1',
        predicted: null,
      },
    ]);
    // Only the measured series are charted; the threshold comes from the report, else params.yaml.
    expect(m.history!.series.map((s) => [s.key, s.threshold, s.values])).toEqual([['embeddings', 0.2, [0.4]]]);
    expect(m.corrections).toBeNull();
  });
});
