import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../pipeline/log.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { assignStage, registerVersion, rollback } from '../../pipeline/registry/registry.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * An outside tester: after `vitrine models rollback v1.2.0` (v1.3.0 taken out of production), a pull request that
 * changed only a title was reported "No detectable difference … 0.700 with this change and 0.678 for the model in
 * production (v1.2.0)", as if merging would promote the model tested; that model was v1.3.0 itself, and the merge
 * said "it is not put back". The report says so, as it does of a change that keeps production's own model.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });

describe('a pull request whose model is the one a rollback took out of production', () => {
  it('says merging does not put it back and registers no new version', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: labels });
    metrics.inputs = { ...metrics.inputs, model: 'model-new' };
    await writeFile(path.join(repo.ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
    const name = params.registry.model_name;
    let t = Date.parse('2026-05-01T12:00:00Z');
    const clock: Clock = { now: () => new Date((t += 1000)) };
    const register = async (identity: string, commit: string) => {
      const record = {
        manifest: await manifestOf({ dir: repo.ws.model }),
        evidence: null,
        remote: 'local',
        identity,
        inputs: { labels: VOCABULARY, data: 'data.dir', labelsMd5: 'labels-1' },
        headline: { accuracy: 0.86, macroF1: 0.85, macroF1Low: 0.73, macroF1High: 0.95, n: 36, labels: VOCABULARY },
        lineage: {} as never,
      };
      const { version } = await registerVersion({ dir: repo.ws.root, name, commit, record, clock, log: silentLogger });
      await assignStage({ dir: repo.ws.root, name, version, stage: 'prod', clock, log: silentLogger });
      return version;
    };
    expect(await register('model-old', repo.baseCommit)).toBe('v1.0.0');
    expect(await register('model-new', repo.headCommit)).toBe('v1.0.1');
    await rollback({ ws: repo.ws, params, version: 'v1.0.0', clock, log: silentLogger });

    const { markdown, json } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(json.rolledBackModel).toBe('v1.0.1');
    expect(markdown.replace(/\\([()[\]_*.])/g, '$1')).toContain(
      '**The model tested is v1.0.1, which a rollback took out of production**: merging this pull request does not ' +
        'put it back. It keeps v1.0.0 in production and registers no new version (to put v1.0.1 back: ' +
        '`npx vitrine models rollback v1.0.1`).',
    );
    // Another model: merging registers and promotes it, as the report says otherwise.
    metrics.inputs = { ...metrics.inputs, model: 'model-newer' };
    await writeFile(path.join(repo.ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
    const other = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(other.json.rolledBackModel).toBeUndefined();
    expect(other.markdown).not.toContain('took out of production');
  });
});
